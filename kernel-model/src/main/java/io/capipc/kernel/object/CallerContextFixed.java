package io.capipc.kernel.object;

import io.capipc.kernel.object.CallerBuffers;

/**
 * What a {@link CallerContext} holds from creation to the end, kept apart from what transitions change (see
 * {@link CallerContextPad}), so the server's core reaches the caller and its buffers from its own cache.
 */
abstract class CallerContextFixed {
    final Task caller;
    final CallerBuffers buffers = new CallerBuffers();

    CallerContextFixed(Task caller) {
        this.caller = caller;
    }
}

/** Two cache lines between a context's fixed references and its state. */
abstract class CallerContextPad extends CallerContextFixed {
    /** Fills the fixed part's last four bytes, so no subclass field can land on its line. */
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;

    CallerContextPad(Task caller) {
        super(caller);
    }
}
