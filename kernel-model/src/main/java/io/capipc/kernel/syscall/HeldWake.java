package io.capipc.kernel.syscall;

import io.capipc.kernel.object.Task;
import org.jspecify.annotations.Nullable;

/** Two cache lines before the held wake: the fields of whatever object the heap put before it. */
abstract class HeldWakePad0 {
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}

/**
 * The wake a syscall's transition holds until it ends ({@link Wakeups#hold}). Written by every
 * syscall, on whichever core runs it, so it lives on a line of its own, padded on both sides: on
 * the line of the read-mostly fields beside it (the waker, the tracer) it would make every
 * transition on the other core miss on those.
 */
abstract class HeldWakeFields extends HeldWakePad0 {
    boolean holding;
    @Nullable Task held;
}

/** Two cache lines after it. */
final class HeldWake extends HeldWakeFields {
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;
}
