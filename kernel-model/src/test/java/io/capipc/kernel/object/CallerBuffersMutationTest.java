package io.capipc.kernel.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Reason;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** CallerBuffers on its own: attach empties what an earlier attach left, clear at full capacity, accessibility. */
class CallerBuffersMutationTest {
    private static MemorySegment[] segments(int n, int size) {
        MemorySegment[] out = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            out[i] = MemorySegment.ofArray(new byte[size]);
        }
        return out;
    }

    @Test
    void attach_nullArrayAfterEarlierAttach_refusedAndEmpty() {
        CallerBuffers b = new CallerBuffers();
        assertEquals(Reason.NONE, b.attach(segments(2, 3), segments(1, 4)));
        assertEquals(6, b.sendSize());
        assertEquals(4, b.recvSize());
        assertEquals(Reason.BUFFER_NULL, b.attach(null, CallerBuffers.NONE));
        assertEquals(0, b.sendSize());
        assertEquals(0, b.recvSize());
        assertEquals(0, b.read(0, MemorySegment.ofArray(new byte[4])), "no segment of the earlier attach is read");
    }

    @Test
    void attach_tooManySegmentsAfterEarlierAttach_refusedAndEmpty() {
        CallerBuffers b = new CallerBuffers();
        assertEquals(Reason.NONE, b.attach(segments(1, 3), segments(1, 4)));
        assertEquals(Reason.SEGMENTS_OVER_8, b.attach(segments(9, 1), CallerBuffers.NONE));
        assertEquals(0, b.sendSize());
        assertEquals(0, b.write(0, MemorySegment.ofArray(new byte[4])));
    }

    @Test
    void attach_recvSegmentInvalidAfterValidSend_sendSizeClearedToo() {
        CallerBuffers b = new CallerBuffers();
        assertEquals(Reason.RECEIVE_SEGMENT_READ_ONLY, b.attach(segments(2, 3), new MemorySegment[] {MemorySegment.ofArray(new byte[2]).asReadOnly()}));
        assertEquals(0, b.sendSize());
        assertEquals(0, b.recvSize());
        assertEquals(0, b.read(0, MemorySegment.ofArray(new byte[4])));
    }

    @Test
    void clear_eightSegmentsEachWay_emptiesWithoutOverrun() {
        CallerBuffers b = new CallerBuffers();
        assertEquals(Reason.NONE, b.attach(segments(8, 2), segments(8, 2)));
        assertEquals(16, b.sendSize());
        assertEquals(16, b.recvSize());
        b.clear();
        assertEquals(0, b.sendSize());
        assertEquals(0, b.recvSize());
        assertEquals(Reason.NONE, b.attach(segments(8, 1), segments(8, 1)));
        assertEquals(8, b.sendSize());
    }

    @Test
    @SuppressWarnings("MustBeClosedChecker") // the arena is closed mid-test on purpose
    void recvAccessible_receiveSegmentClosedAfterAttach_false() {
        CallerBuffers b = new CallerBuffers();
        Arena arena = Arena.ofShared();
        MemorySegment recv = arena.allocate(4);
        assertEquals(Reason.NONE, b.attach(segments(1, 2), new MemorySegment[] {recv}));
        assertTrue(b.recvAccessible(Thread.currentThread()));
        arena.close();
        assertFalse(b.recvAccessible(Thread.currentThread()));
        assertTrue(b.sendAccessible(Thread.currentThread()));
    }

    @Test
    void attach_confinedSegmentEvenOfThisThread_invalidArgumentAndEmpty() {
        CallerBuffers b = new CallerBuffers();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] confined = {arena.allocate(4)};
            assertEquals(Reason.SEGMENT_CONFINED, b.attach(CallerBuffers.NONE, confined));
            assertEquals(Reason.SEGMENT_CONFINED, b.attach(confined, CallerBuffers.NONE));
            assertEquals(0, b.sendSize());
            assertEquals(0, b.recvSize());
        }
    }

    @Test
    void recvAccessible_confinedSegmentOtherThread_false() {
        try (Arena arena = Arena.ofConfined()) {
            assertFalse(CallerBuffers.accessible(arena.allocate(4), new Thread(() -> { })));
            assertTrue(CallerBuffers.accessible(arena.allocate(4), Thread.currentThread()));
        }
    }

    /** An arena closed after the checks, as another thread may do mid-syscall: the copy reports a fault, never throws. */
    @Test
    @SuppressWarnings("MustBeClosedChecker") // the arenas are closed mid-test on purpose
    void readAndWrite_arenaClosedAfterAttach_faultNotException() {
        CallerBuffers b = new CallerBuffers();
        Arena arena = Arena.ofShared();
        assertEquals(Reason.NONE, b.attach(new MemorySegment[] {arena.allocate(4)}, new MemorySegment[] {arena.allocate(4)}));
        arena.close();
        assertEquals(CallerBuffers.FAULT, b.read(0, MemorySegment.ofArray(new byte[4])));
        assertEquals(CallerBuffers.FAULT, b.write(0, MemorySegment.ofArray(new byte[4])));
        Arena own = Arena.ofShared();
        MemorySegment dst = own.allocate(4);
        own.close();
        CallerBuffers heap = new CallerBuffers();
        assertEquals(Reason.NONE, heap.attach(segments(1, 4), CallerBuffers.NONE));
        assertEquals(CallerBuffers.FAULT, heap.read(0, dst), "the server's own segment closed under the copy");
    }

    @Test
    void readAndWrite_acrossSegments_copyInLogicalOrder() {
        CallerBuffers b = new CallerBuffers();
        MemorySegment[] send = {MemorySegment.ofArray(new byte[] {1, 2}), MemorySegment.ofArray(new byte[] {3}),
                                MemorySegment.ofArray(new byte[] {4, 5, 6})};
        byte[] r1 = new byte[2];
        byte[] r2 = new byte[3];
        assertEquals(Reason.NONE, b.attach(send, new MemorySegment[] {MemorySegment.ofArray(r1), MemorySegment.ofArray(r2)}));
        byte[] out = new byte[10];
        assertEquals(4, b.read(2, MemorySegment.ofArray(out)));
        assertEquals("[3, 4, 5, 6, 0, 0, 0, 0, 0, 0]", Arrays.toString(out));
        assertEquals(3, b.write(2, MemorySegment.ofArray(new byte[] {7, 8, 9, 10})));
        assertEquals("[0, 0]", Arrays.toString(r1));
        assertEquals("[7, 8, 9]", Arrays.toString(r2));
    }
}
