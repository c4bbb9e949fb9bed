package io.capipc.api;

import java.lang.foreign.MemorySegment;

/**
 * A task's IPC buffer (docs/semantics.md §1): 64 message registers and what the kernel last delivered to
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

    /** The sender side of capability transfer: the slot of capability {@code index} (0..3) to send. */
    void setCap(int index, int slot);

    /** The slot set by {@link #setCap} for capability {@code index}. */
    int cap(int index);

    /**
     * Marks capability {@code index} (0..3) of the next message MOVE: it leaves this task's slot
     * and arrives keeping its place in the derivation tree, instead of arriving as a child of it
     * (docs/semantics.md §12.1). Any capability but a reply capability; GRANT is needed as for any
     * transfer. Stays set until cleared.
     */
    void setMove(int index, boolean move);

    /** True if capability {@code index} of the next message is marked MOVE. */
    boolean move(int index);

    /**
     * The receiver side: the empty slot (in this task's space) where the {@code index}-th capability
     * that is placed goes; -1 (the default) names none. Capabilities that arrive unwrapped need none.
     */
    void setReceiveSlot(int index, int slot);

    /** The slot set by {@link #setReceiveSlot} for {@code index}. */
    int receiveSlot(int index);

    /**
     * After a receive: bit i is set if capability i of the message named the very endpoint it
     * arrived on and was not placed (seL4 "unwrapping"): its badge is {@link #capBadge}(i).
     */
    int unwrapped();

    /** After a receive: the badge of unwrapped capability {@code index}. */
    long capBadge(int index);

    /** The status of this task's last completed syscall. */
    Status status();

    /**
     * Which check refused this task's last syscall ({@link Reason#NONE} if it was not refused): the
     * status says that an argument was wrong, the reason says which. {@link Reason#render()} gives
     * both as text for logs.
     */
    Reason reason();

    /** The info word of the last message received, with its {@link Kind}. */
    long info();

    /** The badge of the capability the sender of the last message invoked (0 for a reply). */
    long badge();

    /** Bytes copied by the last Read or Write. */
    long count();

    /**
     * After Suspend: the handle naming the suspended context (docs/semantics.md §5.2): its reply
     * capability's slot ({@link Handles#slot}) and a generation that no other Suspend in the Space
     * uses, so a handle kept after its context was consumed is refused (INVALID_CAPABILITY) and never
     * reaches a later caller.
     */
    long handle();

    /**
     * After AsyncCall: the tag its reply (or error) will carry as its badge; tags of one port never
     * repeat.
     */
    long tag();

    /** After PortInfo, or an async port syscall refused with REVOKED: how many messages the port lost. */
    long lost();

    /**
     * After Map: the view of exactly the capability's bytes (read-only without WRITE). It refuses
     * access, in every thread, once the mapping ends (Unmap, or the capability deleted, revoked,
     * moved away or mutated).
     */
    MemorySegment mapping();

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

    /** How many capabilities of the last message received arrived (placed or unwrapped). */
    default int caps() {
        return MessageInfo.caps(info());
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
