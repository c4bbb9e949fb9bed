package io.capipc.kernel.object;

import io.capipc.api.Reason;
import java.lang.foreign.MemorySegment;

/**
 * The buffers a Call attaches (docs/semantics.md §3 and §5.3): a send buffer the server copies out of with
 * Read and a receive buffer it copies into with Write, each up to 8 segments read as one logical
 * byte sequence.
 *
 * <p>One instance per caller context, preallocated. The caller's segment arrays are copied in (the
 * references, not the bytes) before they are validated, so a concurrent change to the caller's
 * arrays cannot slip past validation (docs/semantics.md §7, read once). Copies go segment by segment with
 * {@link MemorySegment#copy(MemorySegment, long, MemorySegment, long, long)}, which allocates nothing
 * and touches no byte outside the attached segments (docs/semantics.md guarantee 10).
 *
 * <p>KEY ASSUMPTION: a segment's size and read-only flag never change (MemorySegment is a sealed JDK
 * type), but its arena can be closed at any moment by any thread that holds it. So liveness is
 * checked before a copy, for a clean status without an exception, and a copy that still meets a
 * closed arena (closed by another thread mid-copy) is caught here and reported as a fault: nothing a
 * task supplies throws through the kernel.
 */
public final class CallerBuffers extends SegmentArraysPad {
    /** Segments per direction. */
    public static final int MAX_SEGMENTS = 8;
    /** An empty buffer, for a Call that attaches none. */
    public static final MemorySegment[] NONE = new MemorySegment[0];

    private int sendCount;
    private int recvCount;
    private long sendSize;
    private long recvSize;

    /** What {@link #read} and {@link #write} return when a segment's arena closed under the copy. */
    public static final long FAULT = -1;

    /**
     * Never started, so it owns no arena: a segment this thread cannot access is confined to some
     * thread, and only that thread could ever copy it.
     */
    private static final Thread NO_THREAD = Thread.ofPlatform().unstarted(() -> { });

    /**
     * Copies the segment references in and validates the copy, leaving the buffers empty if it is
     * refused: a null array or element ({@link Reason#BUFFER_NULL}), more than 8 segments, a closed
     * segment, a segment confined to one thread (a server is another task, and on the threaded
     * runtime another thread, so it could never touch it), a read-only receive segment, or sizes
     * whose total does not fit in a {@code long} (segments widened with {@code reinterpret}).
     *
     * @return {@link Reason#NONE}, or why the buffers were refused (all INVALID_ARGUMENT)
     */
    public Reason attach(MemorySegment[] sendBuf, MemorySegment[] recvBuf) {
        clear();
        if (sendBuf == null || recvBuf == null) {
            return Reason.BUFFER_NULL;
        }
        if (sendBuf.length > MAX_SEGMENTS || recvBuf.length > MAX_SEGMENTS) {
            return Reason.SEGMENTS_OVER_8;
        }
        if (sendBuf.length == 0 && recvBuf.length == 0) {
            return Reason.NONE;
        }
        sendCount = sendBuf.length;
        recvCount = recvBuf.length;
        System.arraycopy(sendBuf, 0, send, 0, sendCount);
        System.arraycopy(recvBuf, 0, recv, 0, recvCount);
        Reason r = check(send, sendCount, false);
        if (r == Reason.NONE) {
            r = check(recv, recvCount, true);
        }
        if (r != Reason.NONE) {
            clear();
            return r;
        }
        sendSize = total(send, sendCount);
        recvSize = total(recv, recvCount);
        if (sendSize < 0 || recvSize < 0) {
            clear();
            return Reason.BUFFER_TOO_LARGE;
        }
        return Reason.NONE;
    }

    /** Why one of {@code segs} cannot be attached, or NONE. */
    private static Reason check(MemorySegment[] segs, int count, boolean writable) {
        for (int i = 0; i < count; i++) {
            MemorySegment seg = segs[i];
            if (seg == null) {
                return Reason.BUFFER_NULL;
            }
            if (!seg.scope().isAlive()) {
                return Reason.SEGMENT_CLOSED;
            }
            if (!seg.isAccessibleBy(NO_THREAD)) {
                return Reason.SEGMENT_CONFINED;
            }
            if (writable && seg.isReadOnly()) {
                return Reason.RECEIVE_SEGMENT_READ_ONLY;
            }
        }
        return Reason.NONE;
    }

    /** The total size of {@code segs}, or -1 if the sum overflows. */
    private static long total(MemorySegment[] segs, int count) {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += segs[i].byteSize();
            if (total < 0) {
                return -1;
            }
        }
        return total;
    }

    /** Empties the buffers, dropping every reference to the caller's memory. */
    public void clear() {
        if (sendCount == 0 && recvCount == 0) {
            return; // already empty (sizes are 0 too): left unwritten, its line stays in both cores' caches
        }
        for (int i = 0; i < sendCount; i++) {
            send[i] = null;
        }
        for (int i = 0; i < recvCount; i++) {
            recv[i] = null;
        }
        sendCount = 0;
        recvCount = 0;
        sendSize = 0;
        recvSize = 0;
    }

    /**
     * True if {@code segment} can be touched by {@code thread} now: its arena is open and, if it is
     * confined, confined to that thread. Checked before a copy so that Read and Write return a status
     * instead of the exception MemorySegment.copy would throw.
     */
    public static boolean accessible(MemorySegment segment, Thread thread) {
        return segment.scope().isAlive() && segment.isAccessibleBy(thread);
    }

    /** True if every send segment is {@link #accessible} by {@code thread}. */
    public boolean sendAccessible(Thread thread) {
        return allAccessible(send, sendCount, thread);
    }

    /** True if every receive segment is {@link #accessible} by {@code thread}. */
    public boolean recvAccessible(Thread thread) {
        return allAccessible(recv, recvCount, thread);
    }

    private static boolean allAccessible(MemorySegment[] segs, int count, Thread thread) {
        for (int i = 0; i < count; i++) {
            if (!accessible(segs[i], thread)) {
                return false;
            }
        }
        return true;
    }

    /** Total bytes of the send buffer. */
    public long sendSize() {
        return sendSize;
    }

    /** Total bytes of the receive buffer. */
    public long recvSize() {
        return recvSize;
    }

    /**
     * Read: copies from the send buffer at {@code offset} into {@code dst}, as many bytes as fit.
     * The caller has checked {@code 0 <= offset <= sendSize()}.
     *
     * @return the bytes copied, or {@link #FAULT} if an arena was closed under the copy
     */
    public long read(long offset, MemorySegment dst) {
        return transfer(send, sendCount, offset, dst, false);
    }

    /**
     * Write: copies {@code src} into the receive buffer at {@code offset}, as many bytes as fit.
     * The caller has checked {@code 0 <= offset <= recvSize()}.
     *
     * @return the bytes copied, or {@link #FAULT} if an arena was closed under the copy
     */
    public long write(long offset, MemorySegment src) {
        return transfer(recv, recvCount, offset, src, true);
    }

    /**
     * Walks the logical sequence of {@code segs} from {@code offset}, copying to or from {@code user}
     * until either side ends. An arena closed by another thread during the copy (the check before it
     * passed) makes the JDK throw; that is the task's doing, so it becomes {@link #FAULT}, not an
     * exception out of the kernel. Bytes copied before it stay copied: they are the tasks' own memory.
     *
     * <p>Closing a shared arena stops the threads using it with a handshake that can leave the copying
     * thread interrupted (HotSpot, JDK 25). That interrupt is the closer's doing, not the copier's, so
     * it is cleared unless one was already pending: else a client could end its server's next
     * blocking syscall with INTERRUPTED just by closing its own arena. (An interrupt that arrives
     * during that very copy is lost with it.)
     */
    private static long transfer(MemorySegment[] segs, int count, long offset, MemorySegment user, boolean intoSegs) {
        boolean pending = Thread.currentThread().isInterrupted();
        try {
            return copy(segs, count, offset, user, intoSegs);
        } catch (IllegalStateException | WrongThreadException closedOrConfined) {
            if (!pending) {
                Thread.interrupted();
            }
            return FAULT;
        }
    }

    private static long copy(MemorySegment[] segs, int count, long offset, MemorySegment user, boolean intoSegs) {
        long want = user.byteSize();
        long done = 0;
        long skip = offset;
        for (int i = 0; i < count && done < want; i++) {
            MemorySegment seg = segs[i];
            long size = seg.byteSize();
            if (skip >= size) {
                skip -= size;
                continue;
            }
            long n = Math.min(size - skip, want - done);
            if (intoSegs) {
                MemorySegment.copy(user, done, seg, skip, n);
            } else {
                MemorySegment.copy(seg, skip, user, done, n);
            }
            done += n;
            skip = 0;
        }
        return done;
    }
}
