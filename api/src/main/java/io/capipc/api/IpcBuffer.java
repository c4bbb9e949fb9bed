package io.capipc.api;

/**
 * A task's IPC buffer (SPEC section 1): 64 message registers and what the kernel last delivered to
 * the task. A task writes registers before it sends and reads them after it receives; everything
 * else here is written only by the kernel, at the end of a syscall of this task.
 *
 * <p>Only the task's own thread may touch its buffer, and only between its syscalls: the kernel reads
 * a sender's registers while the sender is blocked.
 */
public interface IpcBuffer {
    /** Message register {@code index} (0..63). */
    long mr(int index);

    /** Sets message register {@code index} (0..63) for the next send. */
    void setMr(int index, long value);

    /** The status of this task's last completed syscall. */
    Status status();

    /** The info word of the last message received, with its {@link Kind}. */
    long info();

    /** The badge of the capability the sender of the last message invoked (0 for a reply). */
    long badge();

    /** Bytes copied by the last Read or Write. */
    long count();

    /** After CallerInfo: the badge the current caller invoked. */
    long callerBadge();

    /** After CallerInfo: the label of the current caller's message. */
    int callerLabel();

    /** After CallerInfo: the size of the current caller's send buffer in bytes. */
    long callerSendSize();

    /** After CallerInfo: the size of the current caller's receive buffer in bytes. */
    long callerRecvSize();

    /** The label of the last message received. */
    default int label() {
        return MessageInfo.label(info());
    }

    /** The number of registers the last message received carried. */
    default int length() {
        return MessageInfo.length(info());
    }

    /** What kind of message was last received. */
    default Kind kind() {
        return MessageInfo.kind(info());
    }
}
