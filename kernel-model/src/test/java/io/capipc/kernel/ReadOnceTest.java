package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.run.DeterministicDriver;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 7, read once: the slot indices a send names and the receive slots a receive names are
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
    private final Endpoint ep = kernel.createEndpoint();
    private final Notification gift = kernel.createNotification();
    private final Notification other = kernel.createNotification();
    private final Space serverSpace = kernel.createSpace("server", 6);
    private final Space clientSpace = kernel.createSpace("client", 6);
    private final Task server = kernel.createTask(serverSpace, "server");
    private final Task client = kernel.createTask(clientSpace, "client");

    ReadOnceTest() {
        kernel.install(serverSpace, EP, ep, Rights.READ | Rights.GRANT, 0);
        kernel.install(serverSpace, OTHER, other, Rights.ALL, 0);
        kernel.install(clientSpace, EP, ep, Rights.WRITE | Rights.GRANT, 7);
        kernel.install(clientSpace, GIFT, gift, Rights.ALL, 0);
        kernel.install(clientSpace, OTHER, other, Rights.ALL, 0);
        d.start(server);
        d.start(client);
    }

    private KernelView.SlotView slot(Space s, int index) {
        return kernel.inspect().space(s.id()).slots().stream().filter(v -> v.index() == index).findFirst().orElse(null);
    }

    private static long withCaps(int caps) {
        return MessageInfo.withCaps(MessageInfo.of(1, 0), caps);
    }

    @Test
    void queuedSender_rewritesItsCapSlots_receiverGetsTheOnesNamedAtSend() {
        client.ipc().setCap(0, GIFT);
        assertNull(d.send(client, EP, withCaps(1)));
        client.ipc().setCap(0, OTHER);
        server.ipc().setReceiveSlot(0, 4);
        assertEquals(Status.OK, d.recv(server, EP));
        assertEquals(1, server.ipc().caps());
        assertEquals(gift.id(), slot(serverSpace, 4).objectId(), "the capability named when Send was made");
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void queuedSender_rewritesItsCapSlotsOutOfRange_noThrowAndTheNamedOneArrives() {
        client.ipc().setCap(0, GIFT);
        client.ipc().setCap(1, OTHER);
        assertNull(d.send(client, EP, withCaps(2)));
        client.ipc().setCap(0, -7);
        client.ipc().setCap(1, Integer.MAX_VALUE);
        server.ipc().setReceiveSlot(0, 4);
        server.ipc().setReceiveSlot(1, 5);
        assertEquals(Status.OK, d.recv(server, EP));
        assertEquals(2, server.ipc().caps());
        assertEquals(gift.id(), slot(serverSpace, 4).objectId());
        assertEquals(other.id(), slot(serverSpace, 5).objectId());
        assertEquals(Status.OK, client.ipc().status());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void blockedReceiver_rewritesItsReceiveSlots_placementUsesTheOnesNamedAtRecv() {
        server.ipc().setReceiveSlot(0, 4);
        assertNull(d.recv(server, EP));
        server.ipc().setReceiveSlot(0, 5);
        client.ipc().setCap(0, GIFT);
        assertEquals(Status.OK, d.send(client, EP, withCaps(1)));
        assertEquals(gift.id(), slot(serverSpace, 4).objectId());
        assertNull(slot(serverSpace, 5));
    }

    @Test
    void blockedReceiver_rewritesItsReceiveSlotsOutOfRange_sendersSyscallDoesNotThrow() {
        assertNull(d.recv(server, EP));
        for (int i = 0; i < 4; i++) {
            server.ipc().setReceiveSlot(i, i % 2 == 0 ? Integer.MIN_VALUE : 1 << 30);
        }
        client.ipc().setCap(0, GIFT);
        assertEquals(Status.OK, d.send(client, EP, withCaps(1)), "the receiver named no slot when it called Recv");
        assertEquals(0, server.ipc().caps());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void callerAwaitingItsReply_rewritesItsReceiveSlots_replyUsesTheOnesNamedAtCall() {
        assertNull(d.recv(server, EP));
        client.ipc().setReceiveSlot(0, 4);
        assertNull(d.call(client, EP, MessageInfo.of(1, 0)));
        client.ipc().setReceiveSlot(0, 5);
        server.ipc().setCap(0, OTHER);
        assertEquals(Status.OK, d.reply(server, withCaps(1)));
        assertEquals(1, client.ipc().caps());
        assertEquals(other.id(), slot(clientSpace, 4).objectId());
        assertNull(slot(clientSpace, 5));
    }

    @Test
    void call_segmentsWidenedSoTheirTotalOverflows_invalidArgumentAndNothingChanged() {
        MemorySegment huge = MemorySegment.ofAddress(4096).reinterpret(Long.MAX_VALUE / 2 + 1);
        assertNull(d.recv(server, EP));
        KernelView before = kernel.inspect();
        assertEquals(Status.INVALID_ARGUMENT, d.call(client, EP, MessageInfo.of(1, 0),
                new MemorySegment[] {huge, huge}, new MemorySegment[0]));
        assertEquals(Status.INVALID_ARGUMENT, d.call(client, EP, MessageInfo.of(1, 0),
                new MemorySegment[0], new MemorySegment[] {huge, huge}));
        assertEquals(before, kernel.inspect());
    }

    @Test
    void read_callersArenaClosedAfterTheCall_invalidArgumentAndTheContextStaysHeld() {
        Arena arena = Arena.ofShared();
        MemorySegment send = arena.allocate(8);
        assertNull(d.recv(server, EP));
        assertNull(d.call(client, EP, MessageInfo.of(1, 0), send, arena.allocate(8)));
        arena.close();
        assertEquals(Status.INVALID_ARGUMENT, d.read(server, 0, MemorySegment.ofArray(new byte[8])));
        assertEquals(Status.INVALID_ARGUMENT, d.write(server, 0, MemorySegment.ofArray(new byte[8])));
        assertEquals(Status.OK, d.callerInfo(server), "the server still holds the context");
        assertEquals(Status.OK, d.reply(server, MessageInfo.of(0, 0)));
        assertEquals(Status.OK, client.ipc().status());
    }

    @Test
    void call_confinedSegment_refusedOnEveryRuntimeEvenFromItsOwnThread() {
        assertNull(d.recv(server, EP));
        try (Arena confined = Arena.ofConfined()) {
            KernelView before = kernel.inspect();
            assertEquals(Status.INVALID_ARGUMENT, d.call(client, EP, MessageInfo.of(1, 0), confined.allocate(4),
                    MemorySegment.ofArray(new byte[4])));
            assertEquals(before, kernel.inspect());
        }
    }
}
