package io.capipc.kernel.run;

import io.capipc.kernel.object.Registers;
import java.util.concurrent.locks.LockSupport;

/**
 * How one task's thread waits for the transition that completes its blocked syscall: spin for a
 * bounded time, then park (docs/semantics.md §10). One per task, created when the task starts, so waiting
 * allocates nothing.
 *
 * <p>The handshake is Dekker's, on two flags with sequentially consistent (volatile) accesses: the
 * waker sets {@code signal} then reads {@code parked}; the waiter sets {@code parked} then reads
 * {@code signal}. At least one of them sees the other's write, so a wake is never lost: either the
 * waiter sees the signal and does not park, or the waker sees it parked and unparks it (an unpark
 * before the park only makes the park return at once). {@code signal} is set with a volatile store
 * (Dekker's handshake needs the store-load order a release store does not give) after the transition
 * wrote the result, and read with acquire before the result is read.
 *
 * <p>Only the owning thread clears {@code signal}, after seeing it; the next signal can only follow
 * the owner's next blocking syscall, which follows the clear in the owner's own order and happens
 * before any transition that completes it (through the lock that syscall's transition took, the
 * kernel-wide one or its endpoint's, and the transitions and wakes between).
 *
 * <p>Both flags live in the task's {@link Registers}, beside the status, info and badge a transition
 * writes: the woken thread spins on the line that brings it its results (docs/benchmarks.md).
 */
final class Parker {
    private final Registers flags;
    private final Thread thread;
    /** Set once, when the task is killed (or restarted on another thread): the wait ends, for good. */
    private volatile boolean killed;

    Parker(Thread thread, Registers flags) {
        this.thread = thread;
        this.flags = flags;
    }

    /** Waker side: called under the completing transition's lock (either kind) after the task's result is written. */
    void wake() {
        flags.setSignalVolatile(1);
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
            flags.clearSignalOpaque();
        }
        return r;
    }

    /**
     * Owner side, after its blocked syscall was found already completed: the waker set the signal
     * inside the transition that completed it, so it is visible now; consumes it.
     */
    void consumeSignal() {
        if (flags.signalAcquire() == 0) {
            throw new AssertionError("a completed syscall left no signal");
        }
        flags.clearSignalOpaque();
    }

    /** WOKEN, TIMED_OUT, INTERRUPTED, or -1 when the spin ran out. */
    private int spin(long spinNanos, long deadline) {
        if (flags.signalAcquire() != 0) {
            return WOKEN;
        }
        if (spinNanos <= 0) {
            return -1;
        }
        long spinEnd = System.nanoTime() + spinNanos;
        for (int i = 1; ; i++) {
            if (flags.signalAcquire() != 0) {
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
        while (flags.signalVolatile() == 0) {
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
