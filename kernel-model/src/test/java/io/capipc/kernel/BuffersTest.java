package io.capipc.kernel;

import static io.capipc.kernel.Fixture.BADGE_A;
import static io.capipc.kernel.Fixture.EP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.api.TaskState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Attached buffers (docs/semantics.md §3) and Read, Write, CallerInfo (docs/semantics.md §5.3). */
class BuffersTest {
    private static final int LABEL = 17;

    private final Fixture f = new Fixture();

    /** Bytes 1..n. */
    private static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i + 1);
        }
        return b;
    }

    private static MemorySegment seg(byte[] bytes) {
        return MemorySegment.ofArray(bytes);
    }

    private static byte[] bytes(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    /** The server waits, then clientA calls with these buffers: the server holds the context. */
    private void serverHolds(MemorySegment[] send, MemorySegment[] recv) {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(LABEL, 0), send, recv));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
    }

    private void serverHolds(byte[] send, byte[] recv) {
        serverHolds(new MemorySegment[] {seg(send)}, new MemorySegment[] {seg(recv)});
    }

    @Test
    void read_wholeSendBuffer_copiesEveryByte() {
        byte[] send = counting(10);
        serverHolds(send, new byte[4]);
        byte[] dst = new byte[10];
        assertEquals(Outcome.OK, f.driver.read(f.server, 0, seg(dst)));
        assertEquals(10, f.ipc(f.server).count());
        assertArrayEquals(send, dst);
        f.assertConsistent();
    }

    @Test
    void read_atOffset_copiesFromThere() {
        serverHolds(counting(10), new byte[0]);
        byte[] dst = new byte[3];
        assertEquals(Outcome.OK, f.driver.read(f.server, 4, seg(dst)));
        assertEquals(3, f.ipc(f.server).count());
        assertArrayEquals(new byte[] {5, 6, 7}, dst);
    }

    @Test
    void read_dstLongerThanRest_shortCountAndRestOfDstUntouched() {
        serverHolds(counting(10), new byte[0]);
        byte[] dst = new byte[8];
        Arrays.fill(dst, (byte) -1);
        assertEquals(Outcome.OK, f.driver.read(f.server, 7, seg(dst)));
        assertEquals(3, f.ipc(f.server).count());
        assertArrayEquals(new byte[] {8, 9, 10, -1, -1, -1, -1, -1}, dst);
    }

    @Test
    void read_offsetEqualsSize_okWithZeroBytes() {
        serverHolds(counting(10), new byte[0]);
        byte[] dst = new byte[4];
        assertEquals(Outcome.OK, f.driver.read(f.server, 10, seg(dst)));
        assertEquals(0, f.ipc(f.server).count());
        assertArrayEquals(new byte[4], dst);
    }

    @Test
    void read_offsetBeyondSize_range() {
        serverHolds(counting(10), new byte[0]);
        byte[] dst = new byte[4];
        assertEquals(Outcome.RANGE, f.driver.read(f.server, 11, seg(dst)));
        assertArrayEquals(new byte[4], dst);
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
    }

    @Test
    void read_negativeOffset_range() {
        serverHolds(counting(10), new byte[0]);
        byte[] dst = new byte[4];
        assertEquals(Outcome.RANGE, f.driver.read(f.server, -1, seg(dst)));
        assertEquals(Outcome.RANGE, f.driver.read(f.server, Long.MIN_VALUE, seg(dst)));
        assertArrayEquals(new byte[4], dst);
    }

    @Test
    void read_acrossSegmentsSomeEmpty_readsOneSequence() {
        MemorySegment[] send = {
            seg(new byte[] {1, 2, 3}), seg(new byte[0]), seg(new byte[] {4, 5, 6, 7}), seg(new byte[0]), seg(new byte[] {8, 9})
        };
        serverHolds(send, new MemorySegment[0]);
        byte[] all = new byte[20];
        assertEquals(Outcome.OK, f.driver.read(f.server, 0, seg(all)));
        assertEquals(9, f.ipc(f.server).count());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, Arrays.copyOf(all, 9));

        byte[] middle = new byte[5];
        assertEquals(Outcome.OK, f.driver.read(f.server, 2, seg(middle)));
        assertEquals(5, f.ipc(f.server).count());
        assertArrayEquals(new byte[] {3, 4, 5, 6, 7}, middle);

        byte[] atBoundary = new byte[2];
        assertEquals(Outcome.OK, f.driver.read(f.server, 7, seg(atBoundary)));
        assertArrayEquals(new byte[] {8, 9}, atBoundary);
    }

    @Test
    void read_nativeSegments_readsThroughArena() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate(4);
            MemorySegment b = arena.allocate(4);
            a.copyFrom(seg(new byte[] {1, 2, 3, 4}));
            b.copyFrom(seg(new byte[] {5, 6, 7, 8}));
            serverHolds(new MemorySegment[] {a, b}, new MemorySegment[0]);
            MemorySegment dst = arena.allocate(6);
            assertEquals(Outcome.OK, f.driver.read(f.server, 1, dst));
            assertEquals(6, f.ipc(f.server).count());
            assertArrayEquals(new byte[] {2, 3, 4, 5, 6, 7}, bytes(dst));
        }
    }

    @Test
    void read_readOnlySendSegment_accepted() {
        serverHolds(new MemorySegment[] {seg(counting(4)).asReadOnly()}, new MemorySegment[0]);
        byte[] dst = new byte[4];
        assertEquals(Outcome.OK, f.driver.read(f.server, 0, seg(dst)));
        assertArrayEquals(counting(4), dst);
    }

    @Test
    void read_doesNotChangeSendBuffer() {
        byte[] send = counting(6);
        serverHolds(send, new byte[0]);
        assertEquals(Outcome.OK, f.driver.read(f.server, 0, seg(new byte[6])));
        assertArrayEquals(counting(6), send);
    }

    @Test
    void write_acrossSegments_fillsInOrderAndNeighboursUntouched() {
        byte[] backing = new byte[20];
        Arrays.fill(backing, (byte) 0x55);
        MemorySegment whole = seg(backing);
        // attached: [2,5) and [8,8) and [10,14): 7 bytes; the rest of backing is not the caller's buffer
        MemorySegment[] recv = {whole.asSlice(2, 3), whole.asSlice(8, 0), whole.asSlice(10, 4)};
        serverHolds(new MemorySegment[0], recv);

        assertEquals(Outcome.OK, f.driver.write(f.server, 0, seg(counting(7))));
        assertEquals(7, f.ipc(f.server).count());
        byte[] expected = new byte[20];
        Arrays.fill(expected, (byte) 0x55);
        expected[2] = 1;
        expected[3] = 2;
        expected[4] = 3;
        expected[10] = 4;
        expected[11] = 5;
        expected[12] = 6;
        expected[13] = 7;
        assertArrayEquals(expected, backing);
        f.assertConsistent();
    }

    @Test
    void write_pastEnd_shortCountAndNeighboursUntouched() {
        byte[] backing = new byte[12];
        Arrays.fill(backing, (byte) 0x55);
        MemorySegment whole = seg(backing);
        serverHolds(new MemorySegment[0], new MemorySegment[] {whole.asSlice(2, 3), whole.asSlice(6, 3)});

        assertEquals(Outcome.OK, f.driver.write(f.server, 4, seg(new byte[] {9, 9, 9, 9, 9})));
        assertEquals(2, f.ipc(f.server).count());
        byte[] expected = new byte[12];
        Arrays.fill(expected, (byte) 0x55);
        expected[7] = 9;
        expected[8] = 9;
        assertArrayEquals(expected, backing);
    }

    @Test
    void write_atOffsetInsideOneSegment_changesOnlyThoseBytes() {
        byte[] recv = new byte[8];
        serverHolds(new byte[0], recv);
        assertEquals(Outcome.OK, f.driver.write(f.server, 3, seg(new byte[] {7, 7})));
        assertEquals(2, f.ipc(f.server).count());
        assertArrayEquals(new byte[] {0, 0, 0, 7, 7, 0, 0, 0}, recv);
    }

    @Test
    void write_offsetEqualsSize_okWithZeroBytes() {
        byte[] recv = new byte[4];
        serverHolds(new byte[0], recv);
        assertEquals(Outcome.OK, f.driver.write(f.server, 4, seg(new byte[] {1})));
        assertEquals(0, f.ipc(f.server).count());
        assertArrayEquals(new byte[4], recv);
    }

    @Test
    void write_offsetBeyondOrNegative_range() {
        byte[] recv = new byte[4];
        serverHolds(new byte[0], recv);
        assertEquals(Outcome.RANGE, f.driver.write(f.server, 5, seg(new byte[] {1})));
        assertEquals(Outcome.RANGE, f.driver.write(f.server, -1, seg(new byte[] {1})));
        assertArrayEquals(new byte[4], recv);
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
    }

    @Test
    void write_nullSrc_invalidArgument() {
        byte[] recv = new byte[4];
        serverHolds(new byte[0], recv);
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.write(f.server, 0, null));
        assertArrayEquals(new byte[4], recv);
    }

    @Test
    void write_readOnlySrc_accepted() {
        byte[] recv = new byte[3];
        serverHolds(new byte[0], recv);
        assertEquals(Outcome.OK, f.driver.write(f.server, 0, seg(counting(3)).asReadOnly()));
        assertArrayEquals(counting(3), recv);
    }

    @Test
    void read_readOnlyDst_invalidArgument() {
        serverHolds(counting(4), new byte[0]);
        byte[] dst = new byte[4];
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.read(f.server, 0, seg(dst).asReadOnly()));
        assertArrayEquals(new byte[4], dst);
    }

    @Test
    void read_nullDst_invalidArgument() {
        serverHolds(counting(4), new byte[0]);
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.read(f.server, 0, null));
    }

    @Test
    void readWriteCallerInfo_noContext_noCaller() {
        KernelView before = f.view();
        assertEquals(Outcome.NO_CALLER, f.driver.read(f.server, 0, seg(new byte[1])));
        assertEquals(Outcome.NO_CALLER, f.driver.write(f.server, 0, seg(new byte[1])));
        assertEquals(Outcome.NO_CALLER, f.driver.callerInfo(f.server));
        assertEquals(before, f.view());
    }

    @Test
    void read_afterSendNotCall_noCaller() {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.OK, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.NO_CALLER, f.driver.read(f.server, 0, seg(new byte[1])));
        assertEquals(Outcome.NO_CALLER, f.driver.callerInfo(f.server));
    }

    @Test
    void callerInfo_heldContext_reportsBadgeLabelAndSizes() {
        MemorySegment[] send = {seg(new byte[3]), seg(new byte[0]), seg(new byte[5])};
        MemorySegment[] recv = {seg(new byte[7]), seg(new byte[11])};
        serverHolds(send, recv);
        assertEquals(Outcome.OK, f.driver.callerInfo(f.server));
        assertEquals(BADGE_A, f.ipc(f.server).callerBadge());
        assertEquals(LABEL, f.ipc(f.server).callerLabel());
        assertEquals(8, f.ipc(f.server).callerSendSize());
        assertEquals(18, f.ipc(f.server).callerRecvSize());
        f.assertConsistent();
    }

    @Test
    void callerInfo_callWithoutBuffers_sizesZero() {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(3, 0)));
        assertEquals(Outcome.OK, f.driver.callerInfo(f.server));
        assertEquals(BADGE_A, f.ipc(f.server).callerBadge());
        assertEquals(3, f.ipc(f.server).callerLabel());
        assertEquals(0, f.ipc(f.server).callerSendSize());
        assertEquals(0, f.ipc(f.server).callerRecvSize());
        assertEquals(Outcome.OK, f.driver.read(f.server, 0, seg(new byte[2])));
        assertEquals(0, f.ipc(f.server).count());
        assertEquals(Outcome.RANGE, f.driver.read(f.server, 1, seg(new byte[2])));
    }

    @Test
    void callerInfo_queuedCallTakenLater_reportsThatCall() {
        MemorySegment[] send = {seg(new byte[6])};
        MemorySegment[] recv = {seg(new byte[2])};
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientB, EP, MessageInfo.of(44, 0), send, recv));
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertEquals(Outcome.OK, f.driver.callerInfo(f.server));
        assertEquals(Fixture.BADGE_B, f.ipc(f.server).callerBadge());
        assertEquals(44, f.ipc(f.server).callerLabel());
        assertEquals(6, f.ipc(f.server).callerSendSize());
        assertEquals(2, f.ipc(f.server).callerRecvSize());
    }

    @Test
    void readWrite_afterReply_noCaller() {
        byte[] recv = new byte[4];
        serverHolds(counting(4), recv);
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(0, 0)));
        assertEquals(Outcome.NO_CALLER, f.driver.read(f.server, 0, seg(new byte[4])));
        assertEquals(Outcome.NO_CALLER, f.driver.write(f.server, 0, seg(new byte[] {1})));
        assertEquals(Outcome.NO_CALLER, f.driver.callerInfo(f.server));
        assertArrayEquals(new byte[4], recv);
    }

    @Test
    void read_afterRecvDroppedContext_noCaller() {
        serverHolds(counting(4), new byte[0]);
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertEquals(Status.NO_REPLY, f.ipc(f.clientA).status());
        assertEquals(Outcome.NO_CALLER, f.driver.read(f.server, 0, seg(new byte[4])));
    }

    @Test
    void write_thenReply_callerSeesBytesInItsReceiveBuffer() {
        byte[] recv = new byte[5];
        serverHolds(counting(2), recv);
        assertEquals(Outcome.OK, f.driver.write(f.server, 1, seg(new byte[] {4, 4, 4})));
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(0, 0)));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertArrayEquals(new byte[] {0, 4, 4, 4, 0}, recv);
    }

    static Stream<Arguments> badBuffers() {
        MemorySegment ok = seg(new byte[4]);
        MemorySegment[] nine = new MemorySegment[9];
        Arrays.fill(nine, ok);
        MemorySegment[] eight = new MemorySegment[8];
        Arrays.fill(eight, ok);
        MemorySegment[] none = new MemorySegment[0];
        return Stream.of(
                Arguments.of("read-only receive segment", new MemorySegment[] {ok}, new MemorySegment[] {ok, ok.asReadOnly()}),
                Arguments.of("nine send segments", nine, none),
                Arguments.of("nine receive segments", none, nine),
                Arguments.of("eight and nine segments", eight, nine),
                Arguments.of("null send array", null, none),
                Arguments.of("null receive array", none, null),
                Arguments.of("null send element", new MemorySegment[] {ok, null}, none),
                Arguments.of("null receive element", none, new MemorySegment[] {null}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBuffers")
    void call_badBuffers_invalidArgumentAndNothingChanged(String why, MemorySegment[] send, MemorySegment[] recv) {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        KernelView before = f.view();
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0), send, recv));
        assertEquals(before, f.view());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, f.state(f.server));
        f.assertConsistent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBuffers")
    void call_badBuffersThenGoodCall_noStaleBuffersAttached(String why, MemorySegment[] send, MemorySegment[] recv) {
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0), send, recv));
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, f.driver.callerInfo(f.server));
        assertEquals(0, f.ipc(f.server).callerSendSize());
        assertEquals(0, f.ipc(f.server).callerRecvSize());
    }

    @Test
    void call_eightSegmentsEachWay_accepted() {
        MemorySegment[] send = new MemorySegment[8];
        MemorySegment[] recv = new MemorySegment[8];
        for (int i = 0; i < 8; i++) {
            send[i] = seg(new byte[] {(byte) i});
            recv[i] = seg(new byte[1]);
        }
        serverHolds(send, recv);
        byte[] dst = new byte[8];
        assertEquals(Outcome.OK, f.driver.read(f.server, 0, seg(dst)));
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7}, dst);
        assertEquals(Outcome.OK, f.driver.write(f.server, 0, seg(counting(8))));
        assertEquals(8, f.ipc(f.server).count());
        for (int i = 0; i < 8; i++) {
            assertEquals(i + 1, recv[i].get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    @Test
    void call_callerChangesItsArraysAfterCall_kernelKeepsTheSegmentsItValidated() {
        byte[] sendBytes = counting(4);
        byte[] recvBytes = new byte[4];
        byte[] elsewhere = new byte[4];
        MemorySegment[] send = {seg(sendBytes)};
        MemorySegment[] recv = {seg(recvBytes)};
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(LABEL, 0), send, recv));
        send[0] = seg(new byte[] {9, 9, 9, 9});
        recv[0] = seg(elsewhere);
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));

        byte[] dst = new byte[4];
        assertEquals(Outcome.OK, f.driver.read(f.server, 0, seg(dst)));
        assertArrayEquals(counting(4), dst);
        assertEquals(Outcome.OK, f.driver.write(f.server, 0, seg(new byte[] {5, 5, 5, 5})));
        assertArrayEquals(new byte[] {5, 5, 5, 5}, recvBytes);
        assertArrayEquals(new byte[4], elsewhere, "only the segments attached at the Call are written");
    }

    // ---- Segments the kernel cannot touch. docs/semantics.md §5: "Every syscall returns a status; none
    // throws on the primitive API." A closed segment, or one confined to another thread, can be
    // attached by a client; the kernel must refuse it at Call (INVALID_ARGUMENT, nothing changed) or
    // answer the server's Read/Write with a status, never by throwing into the server.

    /** A segment confined to a thread that has ended: no other thread may ever touch it. */
    @SuppressWarnings("MustBeClosedChecker") // its owner thread has ended, so no thread can ever close the arena
    private static MemorySegment confinedToAnotherThread(int size) throws InterruptedException {
        MemorySegment[] box = new MemorySegment[1];
        Thread t = new Thread(() -> box[0] = Arena.ofConfined().allocate(size));
        t.start();
        t.join();
        return box[0];
    }

    private static MemorySegment closed(int size) {
        MemorySegment s;
        try (Arena arena = Arena.ofConfined()) {
            s = arena.allocate(size);
        }
        return s;
    }

    /**
     * clientA calls with these buffers while the server waits. Returns false if the Call was refused
     * (then it must be INVALID_ARGUMENT with nothing changed), true if the server now holds it.
     */
    private boolean callAcceptedOrCleanlyRefused(MemorySegment[] send, MemorySegment[] recv) {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        KernelView before = f.view();
        Outcome s = assertDoesNotThrow(() -> f.driver.call(f.clientA, EP, MessageInfo.of(LABEL, 0), send, recv));
        if (s != Outcome.BLOCKED) {
            assertEquals(Outcome.INVALID_ARGUMENT, s);
            assertEquals(before, f.view());
            return false;
        }
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
        return true;
    }

    @Test
    void read_callerSendSegmentClosed_statusNotException() {
        if (callAcceptedOrCleanlyRefused(new MemorySegment[] {closed(8)}, new MemorySegment[0])) {
            Outcome s = assertDoesNotThrow(() -> f.driver.read(f.server, 0, seg(new byte[8])));
            assertNotEquals(Outcome.OK, s, "no byte of a closed segment can be read");
        }
        f.assertConsistent();
    }

    @Test
    void write_callerRecvSegmentClosed_statusNotException() {
        if (callAcceptedOrCleanlyRefused(new MemorySegment[0], new MemorySegment[] {closed(8)})) {
            Outcome s = assertDoesNotThrow(() -> f.driver.write(f.server, 0, seg(new byte[8])));
            assertNotEquals(Outcome.OK, s, "no byte of a closed segment can be written");
        }
        f.assertConsistent();
    }

    @Test
    void read_callerSendSegmentConfinedToAnotherThread_statusNotException() throws InterruptedException {
        MemorySegment foreign = confinedToAnotherThread(8);
        if (callAcceptedOrCleanlyRefused(new MemorySegment[] {foreign}, new MemorySegment[0])) {
            Outcome s = assertDoesNotThrow(() -> f.driver.read(f.server, 0, seg(new byte[8])));
            assertNotEquals(Outcome.OK, s);
        }
    }

    @Test
    void read_closedDst_invalidArgumentNotException() {
        serverHolds(counting(4), new byte[0]);
        MemorySegment dst = closed(4);
        Outcome s = assertDoesNotThrow(() -> f.driver.read(f.server, 0, dst));
        assertEquals(Outcome.INVALID_ARGUMENT, s);
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
    }

    @Test
    void write_closedSrc_invalidArgumentNotException() {
        byte[] recv = new byte[4];
        serverHolds(new byte[0], recv);
        MemorySegment src = closed(4);
        Outcome s = assertDoesNotThrow(() -> f.driver.write(f.server, 0, src));
        assertEquals(Outcome.INVALID_ARGUMENT, s);
        assertArrayEquals(new byte[4], recv);
    }

    @Test
    void read_afterNbRecvWouldBlock_contextStillReadable() {
        serverHolds(counting(3), new byte[0]);
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbRecv(f.server, EP));
        byte[] dst = new byte[3];
        assertEquals(Outcome.OK, f.driver.read(f.server, 0, seg(dst)));
        assertArrayEquals(counting(3), dst);
    }
}
