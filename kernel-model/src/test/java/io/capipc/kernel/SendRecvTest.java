package io.capipc.kernel;

import static io.capipc.kernel.Fixture.BADGE_A;
import static io.capipc.kernel.Fixture.BADGE_B;
import static io.capipc.kernel.Fixture.BADGE_C;
import static io.capipc.kernel.Fixture.EP;
import static io.capipc.kernel.Fixture.UNTOUCHED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Send, NBSend, Recv and NBRecv (SPEC section 5.1) and what a delivery copies (SPEC section 3). */
class SendRecvTest {
    private final Fixture f = new Fixture();

    @Test
    void send_receiverWaiting_deliversAndBothRunOk() {
        Fixture.presetMrs(f.server);
        assertNull(f.driver.recv(f.server, EP));
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, f.state(f.server));
        assertEquals(List.of(f.server.id()), f.queued());
        f.assertConsistent();

        Fixture.setMrs(f.clientA, 10, 20, 30, 40);
        assertEquals(Status.OK, f.driver.send(f.clientA, EP, MessageInfo.of(5, 3)));

        assertEquals(TaskState.RUNNING, f.state(f.server));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.OK, f.server.ipc().status());
        assertEquals(Status.OK, f.clientA.ipc().status());
        assertEquals(Kind.SEND, f.server.ipc().kind());
        assertEquals(5, f.server.ipc().label());
        assertEquals(3, f.server.ipc().length());
        assertEquals(BADGE_A, f.server.ipc().badge());
        assertArrayEquals(new long[] {10, 20, 30}, Fixture.mrs(f.server, 3));
        assertEquals(UNTOUCHED, f.server.ipc().mr(3), "register length+1 must not be copied");
        assertEquals(Endpoint.Queue.IDLE, f.queueKind());
        f.assertConsistent();
    }

    @Test
    void send_lengthZero_copiesNoRegisterButLabel() {
        Fixture.presetMrs(f.server);
        f.driver.recv(f.server, EP);
        Fixture.setMrs(f.clientA, 1);
        assertEquals(Status.OK, f.driver.send(f.clientA, EP, MessageInfo.of(77, 0)));
        assertEquals(UNTOUCHED, f.server.ipc().mr(0));
        assertEquals(77, f.server.ipc().label());
        assertEquals(0, f.server.ipc().length());
        f.assertConsistent();
    }

    @Test
    void send_length64_copiesEveryRegister() {
        Fixture.presetMrs(f.server);
        f.driver.recv(f.server, EP);
        for (int i = 0; i < 64; i++) {
            f.clientA.ipc().setMr(i, 1000 + i);
        }
        assertEquals(Status.OK, f.driver.send(f.clientA, EP, MessageInfo.of(1, 64)));
        for (int i = 0; i < 64; i++) {
            assertEquals(1000 + i, f.server.ipc().mr(i), "MR" + i);
        }
    }

    @Test
    void send_unbadgedCapability_receiverSeesBadgeZero() {
        Task plain = f.client("plain", 0);
        f.driver.recv(f.server, EP);
        assertEquals(Status.OK, f.driver.send(plain, EP, MessageInfo.of(1, 0)));
        assertEquals(0L, f.server.ipc().badge());
    }

    @Test
    void send_noReceiver_blocksThenRecvTakesItAndSenderRunsOk() {
        Fixture.setMrs(f.clientA, 7, 8);
        assertNull(f.driver.send(f.clientA, EP, MessageInfo.of(3, 2)));
        KernelView.TaskView a = f.view(f.clientA);
        assertEquals(TaskState.BLOCKED_ON_SEND, a.state());
        assertEquals(f.endpoint.id(), a.blockedOn());
        assertFalse(a.isCall());
        assertEquals(Endpoint.Queue.SENDERS, f.queueKind());
        assertEquals(List.of(f.clientA.id()), f.queued());
        f.assertConsistent();

        assertEquals(Status.OK, f.driver.recv(f.server, EP));
        assertEquals(Kind.SEND, f.server.ipc().kind());
        assertEquals(3, f.server.ipc().label());
        assertEquals(BADGE_A, f.server.ipc().badge());
        assertArrayEquals(new long[] {7, 8}, Fixture.mrs(f.server, 2));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.OK, f.clientA.ipc().status());
        assertEquals(-1, f.view(f.server).holdsContextOf(), "a Send gives no caller context");
        assertEquals(Endpoint.Queue.IDLE, f.queueKind());
        f.assertConsistent();
    }

    @Test
    void send_severalSenders_recvServesOldestFirst() {
        assertNull(f.driver.send(f.clientB, EP, MessageInfo.of(2, 0)));
        assertNull(f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)));
        assertNull(f.driver.send(f.clientC, EP, MessageInfo.of(3, 0)));
        assertEquals(List.of(f.clientB.id(), f.clientA.id(), f.clientC.id()), f.queued());
        f.assertConsistent();

        long[] badges = {BADGE_B, BADGE_A, BADGE_C};
        int[] labels = {2, 1, 3};
        for (int i = 0; i < 3; i++) {
            assertEquals(Status.OK, f.driver.recv(f.server, EP));
            assertEquals(labels[i], f.server.ipc().label(), "message " + i);
            assertEquals(badges[i], f.server.ipc().badge(), "message " + i);
            f.assertConsistent();
        }
        assertEquals(List.of(), f.queued());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(TaskState.RUNNING, f.state(f.clientB));
        assertEquals(TaskState.RUNNING, f.state(f.clientC));
    }

    @Test
    void send_secondSenderAfterOneTaken_queueKeepsTheRestInOrder() {
        f.driver.send(f.clientA, EP, MessageInfo.of(1, 0));
        f.driver.send(f.clientB, EP, MessageInfo.of(2, 0));
        f.driver.recv(f.server, EP);
        assertEquals(List.of(f.clientB.id()), f.queued());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(TaskState.BLOCKED_ON_SEND, f.state(f.clientB));
        assertNull(f.driver.send(f.clientA, EP, MessageInfo.of(3, 0)));
        assertEquals(List.of(f.clientB.id(), f.clientA.id()), f.queued());
        f.assertConsistent();
    }

    @Test
    void recv_severalReceivers_queueFifoAndSendsGoToOldest() {
        Task s2 = f.serverThread("server2");
        Task s3 = f.serverThread("server3");
        assertNull(f.driver.recv(s2, EP));
        assertNull(f.driver.recv(f.server, EP));
        assertNull(f.driver.recv(s3, EP));
        assertEquals(Endpoint.Queue.RECEIVERS, f.queueKind());
        assertEquals(List.of(s2.id(), f.server.id(), s3.id()), f.queued());
        f.assertConsistent();

        assertEquals(Status.OK, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(TaskState.RUNNING, f.state(s2));
        assertEquals(1, s2.ipc().label());
        assertEquals(List.of(f.server.id(), s3.id()), f.queued());

        assertEquals(Status.OK, f.driver.send(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(TaskState.RUNNING, f.state(f.server));
        assertEquals(2, f.server.ipc().label());
        assertEquals(BADGE_B, f.server.ipc().badge());
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, f.state(s3));
        assertEquals(List.of(s3.id()), f.queued());
        f.assertConsistent();
    }

    @Test
    void nbSend_noReceiver_wouldBlockAndNothingChanged() {
        KernelView before = f.view();
        assertEquals(Status.WOULD_BLOCK, f.driver.nbSend(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(before, f.view());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.WOULD_BLOCK, f.clientA.ipc().status());
        f.assertConsistent();
    }

    @Test
    void nbSend_sendersAlreadyQueued_wouldBlockAndNothingChanged() {
        f.driver.send(f.clientB, EP, MessageInfo.of(1, 0));
        KernelView before = f.view();
        assertEquals(Status.WOULD_BLOCK, f.driver.nbSend(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(before, f.view());
    }

    @Test
    void nbSend_receiverWaiting_deliversOk() {
        Fixture.presetMrs(f.server);
        f.driver.recv(f.server, EP);
        Fixture.setMrs(f.clientC, 42);
        assertEquals(Status.OK, f.driver.nbSend(f.clientC, EP, MessageInfo.of(9, 1)));
        assertEquals(TaskState.RUNNING, f.state(f.server));
        assertEquals(Kind.SEND, f.server.ipc().kind());
        assertEquals(9, f.server.ipc().label());
        assertEquals(42, f.server.ipc().mr(0));
        assertEquals(UNTOUCHED, f.server.ipc().mr(1));
        assertEquals(BADGE_C, f.server.ipc().badge());
        f.assertConsistent();
    }

    @Test
    void nbRecv_nothingQueued_wouldBlockAndNothingChanged() {
        KernelView before = f.view();
        long infoBefore = f.server.ipc().info();
        assertEquals(Status.WOULD_BLOCK, f.driver.nbRecv(f.server, EP));
        assertEquals(before, f.view());
        assertEquals(infoBefore, f.server.ipc().info());
        assertEquals(TaskState.RUNNING, f.state(f.server));
        f.assertConsistent();
    }

    @Test
    void nbRecv_receiversQueued_wouldBlockAndNotQueued() {
        Task s2 = f.serverThread("server2");
        f.driver.recv(s2, EP);
        KernelView before = f.view();
        assertEquals(Status.WOULD_BLOCK, f.driver.nbRecv(f.server, EP));
        assertEquals(before, f.view());
        assertEquals(List.of(s2.id()), f.queued());
    }

    @Test
    void nbRecv_senderQueued_takesItAndSenderRunsOk() {
        Fixture.setMrs(f.clientB, 5);
        f.driver.send(f.clientB, EP, MessageInfo.of(4, 1));
        assertEquals(Status.OK, f.driver.nbRecv(f.server, EP));
        assertEquals(Kind.SEND, f.server.ipc().kind());
        assertEquals(4, f.server.ipc().label());
        assertEquals(5, f.server.ipc().mr(0));
        assertEquals(BADGE_B, f.server.ipc().badge());
        assertEquals(TaskState.RUNNING, f.state(f.clientB));
        assertEquals(Status.OK, f.clientB.ipc().status());
        assertEquals(List.of(), f.queued());
        f.assertConsistent();
    }

    @Test
    void recv_senderQueuedOnOtherEndpoint_blocksOnItsOwn() {
        Endpoint other = f.kernel.createEndpoint();
        Task otherClient = f.task("otherClient", other, Rights.WRITE, 5);
        f.driver.send(otherClient, EP, MessageInfo.of(1, 0));
        assertNull(f.driver.recv(f.server, EP));
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, f.state(f.server));
        assertEquals(TaskState.BLOCKED_ON_SEND, f.state(otherClient));
        assertEquals(List.of(otherClient.id()), f.view().endpoint(other.id()).queued());
        f.assertConsistent();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 17, 63})
    void send_anyLength_copiesExactlyThatMany(int length) {
        Fixture.presetMrs(f.server);
        f.driver.recv(f.server, EP);
        for (int i = 0; i < 64; i++) {
            f.clientA.ipc().setMr(i, i + 1);
        }
        assertEquals(Status.OK, f.driver.send(f.clientA, EP, MessageInfo.of(0, length)));
        for (int i = 0; i < length; i++) {
            assertEquals(i + 1, f.server.ipc().mr(i), "MR" + i);
        }
        assertEquals(UNTOUCHED, f.server.ipc().mr(length), "MR" + length);
        assertTrue(f.server.ipc().length() == length);
    }
}
