package io.capipc.kernel.syscall;

import io.capipc.api.Reason;
import io.capipc.api.Status;
import io.capipc.kernel.object.CallerBuffers;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.Task;
import java.lang.foreign.MemorySegment;

/**
 * Read, Write and CallerInfo on the current caller context (docs/semantics.md §5.3; QNX MsgRead,
 * MsgWrite, MsgInfo). The bytes are copied inside the transition, under the kernel's lock: the
 * caller is blocked on its reply, so its segment arrays cannot change.
 *
 * <p>Checks, in docs/semantics.md §7's order: a null, closed or (for Read) read-only {@code dst}/{@code src},
 * or one confined to another thread (INVALID_ARGUMENT); no current context (NO_CALLER, or CANCELLED
 * if the caller gave up on the one held); a caller segment closed since the Call (INVALID_ARGUMENT:
 * capipc's rule, docs/semantics.md §5.3: it refuses rather than let MemorySegment.copy throw into the
 * server);
 * offset negative or past the end (RANGE). A segment of either side whose arena another thread
 * closes during the copy is caught, not thrown: INVALID_ARGUMENT, the count unchanged, the context
 * still held (docs/semantics.md §7: nothing a task supplies throws through the kernel).
 */
public final class BufferSyscalls {
    private BufferSyscalls() {}

    /** Read: copy from the caller's send buffer at {@code offset}; the count goes to the IPC buffer. */
    public static Status read(Task t, long offset, MemorySegment dst) {
        return read(t, t.heldContext(), Decode.noContext(t), offset, dst);
    }

    /** Write: copy into the caller's receive buffer at {@code offset}; the count goes to the IPC buffer. */
    public static Status write(Task t, long offset, MemorySegment src) {
        return write(t, t.heldContext(), Decode.noContext(t), offset, src);
    }

    /** CallerInfo: the current caller's badge, label and buffer sizes. */
    public static Status callerInfo(Task t) {
        return callerInfo(t, t.heldContext(), Decode.noContext(t));
    }

    /**
     * Read from {@code context}, or, if it is null, refused with {@code absent} (after the checks of
     * {@code dst}): the current context and a suspended one share this.
     */
    static Status read(Task t, CallerContext context, Reason absent, long offset, MemorySegment dst) {
        Reason r = own(dst);
        if (r == Reason.NONE && dst.isReadOnly()) {
            r = Reason.OWN_SEGMENT_READ_ONLY;
        }
        if (r == Reason.NONE && context == null) {
            r = absent;
        }
        if (r == Reason.NONE && !context.buffers().sendAccessible(Thread.currentThread())) {
            r = Reason.CALLER_SEGMENT_CLOSED;
        }
        if (r == Reason.NONE) {
            r = offset(offset, context.buffers().sendSize());
        }
        return r != Reason.NONE ? t.ipc().refuse(r) : counted(t, context.buffers().read(offset, dst));
    }

    /** Write into {@code context}, or refused with {@code absent}; see {@link #read(Task, CallerContext, Reason, long, MemorySegment)}. */
    static Status write(Task t, CallerContext context, Reason absent, long offset, MemorySegment src) {
        Reason r = own(src);
        if (r == Reason.NONE && context == null) {
            r = absent;
        }
        if (r == Reason.NONE && !context.buffers().recvAccessible(Thread.currentThread())) {
            r = Reason.CALLER_SEGMENT_CLOSED;
        }
        if (r == Reason.NONE) {
            r = offset(offset, context.buffers().recvSize());
        }
        return r != Reason.NONE ? t.ipc().refuse(r) : counted(t, context.buffers().write(offset, src));
    }

    /** CallerInfo of {@code context}, or refused with {@code absent}. */
    static Status callerInfo(Task t, CallerContext context, Reason absent) {
        if (context == null) {
            return t.ipc().refuse(absent);
        }
        CallerBuffers buffers = context.buffers();
        t.ipc().callerInfo(context.badge(), context.label(), buffers.sendSize(), buffers.recvSize());
        return t.ipc().complete(Status.OK);
    }

    /** The task's own segment: not null, open, and reachable from this thread. */
    private static Reason own(MemorySegment segment) {
        return segment == null || !CallerBuffers.accessible(segment, Thread.currentThread())
                ? Reason.OWN_SEGMENT_UNUSABLE : Reason.NONE;
    }

    private static Reason offset(long offset, long size) {
        return offset < 0 ? Reason.OFFSET_NEGATIVE : offset > size ? Reason.OFFSET_PAST_END : Reason.NONE;
    }

    /**
     * The end of a Read or Write: the byte count, or, if an arena closed under the copy (another
     * thread of a task closed it after the checks), INVALID_ARGUMENT with the count unchanged; the
     * context stays held, so the server can still Reply.
     */
    private static Status counted(Task t, long bytes) {
        if (bytes == CallerBuffers.FAULT) {
            return t.ipc().refuse(Reason.CLOSED_DURING_COPY);
        }
        t.ipc().counted(bytes);
        return t.ipc().complete(Status.OK);
    }
}
