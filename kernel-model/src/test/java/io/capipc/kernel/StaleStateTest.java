package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.ipc.CallerBuffers;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.run.DeterministicDriver;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Nothing of an earlier message survives into a later one: unwrapped-capability badges, and the
 * caller buffers of an answered or refused Call.
 */
class StaleStateTest {
    private static final int EP = 0;
    private static final int GIFT = 1;
    private static final int NTFN = 2;
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final Endpoint ep = kernel.createEndpoint();
    private final Endpoint gift = kernel.createEndpoint();
    private final Notification ntfn = kernel.createNotification();
    private final Space serverSpace = kernel.createSpace("server", 6);
    private final Space clientSpace = kernel.createSpace("client", 6);
    private final Task server = kernel.createTask(serverSpace, "server");
    private final Task client = kernel.createTask(clientSpace, "client");

    StaleStateTest() {
        kernel.install(serverSpace, EP, ep, Rights.READ | Rights.GRANT, 0);
        kernel.install(serverSpace, NTFN, ntfn, Rights.READ, 0);
        kernel.install(clientSpace, EP, ep, Rights.WRITE | Rights.GRANT, 7);
        kernel.install(clientSpace, GIFT, gift, Rights.READ | Rights.WRITE, 3);
        kernel.install(clientSpace, NTFN, ntfn, Rights.WRITE, 0b100);
        d.start(server);
        d.start(client);
    }

    /** The client sends GIFT then the receiving endpoint itself: the second capability is unwrapped. */
    private void sendUnwrappingSecondCapability() {
        server.ipc().setReceiveSlot(0, 4);
        assertNull(d.recv(server, EP));
        client.ipc().setCap(0, GIFT);
        client.ipc().setCap(1, EP);
        assertEquals(Status.OK, d.send(client, EP, MessageInfo.pack(1, 0, 2, false)));
        assertEquals(2, server.ipc().caps());
        assertEquals(0b10, server.ipc().unwrapped(), "bit 1: the second capability");
        assertEquals(7, server.ipc().capBadge(1));
        assertEquals(0, server.ipc().capBadge(0));
    }

    @Test
    void send_plainMessageAfterUnwrappingOne_noStaleUnwrappedBadge() {
        sendUnwrappingSecondCapability();
        assertNull(d.recv(server, EP));
        assertEquals(Status.OK, d.send(client, EP, MessageInfo.of(2, 0)));
        assertEquals(Kind.SEND, server.ipc().kind());
        assertEquals(0, server.ipc().caps());
        assertEquals(0, server.ipc().unwrapped());
        assertEquals(0, server.ipc().capBadge(1));
    }

    @Test
    void poll_notificationAfterUnwrappingMessage_noStaleUnwrappedBadge() {
        sendUnwrappingSecondCapability();
        assertEquals(Status.OK, d.signal(client, NTFN));
        assertEquals(Status.OK, d.poll(server, NTFN));
        assertEquals(Kind.NOTIFICATION, server.ipc().kind());
        assertEquals(0b100, server.ipc().badge());
        assertEquals(0, server.ipc().unwrapped());
        assertEquals(0, server.ipc().capBadge(1));
    }

    @Test
    void recv_boundNotificationAfterUnwrappingMessage_noStaleUnwrappedBadge() {
        sendUnwrappingSecondCapability();
        assertEquals(Status.OK, d.bindNotification(server, NTFN));
        assertEquals(Status.OK, d.signal(client, NTFN));
        assertEquals(Status.OK, d.recv(server, EP));
        assertEquals(Kind.NOTIFICATION, server.ipc().kind());
        assertEquals(0, server.ipc().unwrapped());
        assertEquals(0, server.ipc().capBadge(1));
    }

    @Test
    void call_withoutBuffersAfterCallWithBuffers_callerInfoSizesZeroAndReadEmpty() {
        assertNull(d.recv(server, EP));
        assertNull(d.call(client, EP, MessageInfo.of(1, 0), MemorySegment.ofArray(new byte[5]), MemorySegment.ofArray(new byte[6])));
        assertEquals(Status.OK, d.callerInfo(server));
        assertEquals(5, server.ipc().callerSendSize());
        assertEquals(6, server.ipc().callerRecvSize());
        assertEquals(Status.OK, d.reply(server, MessageInfo.of(0, 0)));
        assertEquals(0, client.ownContext().buffers().sendSize(), "a consumed context drops the caller's buffers");
        assertEquals(0, client.ownContext().buffers().recvSize());

        assertNull(d.recv(server, EP));
        assertNull(d.call(client, EP, MessageInfo.of(2, 0)));
        assertEquals(Status.OK, d.callerInfo(server));
        assertEquals(0, server.ipc().callerSendSize());
        assertEquals(0, server.ipc().callerRecvSize());
        MemorySegment dst = MemorySegment.ofArray(new byte[4]);
        assertEquals(Status.OK, d.read(server, 0, dst));
        assertEquals(0, server.ipc().count());
        assertEquals(Status.RANGE, d.read(server, 1, dst));
        assertEquals(Status.OK, d.write(server, 0, dst));
        assertEquals(0, server.ipc().count());
        assertEquals(Status.RANGE, d.write(server, 1, dst));
    }

    @Test
    void recv_dropsUnansweredCallWithBuffers_buffersDropped() {
        assertNull(d.recv(server, EP));
        assertNull(d.call(client, EP, MessageInfo.of(1, 0), MemorySegment.ofArray(new byte[5]), MemorySegment.ofArray(new byte[6])));
        assertNull(d.recv(server, EP));
        assertEquals(Status.NO_REPLY, client.ipc().status());
        assertEquals(0, client.ownContext().buffers().sendSize());
        assertEquals(0, client.ownContext().buffers().recvSize());
    }

    @Test
    void call_validBuffersButEmptySlot_refusedAndNoSegmentsLeft() {
        Status s = d.call(client, 5, MessageInfo.of(1, 0), MemorySegment.ofArray(new byte[5]), MemorySegment.ofArray(new byte[6]));
        assertEquals(Status.INVALID_CAPABILITY, s);
        assertEquals(0, client.ownContext().buffers().sendSize());
        assertEquals(0, client.ownContext().buffers().recvSize());
    }

    @Test
    void call_readOnlyReceiveSegment_refusedWithReturnedStatusAndNoSegmentsLeft() {
        Status s = d.call(client, EP, MessageInfo.of(1, 0), MemorySegment.ofArray(new byte[5]),
                MemorySegment.ofArray(new byte[6]).asReadOnly());
        assertEquals(Status.INVALID_ARGUMENT, s, "the returned status, not only the IPC buffer's");
        assertEquals(Status.INVALID_ARGUMENT, client.ipc().status());
        assertEquals(0, client.ownContext().buffers().sendSize(), "the send half validated before the refusal is dropped");
        assertEquals(0, client.ownContext().buffers().recvSize());
    }

    @Test
    void call_refusedThenAccepted_serverSeesOnlyTheSecondCallsBuffers() {
        MemorySegment[] nine = new MemorySegment[9];
        java.util.Arrays.fill(nine, MemorySegment.ofArray(new byte[1]));
        assertEquals(Status.INVALID_ARGUMENT, d.call(client, EP, MessageInfo.of(1, 0), nine, CallerBuffers.NONE));
        assertNull(d.recv(server, EP));
        assertNull(d.call(client, EP, MessageInfo.of(1, 0), new MemorySegment[] {MemorySegment.ofArray(new byte[3])}, CallerBuffers.NONE));
        assertEquals(Status.OK, d.callerInfo(server));
        assertEquals(3, server.ipc().callerSendSize());
        assertEquals(0, server.ipc().callerRecvSize());
    }

    @Test
    void readAndWrite_badUserSegment_returnedStatusIsInvalidArgument() {
        assertNull(d.recv(server, EP));
        assertNull(d.call(client, EP, MessageInfo.of(1, 0), MemorySegment.ofArray(new byte[5]), MemorySegment.ofArray(new byte[6])));
        assertEquals(Status.INVALID_ARGUMENT, d.read(server, 0, MemorySegment.ofArray(new byte[2]).asReadOnly()));
        assertEquals(Status.INVALID_ARGUMENT, d.read(server, 0, null));
        assertEquals(Status.INVALID_ARGUMENT, d.write(server, 0, null));
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined();
        MemorySegment closed = arena.allocate(2);
        arena.close();
        assertEquals(Status.INVALID_ARGUMENT, d.write(server, 0, closed));
        assertEquals(Status.INVALID_ARGUMENT, d.read(server, 0, closed));
        assertEquals(Status.INVALID_ARGUMENT, server.ipc().status());
    }

    @Test
    void replyWait_throughGrantAfterRecvWithoutGrant_mayReplyWithCapabilities() {
        kernel.install(serverSpace, 3, ep, Rights.READ, 0);
        assertNull(d.recv(server, 3));
        assertEquals(Status.OK, d.send(client, EP, MessageInfo.of(1, 0)));
        assertNull(d.replyWait(server, EP, MessageInfo.of(0, 0)), "no caller; now receiving through a GRANT capability");
        client.ipc().setReceiveSlot(0, 5);
        assertNull(d.call(client, EP, MessageInfo.of(2, 0)));
        server.ipc().setCap(0, NTFN);
        assertEquals(Status.OK, d.reply(server, MessageInfo.pack(0, 0, 1, false)));
        assertEquals(1, client.ipc().caps());
    }

    @Test
    void readAndWrite_callersSegmentsClosedDuringCall_returnedInvalidArgument() {
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
        assertNull(d.recv(server, EP));
        assertNull(d.call(client, EP, MessageInfo.of(1, 0), arena.allocate(4), arena.allocate(4)));
        arena.close();
        assertEquals(Status.INVALID_ARGUMENT, d.read(server, 0, MemorySegment.ofArray(new byte[2])));
        assertEquals(Status.INVALID_ARGUMENT, d.write(server, 0, MemorySegment.ofArray(new byte[2])));
        assertEquals(Status.OK, d.reply(server, MessageInfo.of(0, 0)));
    }

    @Test
    void call_queuedWithBuffersTimesOut_buffersDropped() {
        MemorySegment[] send = {MemorySegment.ofArray(new byte[5])};
        MemorySegment[] recv = {MemorySegment.ofArray(new byte[6])};
        assertNull(kernel.call(client, EP, MessageInfo.of(1, 0), send, recv, 1_000));
        assertEquals(5, client.ownContext().buffers().sendSize());
        assertEquals(1, d.advance(1_000));
        assertEquals(Status.TIMEOUT, client.ipc().status());
        assertEquals(0, client.ownContext().buffers().sendSize());
        assertEquals(0, client.ownContext().buffers().recvSize());
    }

    @Test
    void waitNotification_timedAndPendingOrNot_returnedStatus() {
        assertEquals(Status.TIMEOUT, d.waitNotification(server, NTFN, 0));
        assertEquals(Status.OK, d.signal(client, NTFN));
        assertEquals(Status.OK, d.waitNotification(server, NTFN, 1_000));
        assertEquals(0b100, server.ipc().badge());
    }
}
