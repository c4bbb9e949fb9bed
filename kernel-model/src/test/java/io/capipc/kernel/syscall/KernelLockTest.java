package io.capipc.kernel.syscall;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.Endpoint;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The kernel's two kinds of lock (KernelLock): a fast path and a kernel-wide section never overlap. */
class KernelLockTest {
    private final Object monitor = new Object();
    private final KernelLock lock = new KernelLock(new Wakeups(), InjectedBugs.NONE);

    /** Under the monitor, in a section: {@code ep} becomes hot. */
    private void heat(Endpoint ep) {
        synchronized (monitor) {
            try (var _ = lock.exclude()) {
                lock.heat(ep);
            }
        }
    }

    @Test
    void enterFast_coldEndpoint_refusedHoldingNothing() {
        Endpoint ep = new Endpoint(1);
        assertFalse(lock.enterFast(ep));
        assertFalse(ep.queueLocked());
    }

    @Test
    void enterFast_hotEndpoint_holdsItsLockUntilExit() {
        Endpoint ep = new Endpoint(1);
        heat(ep);
        assertTrue(lock.enterFast(ep));
        assertTrue(ep.queueLocked());
        lock.exitFast(ep);
        assertFalse(ep.queueLocked());
    }

    @Test
    void enterFast_whileASectionRuns_backsOutHoldingNothing() {
        Endpoint ep = new Endpoint(1);
        heat(ep);
        synchronized (monitor) {
            try (var _ = lock.exclude()) {
                assertFalse(lock.enterFast(ep));
                assertFalse(ep.queueLocked());
            }
        }
        assertTrue(lock.enterFast(ep));
        lock.exitFast(ep);
    }

    @Test
    void enterFast_endpointHeldByAnotherFastPath_givesUpHoldingNothingNew() {
        Endpoint ep = new Endpoint(1);
        heat(ep);
        assertTrue(lock.enterFast(ep));
        assertFalse(lock.enterFast(ep), "a contended endpoint goes the kernel-wide way after a few spins");
        assertTrue(ep.queueLocked(), "the first holder still holds it");
        lock.exitFast(ep);
        assertFalse(ep.queueLocked());
    }

    @Test
    void exclude_nested_letsFastPathsInOnlyAtTheOutermostClose() {
        Endpoint ep = new Endpoint(1);
        heat(ep);
        synchronized (monitor) {
            try (var _ = lock.exclude()) {
                try (var _ = lock.exclude()) {
                    assertFalse(lock.enterFast(ep));
                }
                assertFalse(lock.enterFast(ep), "an inner section's close let a fast path in");
            }
        }
        assertTrue(lock.enterFast(ep));
        lock.exitFast(ep);
    }

    @Test
    void exclude_fastPathHoldingAHotEndpoint_waitsUntilItEnds() throws Exception {
        Endpoint ep = new Endpoint(1);
        heat(ep);
        assertTrue(lock.enterFast(ep));
        CountDownLatch entered = new CountDownLatch(1);
        Thread section = Thread.ofPlatform().start(() -> {
            synchronized (monitor) {
                try (var _ = lock.exclude()) {
                    entered.countDown();
                }
            }
        });
        assertFalse(entered.await(200, TimeUnit.MILLISECONDS), "a section ran beside a fast path");
        lock.exitFast(ep);
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the section never ran after the fast path ended");
        section.join();
    }

    @Test
    void heat_oneMoreThanTheHotSet_coolsTheOldest() {
        Endpoint[] eps = new Endpoint[KernelLock.HOT + 1];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = new Endpoint(i + 1);
            heat(eps[i]);
        }
        assertFalse(eps[0].isHot());
        assertFalse(lock.enterFast(eps[0]));
        for (int i = 1; i < eps.length; i++) {
            assertTrue(eps[i].isHot(), "endpoint " + i);
        }
        heat(eps[0]);
        assertTrue(eps[0].isHot());
        assertFalse(eps[1].isHot(), "the next oldest is cooled next");
    }
}
