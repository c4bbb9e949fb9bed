package io.capipc.kernel.run;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/** Padding before the hot fields, so no neighbouring object shares their cache line. */
abstract class ParkerPadBefore {
    long p01, p02, p03, p04, p05, p06, p07, p08;
}

/** The two flags of the wake handshake; see {@link Parker}. */
abstract class ParkerFields extends ParkerPadBefore {
    int signal;
    int parked;
}

/**
 * How one task's thread waits for the transition that completes its blocked syscall: spin for a
 * bounded time, then park (SPEC section 10). One per task, created when the task starts, so waiting
 * allocates nothing.
 *
 * <p>The handshake is Dekker's, on two flags with sequentially consistent (volatile) accesses: the
 * waker sets {@code signal} then reads {@code parked}; the waiter sets {@code parked} then reads
 * {@code signal}. At least one of them sees the other's write, so a wake is never lost: either the
 * waiter sees the signal and does not park, or the waker sees it parked and unparks it (an unpark
 * before the park only makes the park return at once). {@code signal} is published with release
 * after the transition wrote the result, and read with acquire before the result is read.
 *
 * <p>Only the owning thread clears {@code signal}, after seeing it; the next signal can only follow
 * the owner's next blocking syscall, which the kernel lock orders after the clear.
 */
final class Parker extends ParkerFields {
    private static final VarHandle SIGNAL;
    private static final VarHandle PARKED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SIGNAL = l.findVarHandle(ParkerFields.class, "signal", int.class);
            PARKED = l.findVarHandle(ParkerFields.class, "parked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long q01, q02, q03, q04, q05, q06, q07, q08;
    private final Thread thread;

    Parker(Thread thread) {
        this.thread = thread;
    }

    /** Waker side: called under the kernel lock after the task's result is written. */
    void wake() {
        SIGNAL.setVolatile(this, 1);
        if ((int) PARKED.getVolatile(this) != 0) {
            LockSupport.unpark(thread);
        }
    }

    /** Owner side: returns once woken; spins for about {@code spinNanos}, then parks. */
    void await(long spinNanos) {
        if (!spin(spinNanos)) {
            park();
        }
        SIGNAL.setOpaque(this, 0);
    }

    private boolean spin(long spinNanos) {
        if (spinNanos <= 0) {
            return (int) SIGNAL.getAcquire(this) != 0;
        }
        long deadline = System.nanoTime() + spinNanos;
        for (int i = 1; ; i++) {
            if ((int) SIGNAL.getAcquire(this) != 0) {
                return true;
            }
            // Reading the clock costs about 20 ns; check it only every 64 spins.
            if ((i & 63) == 0 && System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.onSpinWait();
        }
    }

    private void park() {
        PARKED.setVolatile(this, 1);
        while ((int) SIGNAL.getVolatile(this) == 0) {
            LockSupport.park(this);
        }
        PARKED.setOpaque(this, 0);
    }
}
