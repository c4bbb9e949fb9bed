package io.capipc.kernel.inspect;

/** The syscalls, by the names docs/semantics.md uses; for traces and views. */
public enum SyscallName {
    /** Send. */
    SEND("Send"),
    /** NBSend. */
    NB_SEND("NBSend"),
    /** Call. */
    CALL("Call"),
    /** Recv. */
    RECV("Recv"),
    /** NBRecv. */
    NB_RECV("NBRecv"),
    /** Reply. */
    REPLY("Reply"),
    /** ReplyWait. */
    REPLY_WAIT("ReplyWait"),
    /** Forward. */
    FORWARD("Forward"),
    /** Read. */
    READ("Read"),
    /** Write. */
    WRITE("Write"),
    /** CallerInfo. */
    CALLER_INFO("CallerInfo"),
    /** Suspend. */
    SUSPEND("Suspend"),
    /** Resume. */
    RESUME("Resume"),
    /** Reply by handle. */
    REPLY_HANDLE("Reply by handle"),
    /** Forward by handle. */
    FORWARD_HANDLE("Forward by handle"),
    /** Read by handle. */
    READ_HANDLE("Read by handle"),
    /** Write by handle. */
    WRITE_HANDLE("Write by handle"),
    /** CallerInfo by handle. */
    CALLER_INFO_HANDLE("CallerInfo by handle"),
    /** SystemMessages. */
    SYSTEM_MESSAGES("SystemMessages"),
    /** Signal. */
    SIGNAL("Signal"),
    /** Wait. */
    WAIT("Wait"),
    /** Poll. */
    POLL("Poll"),
    /** BindNotification. */
    BIND_NOTIFICATION("BindNotification"),
    /** UnbindNotification. */
    UNBIND_NOTIFICATION("UnbindNotification"),
    /** Copy. */
    COPY("Copy"),
    /** Mint. */
    MINT("Mint"),
    /** Move. */
    MOVE("Move"),
    /** Mutate. */
    MUTATE("Mutate"),
    /** Delete. */
    DELETE("Delete"),
    /** Revoke. */
    REVOKE("Revoke"),
    /** CancelBadgedSends. */
    CANCEL_BADGED_SENDS("CancelBadgedSends"),
    /** Bind. */
    BIND("Bind"),
    /** AsyncSend. */
    ASYNC_SEND("AsyncSend"),
    /** AsyncCall. */
    ASYNC_CALL("AsyncCall"),
    /** PortInfo. */
    PORT_INFO("PortInfo"),
    /** Map. */
    MAP("Map"),
    /** Unmap. */
    UNMAP("Unmap"),
    /** Carve. */
    CARVE("Carve"),
    /** Retype. */
    RETYPE("Retype"),
    /** Kill. */
    KILL("Kill"),
    /** Restart. */
    RESTART("Restart"),
    /** TaskInfo. */
    TASK_INFO("TaskInfo"),
    /** Exit. */
    EXIT("Exit"),
    /** Fault. */
    FAULT("Fault");

    private final String specName;

    SyscallName(String specName) {
        this.specName = specName;
    }

    /** The name docs/semantics.md uses. */
    public String specName() {
        return specName;
    }
}
