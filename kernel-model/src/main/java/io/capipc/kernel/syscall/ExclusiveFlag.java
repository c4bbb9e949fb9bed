package io.capipc.kernel.syscall;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

abstract class ExclusiveFlagPad0 {
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}

abstract class ExclusiveFlagField extends ExclusiveFlagPad0 {
    volatile int up;
}

/**
 * The kernel-wide flag a monitor section raises to keep fast paths out ({@link KernelLock}): read
 * by every fast path, written only by monitor sections, so on a line of its own, padded on both
 * sides, it stays in every core's cache while no section runs.
 */
final class ExclusiveFlag extends ExclusiveFlagField {
    private static final VarHandle UP;

    static {
        try {
            UP = MethodHandles.lookup().findVarHandle(ExclusiveFlagField.class, "up", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

    /** Sequentially consistent: the section's reads of the endpoints' locks come after it. */
    void raise() {
        UP.setVolatile(this, 1);
    }

    /** Release: a fast path that reads the flag down sees everything the section wrote. */
    void lower() {
        UP.setRelease(this, 0);
    }

    /** Sequentially consistent, after a fast path's compare-and-set of its endpoint's lock. */
    boolean isUp() {
        return (int) UP.getVolatile(this) != 0;
    }
}
