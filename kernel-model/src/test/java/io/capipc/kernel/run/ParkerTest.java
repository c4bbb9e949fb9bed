package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.object.Registers;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import org.junit.jupiter.api.Test;

/**
 * The wake count on one thread: the owner consumes a wake without writing the mailbox's line (the
 * count stays as the waker left it), and a consumed wake is never seen again. The races are
 * {@link ParkerModelCheckTest}'s.
 */
class ParkerTest {
    private final Registers flags = new Task(0, "waiter", new Space(0, "waiter", 1, 0, 1)).ipc();

    @Test
    void await_consumesAWakeWithoutWritingTheSignal() {
        Parker p = new Parker(Thread.currentThread(), flags);
        p.wake();
        assertEquals(Parker.WOKEN, p.await(0, Long.MAX_VALUE));
        assertEquals(1, flags.signalAcquire(), "the owner wrote the signal, which only wakers write");
        assertFalse(p.signalled());
        assertEquals(Parker.TIMED_OUT, p.await(0, System.nanoTime()), "a consumed wake ended a later wait");
        p.wake();
        assertTrue(p.signalled());
        assertEquals(Parker.WOKEN, p.await(1_000_000, Long.MAX_VALUE));
        assertEquals(2, flags.signalAcquire());
    }

    @Test
    void consumeSignal_consumesExactlyOneWake() {
        Parker p = new Parker(Thread.currentThread(), flags);
        p.wake();
        p.consumeSignal();
        assertFalse(p.signalled());
        assertEquals(Parker.TIMED_OUT, p.await(0, System.nanoTime()));
    }

    @Test
    void aNewParker_countsEarlierWakesAsConsumed() {
        new Parker(Thread.currentThread(), flags).wake();
        Parker fresh = new Parker(Thread.currentThread(), flags);
        assertFalse(fresh.signalled(), "a wake for the earlier parker ended the new one's first wait");
        assertEquals(Parker.TIMED_OUT, fresh.await(0, System.nanoTime()));
    }
}
