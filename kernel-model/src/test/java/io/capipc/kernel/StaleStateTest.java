package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.object.CallerBuffers;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.DeterministicDriver;
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
    private final ObjectHandle ep = kernel.createEndpoint();
    private final ObjectHandle gift = kernel.createEndpoint();
    private final ObjectHandle ntfn = kernel.createNotification();
    private final SpaceHandle serverSpace = kernel.createSpace("server", 6);
    private final SpaceHandle clientSpace = kernel.createSpace("client", 6);
    private final TaskHandle server = kernel.createTask(serverSpace, "server");
    private final TaskHandle client = kernel.createTask(clientSpace, "client");

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
        d.ipc(server).setReceiveSlot(0, 4);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(client).setCap(0, GIFT);
        d.ipc(client).setCap(1, EP);
        assertEquals(Outcome.OK, d.send(client, EP, MessageInfo.pack(1, 0, 2, false)));
        assertEquals(2, d.ipc(server).caps());
        assertEquals(0b10, d.ipc(server).unwrapped(), "bit 1: the second capability");
        assertEquals(7, d.ipc(server).capBadge(1));
        assertEquals(0, d.ipc(server).capBadge(0));
    }

    @Test
    void send_plainMessageAfterUnwrappingOne_noStaleUnwrappedBadge() {
        sendUnwrappingSecondCapability();
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.OK, d.send(client, EP, MessageInfo.of(2, 0)));
        assertEquals(Kind.SEND, d.ipc(server).kind());
        assertEquals(0, d.ipc(server).caps());
        assertEquals(0, d.ipc(server).unwrapped());
        assertEquals(0, d.ipc(server).capBadge(1));
    }

    @Test
    void poll_notificationAfterUnwrappingMessage_noStaleUnwrappedBadge() {
        sendUnwrappingSecondCapability();
        assertEquals(Outcome.OK, d.signal(client, NTFN));
        assertEquals(Outcome.OK, d.poll(server, NTFN));
        assertEquals(Kind.NOTIFICATION, d.ipc(server).kind());
        assertEquals(0b100, d.ipc(server).badge());
        assertEquals(0, d.ipc(server).unwrapped());
        assertEquals(0, d.ipc(server).capBadge(1));
    }

    @Test
    void recv_boundNotificationAfterUnwrappingMessage_noStaleUnwrappedBadge() {
        sendUnwrappingSecondCapability();
        assertEquals(Outcome.OK, d.bindNotification(server, NTFN));
        assertEquals(Outcome.OK, d.signal(client, NTFN));
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(Kind.NOTIFICATION, d.ipc(server).kind());
        assertEquals(0, d.ipc(server).unwrapped());
        assertEquals(0, d.ipc(server).capBadge(1));
    }

    @Test
    void call_withoutBuffersAfterCallWithBuffers_callerInfoSizesZeroAndReadEmpty() {
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0), MemorySegment.ofArray(new byte[5]), MemorySegment.ofArray(new byte[6])));
        assertEquals(Outcome.OK, d.callerInfo(server));
        assertEquals(5, d.ipc(server).callerSendSize());
        assertEquals(6, d.ipc(server).callerRecvSize());
        assertEquals(Outcome.OK, d.reply(server, MessageInfo.of(0, 0)));
        assertEquals(0, kernel.task(client).ownContext().buffers().sendSize(), "a consumed context drops the caller's buffers");
        assertEquals(0, kernel.task(client).ownContext().buffers().recvSize());

        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, d.callerInfo(server));
        assertEquals(0, d.ipc(server).callerSendSize());
        assertEquals(0, d.ipc(server).callerRecvSize());
        MemorySegment dst = MemorySegment.ofArray(new byte[4]);
        assertEquals(Outcome.OK, d.read(server, 0, dst));
        assertEquals(0, d.ipc(server).count());
        assertEquals(Outcome.RANGE, d.read(server, 1, dst));
        assertEquals(Outcome.OK, d.write(server, 0, dst));
        assertEquals(0, d.ipc(server).count());
        assertEquals(Outcome.RANGE, d.write(server, 1, dst));
    }

    @Test
    void recv_dropsUnansweredCallWithBuffers_buffersDropped() {
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0), MemorySegment.ofArray(new byte[5]), MemorySegment.ofArray(new byte[6])));
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Status.NO_REPLY, d.ipc(client).status());
        assertEquals(0, kernel.task(client).ownContext().buffers().sendSize());
        assertEquals(0, kernel.task(client).ownContext().buffers().recvSize());
    }

    @Test
    void call_validBuffersButEmptySlot_refusedAndNoSegmentsLeft() {
        Outcome s = d.call(client, 5, MessageInfo.of(1, 0), MemorySegment.ofArray(new byte[5]), MemorySegment.ofArray(new byte[6]));
        assertEquals(Outcome.INVALID_CAPABILITY, s);
        assertEquals(0, kernel.task(client).ownContext().buffers().sendSize());
        assertEquals(0, kernel.task(client).ownContext().buffers().recvSize());
    }

    @Test
    void call_readOnlyReceiveSegment_refusedWithReturnedStatusAndNoSegmentsLeft() {
        Outcome s = d.call(client, EP, MessageInfo.of(1, 0), MemorySegment.ofArray(new byte[5]),
                MemorySegment.ofArray(new byte[6]).asReadOnly());
        assertEquals(Outcome.INVALID_ARGUMENT, s, "the returned status, not only the IPC buffer's");
        assertEquals(Status.INVALID_ARGUMENT, d.ipc(client).status());
        assertEquals(0, kernel.task(client).ownContext().buffers().sendSize(), "the send half validated before the refusal is dropped");
        assertEquals(0, kernel.task(client).ownContext().buffers().recvSize());
    }

    @Test
    void call_refusedThenAccepted_serverSeesOnlyTheSecondCallsBuffers() {
        MemorySegment[] nine = new MemorySegment[9];
        java.util.Arrays.fill(nine, MemorySegment.ofArray(new byte[1]));
        assertEquals(Outcome.INVALID_ARGUMENT, d.call(client, EP, MessageInfo.of(1, 0), nine, CallerBuffers.NONE));
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0), new MemorySegment[] {MemorySegment.ofArray(new byte[3])}, CallerBuffers.NONE));
        assertEquals(Outcome.OK, d.callerInfo(server));
        assertEquals(3, d.ipc(server).callerSendSize());
        assertEquals(0, d.ipc(server).callerRecvSize());
    }

    @Test
    @SuppressWarnings("MustBeClosedChecker") // the arena is closed mid-test on purpose
    void readAndWrite_badUserSegment_returnedStatusIsInvalidArgument() {
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0), MemorySegment.ofArray(new byte[5]), MemorySegment.ofArray(new byte[6])));
        assertEquals(Outcome.INVALID_ARGUMENT, d.read(server, 0, MemorySegment.ofArray(new byte[2]).asReadOnly()));
        assertEquals(Outcome.INVALID_ARGUMENT, d.read(server, 0, null));
        assertEquals(Outcome.INVALID_ARGUMENT, d.write(server, 0, null));
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined();
        MemorySegment closed = arena.allocate(2);
        arena.close();
        assertEquals(Outcome.INVALID_ARGUMENT, d.write(server, 0, closed));
        assertEquals(Outcome.INVALID_ARGUMENT, d.read(server, 0, closed));
        assertEquals(Status.INVALID_ARGUMENT, d.ipc(server).status());
    }

    @Test
    void replyWait_throughGrantAfterRecvWithoutGrant_mayReplyWithCapabilities() {
        kernel.install(serverSpace, 3, ep, Rights.READ, 0);
        assertEquals(Outcome.BLOCKED, d.recv(server, 3));
        assertEquals(Outcome.OK, d.send(client, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.BLOCKED, d.replyWait(server, EP, MessageInfo.of(0, 0)), "no caller; now receiving through a GRANT capability");
        d.ipc(client).setReceiveSlot(0, 5);
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(2, 0)));
        d.ipc(server).setCap(0, NTFN);
        assertEquals(Outcome.OK, d.reply(server, MessageInfo.pack(0, 0, 1, false)));
        assertEquals(1, d.ipc(client).caps());
    }

    @Test
    @SuppressWarnings("MustBeClosedChecker") // the arena is closed mid-test on purpose
    void readAndWrite_callersSegmentsClosedDuringCall_returnedInvalidArgument() {
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0), arena.allocate(4), arena.allocate(4)));
        arena.close();
        assertEquals(Outcome.INVALID_ARGUMENT, d.read(server, 0, MemorySegment.ofArray(new byte[2])));
        assertEquals(Outcome.INVALID_ARGUMENT, d.write(server, 0, MemorySegment.ofArray(new byte[2])));
        assertEquals(Outcome.OK, d.reply(server, MessageInfo.of(0, 0)));
    }

    @Test
    void call_queuedWithBuffersTimesOut_buffersDropped() {
        MemorySegment[] send = {MemorySegment.ofArray(new byte[5])};
        MemorySegment[] recv = {MemorySegment.ofArray(new byte[6])};
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0), send, recv, 1_000));
        assertEquals(5, kernel.task(client).ownContext().buffers().sendSize());
        assertEquals(1, d.advance(1_000));
        assertEquals(Status.TIMEOUT, d.ipc(client).status());
        assertEquals(0, kernel.task(client).ownContext().buffers().sendSize());
        assertEquals(0, kernel.task(client).ownContext().buffers().recvSize());
    }

    @Test
    void waitNotification_timedAndPendingOrNot_returnedStatus() {
        assertEquals(Outcome.TIMEOUT, d.waitNotification(server, NTFN, 0));
        assertEquals(Outcome.OK, d.signal(client, NTFN));
        assertEquals(Outcome.OK, d.waitNotification(server, NTFN, 1_000));
        assertEquals(0b100, d.ipc(server).badge());
    }
}
