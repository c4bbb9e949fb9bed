package io.capipc.kernel.object;

import java.lang.foreign.MemorySegment;

/**
 * The segment arrays of a {@link CallerBuffers}, fixed at creation and kept apart from its counts
 * (see {@link SegmentArraysPad}), so either core reaches them from its own cache.
 */
abstract class SegmentArrays {
    final MemorySegment[] send = new MemorySegment[CallerBuffers.MAX_SEGMENTS];
    final MemorySegment[] recv = new MemorySegment[CallerBuffers.MAX_SEGMENTS];
}

/** Two cache lines between the array references and the counts each Call writes. */
abstract class SegmentArraysPad extends SegmentArrays {
    /** Fills the fixed part's last four bytes, so no subclass field can land on its line. */
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}
