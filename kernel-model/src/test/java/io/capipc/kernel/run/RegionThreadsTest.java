package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.inspect.KernelView.RegionView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guarantee 14 on real threads: a reader and a writer task hammer one mapping while a third task of
 * the same Space revokes the capability it was made through. After Revoke returns, no byte is read
 * or written through the view (the writer's counter, seen through the revoker's own mapping, stops),
 * both hammering tasks fault with the JDK's exception, nothing crashes the JVM, and the region's
 * memory is freed exactly once, when its last capability goes.
 */
class RegionThreadsTest {
    private static final int REGION = 0;
    private static final int CHILD = 1;
    private static final int ROUNDS = 8;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @ParameterizedTest
    @EnumSource(ThreadedRuntime.Threads.class)
    void revokeWhileThreadsHammerTheView_noAccessAfterItReturns_memoryFreedOnce(ThreadedRuntime.Threads threads)
            throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            oneRound(threads);
        }
    }

    private static void ok(Status s) {
        if (s != Status.OK) {
            throw new AssertionError("expected OK, was " + s);
        }
    }

    private static MemorySegment map(Syscalls sys, int cap) {
        ok(sys.map(cap));
        return sys.ipc().mapping();
    }

    private static void oneRound(ThreadedRuntime.Threads threads) throws Exception {
        Kernel kernel = new Kernel();
        ObjectHandle region = kernel.createRegion(1 << 20);
        SpaceHandle space = kernel.createSpace("hammered", 4);
        kernel.install(space, REGION, region, Rights.ALL, 0);
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads);
        AtomicReference<Throwable> writerEnd = new AtomicReference<>();
        AtomicReference<Throwable> readerEnd = new AtomicReference<>();
        long[] seen = new long[2];
        int[] freesBeforeDelete = {-1};
        AtomicReference<String> phase = new AtomicReference<>("starting");
        TaskHandle revoker = kernel.createTask(space, "revoker");
        rt.start(kernel.createTask(space, "writer"), w -> writerEnd.set(hammerWrites(mapChild(w))));
        rt.start(kernel.createTask(space, "reader"), r -> readerEnd.set(hammerReads(mapChild(r))));
        rt.start(revoker, sys -> {
            MemorySegment own = map(sys, REGION);
            ok(sys.copy(REGION, CHILD, Rights.READ | Rights.WRITE));
            phase.set("waiting for the hammers");
            while (own.get(ValueLayout.JAVA_LONG, 0) < 10_000 || own.get(ValueLayout.JAVA_LONG, 8) == 0) {
                letOthersRun(); // until both are hammering
            }
            phase.set("revoking");
            ok(sys.revoke(REGION));
            phase.set("revoked");
            seen[0] = own.get(ValueLayout.JAVA_LONG, 0);
            LockSupport.parkNanos(20_000_000);
            seen[1] = own.get(ValueLayout.JAVA_LONG, 0);
            freesBeforeDelete[0] = regionView(kernel, region.id()).frees();
            ok(sys.delete(REGION));
            phase.set("done");
        });
        boolean ended = rt.awaitTermination(LIMIT);
        assertTrue(ended, () -> "not ended: revoker " + phase.get() + ", writer " + writerEnd.get() + ", reader "
                + readerEnd.get() + ", failures " + rt.failures() + ", " + kernel.inspect().tasks());
        assertEquals(Map.of(), rt.failures());
        assertEquals(seen[0], seen[1], "a write landed after Revoke returned");
        assertInstanceOf(IllegalStateException.class, writerEnd.get());
        assertInstanceOf(IllegalStateException.class, readerEnd.get());
        assertEquals(List.of(), kernel.inspect().mappings());
        assertEquals(0, freesBeforeDelete[0], "freed while a capability lived");
        assertTrue(regionView(kernel, region.id()).destroyed());
        assertEquals(1, regionView(kernel, region.id()).frees());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    /** Maps CHILD once the revoker has copied the capability there. */
    private static MemorySegment mapChild(Syscalls sys) {
        while (sys.map(CHILD) != Status.OK) {
            letOthersRun();
        }
        return sys.ipc().mapping();
    }

    /**
     * Three tasks spin on two cores. A virtual thread's Thread.yield goes back to its own carrier's
     * queue, so a third virtual thread could starve; a short park unmounts it and lets the carrier
     * take another.
     */
    private static void letOthersRun() {
        LockSupport.parkNanos(1_000);
    }

    /** Writes a rising counter until the view refuses; returns the refusal. */
    private static Throwable hammerWrites(MemorySegment view) {
        try {
            for (long i = 1; ; i++) {
                view.set(ValueLayout.JAVA_LONG, 0, i);
                if ((i & 0xFFF) == 0) {
                    letOthersRun();
                }
            }
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** Reads across the view until it refuses, marking that it started; returns the refusal. */
    private static Throwable hammerReads(MemorySegment view) {
        long sum = 0;
        try {
            view.set(ValueLayout.JAVA_LONG, 8, 1);
            for (long i = 0; ; i = (i + 64) & ((1 << 20) - 1)) {
                sum += view.get(ValueLayout.JAVA_BYTE, i);
                if (i == 0) {
                    letOthersRun();
                }
            }
        } catch (RuntimeException e) {
            return sum == Long.MIN_VALUE ? new AssertionError() : e;
        }
    }

    private static RegionView regionView(Kernel kernel, int id) {
        return kernel.inspect().regions().stream().filter(r -> r.id() == id).findFirst().orElseThrow();
    }
}
