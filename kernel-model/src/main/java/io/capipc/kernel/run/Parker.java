package io.capipc.kernel.run;

import io.capipc.kernel.object.Registers;
import java.util.concurrent.locks.LockSupport;

/**
 * How one task's thread waits for the transition that completes its blocked syscall: spin for a
 * bounded time, then park (docs/semantics.md §10). One per task, created when the task starts, so waiting
 * allocates nothing.
 *
 * <p>The handshake is Dekker's, on two words with sequentially consistent (volatile) accesses: the
 * waker advances {@code signal} then reads {@code parked}; the waiter sets {@code parked} then reads
 * {@code signal}. At least one of them sees the other's write, so a wake is never lost: either the
 * waiter sees the signal and does not park, or the waker sees it parked and unparks it (an unpark
 * before the park only makes the park return at once). {@code signal} is advanced with a volatile
 * store (Dekker's handshake needs the store-load order a release store does not give) after the
 * transition wrote the result, and read with acquire before the result is read.
 *
 * <p>{@code signal} counts wakes, and the owner keeps how many it has consumed ({@code seen}, in its
 * own part of this object, padded on both sides): a wake is pending while they differ. The owner
 * does not write the mailbox's line to consume one (only to park, or to set registers), so a spin
 * that ends takes no line back from the partner's core (as the protocol floor's sequence numbers do
 * not; docs/benchmarks.md). One transition completes a blocked syscall and wakes it once, and the
 * next wake can only follow the owner's next blocking syscall, which follows the consumption in the owner's own order and
 * happens before any transition that completes it (through the lock that syscall's transition took,
 * the kernel-wide one or its endpoint's, and the transitions and wakes between).
 *
 * <p>Both words live in the task's {@link Registers}, beside the status, info and badge a transition
 * writes: the woken thread spins on the line that brings it its results (docs/benchmarks.md).
 */
final class Parker extends ParkerOwn {
    /** Two cache lines after {@code seen}, so the next object on the heap is not on its line. */
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

    /** A parker for {@code flags}, whose wakes so far count as consumed. */
    Parker(Thread thread, Registers flags) {
        super(thread, flags);
        this.seen = flags.signalAcquire();
    }

    /** Waker side: called under the completing transition's lock (either kind) after the task's result is written. */
    void wake() {
        flags.setSignalVolatile(flags.signalAcquire() + 1);
        if (flags.parkedVolatile() != 0) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * The task this parker's thread runs was killed, under the kernel lock, before any wake the kill
     * causes: the thread leaves its wait (or does not start one) and unwinds with TaskKilled.
     */
    void kill() {
        killed = true;
        LockSupport.unpark(thread);
    }

    /** True once {@link #kill} was called. */
    boolean isKilled() {
        return killed;
    }

    /** The thread that waits here. */
    Thread thread() {
        return thread;
    }

    /** How a wait ended. */
    static final int WOKEN = 0;
    static final int TIMED_OUT = 1;
    static final int INTERRUPTED = 2;
    static final int KILLED = 3;

    /**
     * Owner side: spins for about {@code spinNanos}, then parks, until woken (the signal is then
     * consumed), {@code deadline} passes on System.nanoTime ({@link Long#MAX_VALUE}: never), or the
     * thread is interrupted (its interrupt status is then cleared).
     */
    int await(long spinNanos, long deadline) {
        int r = spin(spinNanos, deadline);
        if (r == -1) {
            r = park(deadline);
        }
        if (r == WOKEN) {
            seen++;
        }
        return r;
    }

    /** True if a wake arrived that the owner has not consumed. */
    boolean signalled() {
        return flags.signalAcquire() != seen;
    }

    /**
     * Owner side, after its blocked syscall was found already completed: the waker set the signal
     * inside the transition that completed it, so it is visible now; consumes it.
     */
    void consumeSignal() {
        if (!signalled()) {
            throw new AssertionError("a completed syscall left no signal");
        }
        seen++;
    }

    /** WOKEN, TIMED_OUT, INTERRUPTED, or -1 when the spin ran out. */
    private int spin(long spinNanos, long deadline) {
        if (signalled()) {
            return WOKEN;
        }
        if (spinNanos <= 0) {
            return -1;
        }
        long spinEnd = System.nanoTime() + spinNanos;
        for (int i = 1; ; i++) {
            if (signalled()) {
                return WOKEN;
            }
            // Reading the clock costs about 20 ns; check it, interrupts and kills, only every 64 spins.
            if ((i & 63) == 0) {
                if (killed) {
                    return KILLED;
                }
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    return TIMED_OUT;
                }
                if (Thread.interrupted()) {
                    return INTERRUPTED;
                }
                if (now - spinEnd > 0) {
                    break;
                }
            }
            Thread.onSpinWait();
        }
        return -1;
    }

    private int park(long deadline) {
        flags.setParkedVolatile(1);
        int r = WOKEN;
        while (flags.signalVolatile() == seen) {
            if (killed) {
                r = KILLED;
                break;
            }
            if (Thread.interrupted()) {
                r = INTERRUPTED;
                break;
            }
            if (deadline == Long.MAX_VALUE) {
                LockSupport.park(this);
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                r = TIMED_OUT;
                break;
            }
            LockSupport.parkNanos(this, left);
        }
        flags.clearParkedOpaque();
        return r;
    }
}

/**
 * What the waker and a kill read of a {@link Parker}: fixed at creation, but for the kill flag, which
 * is set once.
 */
abstract class ParkerFixed {
    final Registers flags;
    final Thread thread;
    /** Set once, when the task is killed (or restarted on another thread): the wait ends, for good. */
    volatile boolean killed;

    ParkerFixed(Thread thread, Registers flags) {
        this.thread = thread;
        this.flags = flags;
    }
}

/** Two cache lines between what the waker reads and the count the owner writes at every wake. */
abstract class ParkerPad extends ParkerFixed {
    /** Fills the fixed part's last four bytes, so no subclass field can land on its line. */
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;

    ParkerPad(Thread thread, Registers flags) {
        super(thread, flags);
    }
}

/** The owner's own part: wakes consumed, written at every wake, two lines from what the waker reads. */
abstract class ParkerOwn extends ParkerPad {
    int seen;

    ParkerOwn(Thread thread, Registers flags) {
        super(thread, flags);
    }
}
