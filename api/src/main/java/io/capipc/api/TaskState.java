package io.capipc.api;

/**
 * The states of a task (docs/semantics.md §4). A task is in an endpoint's queue exactly when it is
 * {@link #BLOCKED_ON_SEND} or {@link #BLOCKED_ON_RECEIVE} on that endpoint, and among a
 * notification's waiters exactly when it is {@link #BLOCKED_ON_NOTIFICATION} on it.
 */
public enum TaskState {
    /** Running user code; may make a syscall. */
    RUNNING,
    /** Queued on an endpoint's senders, by Send or Call (a view says which). */
    BLOCKED_ON_SEND,
    /** Queued on an endpoint's receivers, by Recv or ReplyWait. */
    BLOCKED_ON_RECEIVE,
    /** Its Call was taken; waiting for the holder of its caller context. */
    BLOCKED_ON_REPLY,
    /** Waiting on a notification. */
    BLOCKED_ON_NOTIFICATION,
    /** Created but not started. */
    INACTIVE,
    /** Its body returned or threw; it takes no further part. */
    DEAD;

    /** True for the states in which the task waits for another task's transition. */
    public boolean isBlocked() {
        return switch (this) {
            case BLOCKED_ON_SEND, BLOCKED_ON_RECEIVE, BLOCKED_ON_REPLY, BLOCKED_ON_NOTIFICATION -> true;
            case RUNNING, INACTIVE, DEAD -> false;
        };
    }
}
