package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.MessageInfo;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.DeterministicDriver;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md §7, read once: the slot indices a send names and the receive slots a receive names are
 * read out of the IPC buffer when the syscall is made; what the task (or another thread of its Space)
 * writes there afterwards changes nothing about that syscall, and nothing it writes can make either
 * side's syscall throw.
 */
class ReadOnceTest {
    private static final int EP = 0;
    private static final int GIFT = 1;
    private static final int OTHER = 2;
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle ep = kernel.createEndpoint();
    private final ObjectHandle gift = kernel.createNotification();
    private final ObjectHandle other = kernel.createNotification();
    private final SpaceHandle serverSpace = kernel.createSpace("server", 6);
    private final SpaceHandle clientSpace = kernel.createSpace("client", 6);
    private final TaskHandle server = kernel.createTask(serverSpace, "server");
    private final TaskHandle client = kernel.createTask(clientSpace, "client");

    ReadOnceTest() {
        kernel.install(serverSpace, EP, ep, Rights.READ | Rights.GRANT, 0);
        kernel.install(serverSpace, OTHER, other, Rights.ALL, 0);
        kernel.install(clientSpace, EP, ep, Rights.WRITE | Rights.GRANT, 7);
        kernel.install(clientSpace, GIFT, gift, Rights.ALL, 0);
        kernel.install(clientSpace, OTHER, other, Rights.ALL, 0);
        d.start(server);
        d.start(client);
    }

    private KernelView.SlotView slot(SpaceHandle s, int index) {
        return kernel.inspect().space(s.id()).slots().stream().filter(v -> v.index() == index).findFirst().orElse(null);
    }

    private static long withCaps(int caps) {
        return MessageInfo.withCaps(MessageInfo.of(1, 0), caps);
    }

    @Test
    void queuedSender_rewritesItsCapSlots_receiverGetsTheOnesNamedAtSend() {
        d.ipc(client).setCap(0, GIFT);
        assertEquals(Outcome.BLOCKED, d.send(client, EP, withCaps(1)));
        d.ipc(client).setCap(0, OTHER);
        d.ipc(server).setReceiveSlot(0, 4);
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(1, d.ipc(server).caps());
        assertEquals(gift.id(), slot(serverSpace, 4).objectId(), "the capability named when Send was made");
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void queuedSender_rewritesItsCapSlotsOutOfRange_noThrowAndTheNamedOneArrives() {
        d.ipc(client).setCap(0, GIFT);
        d.ipc(client).setCap(1, OTHER);
        assertEquals(Outcome.BLOCKED, d.send(client, EP, withCaps(2)));
        d.ipc(client).setCap(0, -7);
        d.ipc(client).setCap(1, Integer.MAX_VALUE);
        d.ipc(server).setReceiveSlot(0, 4);
        d.ipc(server).setReceiveSlot(1, 5);
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(2, d.ipc(server).caps());
        assertEquals(gift.id(), slot(serverSpace, 4).objectId());
        assertEquals(other.id(), slot(serverSpace, 5).objectId());
        assertEquals(Status.OK, d.ipc(client).status());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void blockedReceiver_rewritesItsReceiveSlots_placementUsesTheOnesNamedAtRecv() {
        d.ipc(server).setReceiveSlot(0, 4);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(server).setReceiveSlot(0, 5);
        d.ipc(client).setCap(0, GIFT);
        assertEquals(Outcome.OK, d.send(client, EP, withCaps(1)));
        assertEquals(gift.id(), slot(serverSpace, 4).objectId());
        assertNull(slot(serverSpace, 5));
    }

    @Test
    void blockedReceiver_rewritesItsReceiveSlotsOutOfRange_sendersSyscallDoesNotThrow() {
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        for (int i = 0; i < 4; i++) {
            d.ipc(server).setReceiveSlot(i, i % 2 == 0 ? Integer.MIN_VALUE : 1 << 30);
        }
        d.ipc(client).setCap(0, GIFT);
        assertEquals(Outcome.OK, d.send(client, EP, withCaps(1)), "the receiver named no slot when it called Recv");
        assertEquals(0, d.ipc(server).caps());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void callerAwaitingItsReply_rewritesItsReceiveSlots_replyUsesTheOnesNamedAtCall() {
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(client).setReceiveSlot(0, 4);
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0)));
        d.ipc(client).setReceiveSlot(0, 5);
        d.ipc(server).setCap(0, OTHER);
        assertEquals(Outcome.OK, d.reply(server, withCaps(1)));
        assertEquals(1, d.ipc(client).caps());
        assertEquals(other.id(), slot(clientSpace, 4).objectId());
        assertNull(slot(clientSpace, 5));
    }

    @Test
    void call_segmentsWidenedSoTheirTotalOverflows_invalidArgumentAndNothingChanged() {
        MemorySegment huge = MemorySegment.ofAddress(4096).reinterpret(Long.MAX_VALUE / 2 + 1);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        KernelView before = kernel.inspect();
        assertEquals(Outcome.INVALID_ARGUMENT, d.call(client, EP, MessageInfo.of(1, 0),
                new MemorySegment[] {huge, huge}, new MemorySegment[0]));
        assertEquals(Outcome.INVALID_ARGUMENT, d.call(client, EP, MessageInfo.of(1, 0),
                new MemorySegment[0], new MemorySegment[] {huge, huge}));
        assertEquals(before, kernel.inspect());
    }

    @Test
    @SuppressWarnings("MustBeClosedChecker") // the arena is closed mid-test on purpose
    void read_callersArenaClosedAfterTheCall_invalidArgumentAndTheContextStaysHeld() {
        Arena arena = Arena.ofShared();
        MemorySegment send = arena.allocate(8);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0), send, arena.allocate(8)));
        arena.close();
        assertEquals(Outcome.INVALID_ARGUMENT, d.read(server, 0, MemorySegment.ofArray(new byte[8])));
        assertEquals(Outcome.INVALID_ARGUMENT, d.write(server, 0, MemorySegment.ofArray(new byte[8])));
        assertEquals(Outcome.OK, d.callerInfo(server), "the server still holds the context");
        assertEquals(Outcome.OK, d.reply(server, MessageInfo.of(0, 0)));
        assertEquals(Status.OK, d.ipc(client).status());
    }

    /**
     * The driver makes every task's syscalls on its one thread, so here a server could in fact reach
     * a segment confined to that thread; CallerBuffers refuses it all the same, on either side, so a
     * program behaves alike under the driver and the threaded runtime (where TaskSyscallsTest checks
     * the same refusal).
     */
    @Test
    void call_confinedSegment_refusedOnEveryRuntimeEvenFromItsOwnThread() {
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        MemorySegment shared = MemorySegment.ofArray(new byte[4]);
        try (Arena confined = Arena.ofConfined()) {
            KernelView before = kernel.inspect();
            assertEquals(Outcome.INVALID_ARGUMENT, d.call(client, EP, MessageInfo.of(1, 0), confined.allocate(4), shared));
            assertEquals(Reason.SEGMENT_CONFINED, d.ipc(client).reason());
            assertEquals(Outcome.INVALID_ARGUMENT, d.call(client, EP, MessageInfo.of(1, 0), shared, confined.allocate(4)));
            assertEquals(Reason.SEGMENT_CONFINED, d.ipc(client).reason());
            assertEquals(before, kernel.inspect());
        }
    }
}
