package io.capipc.api;

import com.google.errorprone.annotations.CheckReturnValue;
import java.lang.foreign.MemorySegment;

/**
 * The syscalls a task can make (docs/semantics.md §5): the whole primitive surface user code programs
 * against. Capabilities are named by slot index in the task's own Space. Every method returns a
 * {@link Status} and none throws; on platform threads none allocates (docs/semantics.md guarantee 11).
 *
 * <p>A blocking syscall returns when it has completed: the status is also left in
 * {@link IpcBuffer#status()}, and what was received in the {@link #ipc() IPC buffer}.
 *
 * <p>Capability transfer: an info word with a capability count n (1..4) sends the capabilities in
 * the slots {@link IpcBuffer#setCap} names, and needs GRANT on the capability sent through (for a
 * Reply, on the one the Call was received through). They are placed, in order, as children of the
 * sender's, into the receiver's {@link IpcBuffer#setReceiveSlot receive slots}; transfer stops at the
 * first one without a usable slot, and the received info word says how many arrived.
 */
@CheckReturnValue
public interface Syscalls {
    /** A timeout that never expires: what the overloads without a timeout use. */
    long FOREVER = Long.MAX_VALUE;

    /** The most entries an async port may have (Bind). */
    int MAX_PORT_CAPACITY = 1024;

    /** This task's IPC buffer. */
    IpcBuffer ipc();

    /** Send (needs WRITE): deliver to a waiting receiver, or block FIFO until one takes it. */
    Status send(int cap, long info);

    /**
     * Send with a timeout in nanoseconds (docs/semantics.md §6): TIMEOUT if no receiver took it in time, and
     * then it is in no queue; 0 returns TIMEOUT at once if it would block; negative: INVALID_ARGUMENT.
     * A Java interrupt of the task's thread ends any blocking syscall with INTERRUPTED.
     */
    Status send(int cap, long info, long timeoutNanos);

    /** NBSend (needs WRITE): deliver only if a receiver waits, else WOULD_BLOCK. */
    Status nbSend(int cap, long info);

    /**
     * Call (needs WRITE) without buffers: send, then wait for the reply. {@code cap} may also name an
     * async port: the Call then goes to the port's endpoint after everything the port has queued, so
     * when it returns OK all of that was delivered (docs/semantics.md §5.5, guarantee 6).
     */
    Status call(int cap, long info);

    /**
     * Call without buffers, with one timeout in nanoseconds covering the queued and the reply phase
     * (see {@link #call(int, long, MemorySegment[], MemorySegment[], long)}).
     */
    Status call(int cap, long info, long timeoutNanos);

    /**
     * Call with attached buffers: up to 8 segments each, read as one byte sequence; the receive
     * buffer's segments must be writable. The server reaches them only with Read and Write.
     */
    Status call(int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf);

    /** Call with one send segment and one receive segment. */
    Status call(int cap, long info, MemorySegment sendBuf, MemorySegment recvBuf);

    /**
     * Call with one timeout covering the queued and the reply phase. If it expires after the server
     * took the message, the server's context becomes CANCELLED: its Reply is dropped, and its Read,
     * Write and CallerInfo return CANCELLED.
     */
    Status call(int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf, long timeoutNanos);

    /** Recv (needs READ): take the oldest queued message, or block. */
    Status recv(int cap);

    /** Recv with a timeout. */
    Status recv(int cap, long timeoutNanos);

    /** NBRecv (needs READ): as Recv, but WOULD_BLOCK instead of blocking. */
    Status nbRecv(int cap);

    /** Reply to the current caller; OK and no effect when there is none. */
    Status reply(long info);

    /** Reply, then Recv, as one transition; both validated first. */
    Status replyWait(int cap, long info);

    /** ReplyWait whose Recv half has a timeout. */
    Status replyWait(int cap, long info, long timeoutNanos);

    /**
     * Forward (needs WRITE): hand the current Call to another endpoint. The caller's registers are
     * replaced by this task's, its buffers pass through, the next server sees this capability's
     * badge, and the reply goes straight to the caller. This task continues at once. NO_CALLER
     * without a current context; capabilities cannot be forwarded (INVALID_ARGUMENT).
     */
    Status forward(int cap, long info);

    /** Read from the current caller's send buffer at {@code offset} into {@code dst}; bytes in count(). */
    Status read(long offset, MemorySegment dst);

    /** Write {@code src} into the current caller's receive buffer at {@code offset}; bytes in count(). */
    Status write(long offset, MemorySegment src);

    /** The current caller's badge, label and buffer sizes, into the IPC buffer. */
    Status callerInfo();

    /**
     * Suspend: move the current context into a reply capability in the lowest free slot of this
     * task's Space, from the Space's reply pool; its handle goes to {@code ipc().handle()}. NO_CALLER
     * without a current context (CANCELLED if its caller gave up); NO_SPACE when the pool or the
     * slots are exhausted (the context stays current).
     */
    Status suspend();

    /**
     * Resume: the suspended context becomes this task's current one again; consumes the handle.
     * INVALID_CAPABILITY for a stale handle; INVALID_ARGUMENT if this task already has a current
     * context. If its caller has gone, this task now holds a cancelled context.
     */
    Status resume(long handle);

    /** Reply by handle: as Reply, to a suspended context; consumes the handle. A caller that has gone: OK, dropped. */
    Status reply(long handle, long info);

    /** Forward by handle: as Forward, of a suspended context; consumes the handle. */
    Status forward(long handle, int cap, long info);

    /** Read by handle, from a suspended context's send buffer. */
    Status read(long handle, long offset, MemorySegment dst);

    /** Write by handle, into a suspended context's receive buffer. */
    Status write(long handle, long offset, MemorySegment src);

    /** CallerInfo by handle. */
    Status callerInfo(long handle);

    /**
     * Chooses which {@link SystemMessage system messages} the endpoint in {@code cap} receives (needs
     * READ): a mask of {@link SystemMessage#bit()}s, replacing the previous one; messages already
     * queued stay. Unknown bits: INVALID_ARGUMENT.
     */
    Status systemMessages(int cap, int kinds);

    /** Signal (needs WRITE): the notification's word |= this capability's badge; wakes a waiter or the bound task in Recv. */
    Status signal(int cap);

    /**
     * Wait (needs READ): take the notification's word, or block until it is signalled. The word
     * arrives as {@code ipc().badge()} of a message of kind NOTIFICATION. (Named so as not to
     * overload {@link Object#wait(long)}.)
     */
    Status waitNotification(int cap);

    /** Wait with a timeout. */
    Status waitNotification(int cap, long timeoutNanos);

    /** Poll (needs READ): as Wait, but WOULD_BLOCK when nothing is pending. */
    Status poll(int cap);

    /** BindNotification (needs READ): its signals then also reach this task while it is blocked in Recv. */
    Status bindNotification(int cap);

    /** UnbindNotification: ends this task's binding (INVALID_ARGUMENT if none). */
    Status unbindNotification();

    /** Copy: a child of {@code src} in {@code dst} with rights masked by {@code rights}. */
    Status copy(int src, int dst, int rights);

    /** Mint: as Copy, and sets the badge (0 keeps the source's). */
    Status mint(int src, int dst, int rights, long badge);

    /** Move: the capability changes slot, keeping its place in the derivation tree. */
    Status move(int src, int dst);

    /** Mutate: Move that may shrink rights and set a badge (0 keeps the source's). */
    Status mutate(int src, int dst, int rights, long badge);

    /**
     * Delete: empties the slot; its children move up to its parent. Senders queued through it are
     * released with REVOKED; if it was the object's last capability, the object is destroyed and
     * every task blocked on it is released with REVOKED. An empty slot is OK.
     */
    Status delete(int slot);

    /** Revoke: deletes every descendant of the capability in every space; keeps it. Empty slot: OK. */
    Status revoke(int slot);

    /** CancelBadgedSends: releases every sender queued with this capability's badge (needs all rights). */
    Status cancelBadgedSends(int slot);

    // ---- Async ports (docs/semantics.md §5.5).

    /**
     * Bind: makes an async port of {@code capacity} entries (1..{@link #MAX_PORT_CAPACITY}), bound to
     * the endpoint in {@code endpoint} (needs WRITE) with its badge, whose AsyncCalls are answered on
     * the endpoint in {@code replyEndpoint} (needs READ), and puts its capability in the empty
     * {@code dstSlot}. The entries are made now, paid for by this task; nothing sent later allocates.
     */
    Status bind(int endpoint, int replyEndpoint, int capacity, int dstSlot);

    /**
     * AsyncSend (needs WRITE on the port): the message, registers and capabilities as read now,
     * takes a free entry and is delivered in order, without ever blocking this task. WOULD_BLOCK
     * when every entry is taken; REVOKED once the port has lost its endpoint or any message
     * ({@link IpcBuffer#lost()} says how many).
     */
    Status asyncSend(int port, long info);

    /**
     * AsyncCall: as AsyncSend, but the receiver gets a Call; its reply, or an error (PEER_DIED,
     * NO_REPLY, REVOKED) if none can come, arrives later on the port's reply endpoint as a message of
     * kind REPLY with the ASYNC flag and {@link IpcBuffer#tag()} as its badge. The entry stays taken
     * until that message is received.
     */
    Status asyncCall(int port, long info);

    /** PortInfo (needs READ on the port): {@link IpcBuffer#lost()} is set to how many messages it lost. */
    Status portInfo(int port);

    // ---- Regions (docs/semantics.md §12.1).

    /**
     * Map (needs READ): makes the region or window in {@code cap} visible to this task's Space;
     * {@link IpcBuffer#mapping()} is the view of exactly its bytes, read-only without WRITE. Mapping
     * the same capability again returns the same view.
     */
    Status map(int cap);

    /** Unmap: ends the mapping made through {@code cap}; every view of it refuses access. Not mapped: OK. */
    Status unmap(int cap);

    /**
     * Carve (needs GRANT): a window of {@code length} bytes from {@code offset} of the region in
     * {@code cap}, as its child in the empty {@code dst}, with rights masked by {@code rights}. RANGE
     * when the window is not inside.
     */
    Status carve(int cap, long offset, long length, int rights, int dst);

    // ---- Objects at run time and task control (docs/semantics.md §13).

    /** The most bytes an untyped budget, or a Retype parameter, may be: a budget is counted in a long. */
    long MAX_BUDGET = 1L << 48;

    /**
     * Retype (needs WRITE on the untyped): makes one object of {@code type} from the untyped in
     * {@code untyped} and puts its original capability, with all rights, in the empty {@code dstSlot},
     * as a child of the untyped's capability. {@code param}: 0 for an ENDPOINT or NOTIFICATION; the
     * slot count in the low 32 bits and the reply-pool size in the high 32 for a SPACE; the budget in
     * bytes for an UNTYPED; the size in bytes for a REGION (zeroed). The object is charged its size (docs/semantics.md §13); over what is left
     * of the budget: NO_SPACE, nothing made. Besides Bind, Map and Carve, the one syscall that allocates.
     */
    Status retype(int untyped, ObjectType type, long param, int dstSlot);

    /**
     * Kill (needs WRITE on the Task capability): the task ends as death does (docs/semantics.md §6),
     * wherever it is; killing a dead task is OK. On the threaded runtime its thread runs no more user
     * code: a blocked syscall ends by unwinding the thread, and its next syscall does likewise.
     */
    Status kill(int task);

    /**
     * Restart (needs WRITE): kills the task if alive, then starts its body again on a fresh IPC
     * buffer, in the same Space with the same fault endpoint; its restart count goes up by one. A
     * task cannot restart itself (INVALID_ARGUMENT).
     */
    Status restart(int task);

    /** TaskInfo (needs READ): the task's state, restart count and last fault in registers (see {@link TaskInfo}). */
    Status taskInfo(int task);
}
