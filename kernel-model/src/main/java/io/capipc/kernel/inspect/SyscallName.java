package io.capipc.kernel.inspect;

/** The syscalls, by the names docs/semantics.md uses; for traces and views. */
public enum SyscallName {
    SEND("Send"),
    NB_SEND("NBSend"),
    CALL("Call"),
    RECV("Recv"),
    NB_RECV("NBRecv"),
    REPLY("Reply"),
    REPLY_WAIT("ReplyWait"),
    FORWARD("Forward"),
    READ("Read"),
    WRITE("Write"),
    CALLER_INFO("CallerInfo"),
    SUSPEND("Suspend"),
    RESUME("Resume"),
    REPLY_HANDLE("Reply by handle"),
    FORWARD_HANDLE("Forward by handle"),
    READ_HANDLE("Read by handle"),
    WRITE_HANDLE("Write by handle"),
    CALLER_INFO_HANDLE("CallerInfo by handle"),
    SYSTEM_MESSAGES("SystemMessages"),
    SIGNAL("Signal"),
    WAIT("Wait"),
    POLL("Poll"),
    BIND_NOTIFICATION("BindNotification"),
    UNBIND_NOTIFICATION("UnbindNotification"),
    COPY("Copy"),
    MINT("Mint"),
    MOVE("Move"),
    MUTATE("Mutate"),
    DELETE("Delete"),
    REVOKE("Revoke"),
    CANCEL_BADGED_SENDS("CancelBadgedSends"),
    EXIT("Exit"),
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
