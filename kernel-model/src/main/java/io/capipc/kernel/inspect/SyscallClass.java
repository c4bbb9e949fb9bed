package io.capipc.kernel.inspect;

/**
 * The syscalls grouped the way the kernel's Flight Recorder events are: one JFR event type per
 * class, named {@link #eventName()}. Each is off by default; enable it by name in a recording (for
 * example {@code recording.enable("capipc.Message")}, or {@code ./capipc demo --jfr file.jfr}, which
 * enables all five). docs/observing.md, "Flight Recorder events".
 */
public enum SyscallClass {
    /** Messages on endpoints, their caller buffers, and async ports (docs/semantics.md §5.1, §5.3, §5.5). */
    MESSAGE("capipc.Message"),
    /** Capabilities, objects made at run time, and regions (§2, §12.1, §13). */
    CAPABILITY("capipc.Capability"),
    /** Suspended contexts and system messages (§5.2, §6). */
    CONTEXT("capipc.Context"),
    /** Notifications (§5.4). */
    NOTIFICATION("capipc.Notification"),
    /** The end of a task (Exit, Fault) and task control (Kill, Restart, TaskInfo) (§6, §13). */
    FAULT("capipc.Fault");

    private final String eventName;

    SyscallClass(String eventName) {
        this.eventName = eventName;
    }

    /** The name of this class's JFR event type. */
    public String eventName() {
        return eventName;
    }

    /** The class {@code op} belongs to. */
    public static SyscallClass of(SyscallName op) {
        return switch (op) {
            case SEND, NB_SEND, CALL, RECV, NB_RECV, REPLY, REPLY_WAIT, FORWARD, READ, WRITE, CALLER_INFO, BIND,
                 ASYNC_SEND, ASYNC_CALL, PORT_INFO -> MESSAGE;
            case COPY, MINT, MOVE, MUTATE, DELETE, REVOKE, CANCEL_BADGED_SENDS, RETYPE, MAP, UNMAP, CARVE -> CAPABILITY;
            case SUSPEND, RESUME, REPLY_HANDLE, FORWARD_HANDLE, READ_HANDLE, WRITE_HANDLE, CALLER_INFO_HANDLE,
                 SYSTEM_MESSAGES -> CONTEXT;
            case SIGNAL, WAIT, POLL, BIND_NOTIFICATION, UNBIND_NOTIFICATION -> NOTIFICATION;
            case EXIT, FAULT, KILL, RESTART, TASK_INFO -> FAULT;
        };
    }
}
