package io.capipc.kernel.object;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.jspecify.annotations.Nullable;

/**
 * A FIFO of blocked tasks, linked through the tasks themselves: queueing allocates nothing, and a task
 * is taken out of the middle in O(1) (for release and cancellation). A task is in at most one queue,
 * so one pair of links per task serves every endpoint and notification. A link is written only when
 * it changes: a task alone in its queue, the common case, is queued and taken out without a write to
 * its links (its queued flag is beside its state; see {@link Task}).
 *
 * <p>What its transitions write (the lock word, the links, the fast-path count) sits between padding
 * (see {@link TaskQueueFields}): an endpoint's queue is written by both sides of every round trip,
 * so nothing else may share its line, and its fields span 18 bytes, which one line holds in most
 * places the heap may put them (docs/benchmarks.md, "The line budget").
 */
public final class TaskQueue extends TaskQueueFields {
    private static final VarHandle LOCK;
    private static final VarHandle HOT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCK = l.findVarHandle(TaskQueueFields.class, "lock", int.class);
            HOT = l.findVarHandle(TaskQueueFields.class, "hot", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Two cache lines after the fields, so the next object on the heap is not on their line. */
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

    /** Takes the lock if it is free (sequentially consistent, as a fast path's handshake needs). */
    boolean tryLock() {
        return LOCK.compareAndSet(this, 0, 1);
    }

    /** Lets the lock go; what the holder wrote is seen by whoever takes it next. */
    void unlock() {
        LOCK.setRelease(this, 0);
    }

    /** True if a fast path holds the lock (sequentially consistent, after the flag is raised). */
    boolean isLocked() {
        return (int) LOCK.getVolatile(this) != 0;
    }

    boolean isHot() {
        return (boolean) HOT.getVolatile(this);
    }

    /** Sequentially consistent: a section marks it, then reads the lock ({@code KernelLock.heat}). */
    void hot(boolean hot) {
        HOT.setVolatile(this, hot);
    }

    /** Modulo 2^32: a count for tests. */
    long fastPaths() {
        return Integer.toUnsignedLong(fastPaths);
    }

    void countFastPath() {
        fastPaths++;
    }

    boolean receivers() {
        return receivers;
    }

    /** An endpoint's queue: the tasks it holds from now on are receivers (or senders); written only when it changes. */
    void receivers(boolean r) {
        if (receivers != r) {
            receivers = r;
        }
    }

    /** The oldest task, or null. */
    public @Nullable Task head() {
        return head;
    }

    public boolean isEmpty() {
        return head == null;
    }

    /** The task after {@code t}, or null. */
    public static @Nullable Task next(Task t) {
        return t.queueNext;
    }

    /** Appends {@code t}. */
    void add(Task t) {
        if (t.queuedIn() != null) {
            throw new AssertionError(t + " is already in a queue");
        }
        t.queuedIn(this);
        if (head == null) {
            head = t;
        } else {
            t.queuePrev = tail;
            tail.queueNext = t;
        }
        tail = t;
    }

    /**
     * Takes {@code t} out, wherever it is. A task not linked here is a kernel bug: it fails loudly
     * under {@code -ea} and otherwise changes nothing (unlinking it would cut the queue short and
     * strand every task behind it).
     */
    void remove(Task t) {
        if (t != head && t.queuedIn() != this) { // the head is linked here by construction: its flags are not read
            assert false : t + " is not in this queue";
            return;
        }
        t.queuedIn(null);
        Task prev = t.queuePrev;
        Task next = t.queueNext;
        if (prev == null) {
            head = next;
        } else {
            prev.queueNext = next;
            t.queuePrev = null;
        }
        if (next == null) {
            tail = prev;
        } else {
            next.queuePrev = prev;
            t.queueNext = null;
        }
    }
}

/** Two cache lines before a queue's fields (the first int fills the header's last four bytes). */
abstract class TaskQueuePad {
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}

/** What a queue's transitions write: between {@link TaskQueuePad} and the padding of {@link TaskQueue}. */
abstract class TaskQueueFields extends TaskQueuePad {
    @Nullable Task head;
    @Nullable Task tail;
    /** An endpoint's own lock, beside the links its fast paths write (see KernelLock); accessed through LOCK. */
    int lock;
    /** Fast paths taken on the endpoint, counted under its lock. */
    int fastPaths;
    /** Set while the endpoint may take fast paths; written under the kernel-wide lock, through HOT. */
    boolean hot;
    /** An endpoint's: its tasks are receivers, not senders (valid while any waits; see Endpoint#enqueue). */
    boolean receivers;
}
