package io.capipc.kernel.run;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the Java heap by the current thread (HotSpot's per-thread counter). The first
 * measured round can show a few hundred bytes of JIT and on-stack-replacement noise even for an
 * empty loop, so callers warm up and keep the smallest of several rounds.
 */
final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean BEAN =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationMeter() {}

    static long allocatedBytes() {
        return BEAN.getCurrentThreadAllocatedBytes();
    }
}
