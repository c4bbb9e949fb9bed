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

import io.capipc.kernel.inspect.QueueState;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Send, NBSend, Recv and NBRecv (docs/semantics.md §5.1) and what a delivery copies (docs/semantics.md §3). */
class SendRecvTest {
    private final Fixture f = new Fixture();

    @Test
    void send_receiverWaiting_deliversAndBothRunOk() {
        f.presetMrs(f.server);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, f.state(f.server));
        assertEquals(List.of(f.server.id()), f.queued());
        f.assertConsistent();

        f.setMrs(f.clientA, 10, 20, 30, 40);
        assertEquals(Outcome.OK, f.driver.send(f.clientA, EP, MessageInfo.of(5, 3)));

        assertEquals(TaskState.RUNNING, f.state(f.server));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.OK, f.ipc(f.server).status());
        assertEquals(Status.OK, f.ipc(f.clientA).status());
        assertEquals(Kind.SEND, f.ipc(f.server).kind());
        assertEquals(5, f.ipc(f.server).label());
        assertEquals(3, f.ipc(f.server).length());
        assertEquals(BADGE_A, f.ipc(f.server).badge());
        assertArrayEquals(new long[] {10, 20, 30}, f.mrs(f.server, 3));
        assertEquals(UNTOUCHED, f.ipc(f.server).mr(3), "register length+1 must not be copied");
        assertEquals(QueueState.IDLE, f.queueKind());
        f.assertConsistent();
    }

    @Test
    void send_lengthZero_copiesNoRegisterButLabel() {
        f.presetMrs(f.server);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        f.setMrs(f.clientA, 1);
        assertEquals(Outcome.OK, f.driver.send(f.clientA, EP, MessageInfo.of(77, 0)));
        assertEquals(UNTOUCHED, f.ipc(f.server).mr(0));
        assertEquals(77, f.ipc(f.server).label());
        assertEquals(0, f.ipc(f.server).length());
        f.assertConsistent();
    }

    @Test
    void send_length64_copiesEveryRegister() {
        f.presetMrs(f.server);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        for (int i = 0; i < 64; i++) {
            f.ipc(f.clientA).setMr(i, 1000 + i);
        }
        assertEquals(Outcome.OK, f.driver.send(f.clientA, EP, MessageInfo.of(1, 64)));
        for (int i = 0; i < 64; i++) {
            assertEquals(1000 + i, f.ipc(f.server).mr(i), "MR" + i);
        }
    }

    @Test
    void send_unbadgedCapability_receiverSeesBadgeZero() {
        TaskHandle plain = f.client("plain", 0);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.OK, f.driver.send(plain, EP, MessageInfo.of(1, 0)));
        assertEquals(0L, f.ipc(f.server).badge());
    }

    @Test
    void send_noReceiver_blocksThenRecvTakesItAndSenderRunsOk() {
        f.setMrs(f.clientA, 7, 8);
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(3, 2)));
        KernelView.TaskView a = f.view(f.clientA);
        assertEquals(TaskState.BLOCKED_ON_SEND, a.state());
        assertEquals(f.endpoint.id(), a.blockedOn());
        assertFalse(a.isCall());
        assertEquals(QueueState.SENDERS, f.queueKind());
        assertEquals(List.of(f.clientA.id()), f.queued());
        f.assertConsistent();

        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertEquals(Kind.SEND, f.ipc(f.server).kind());
        assertEquals(3, f.ipc(f.server).label());
        assertEquals(BADGE_A, f.ipc(f.server).badge());
        assertArrayEquals(new long[] {7, 8}, f.mrs(f.server, 2));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.OK, f.ipc(f.clientA).status());
        assertEquals(-1, f.view(f.server).holdsContextOf(), "a Send gives no caller context");
        assertEquals(QueueState.IDLE, f.queueKind());
        f.assertConsistent();
    }

    @Test
    void send_severalSenders_recvServesOldestFirst() {
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientC, EP, MessageInfo.of(3, 0)));
        assertEquals(List.of(f.clientB.id(), f.clientA.id(), f.clientC.id()), f.queued());
        f.assertConsistent();

        long[] badges = {BADGE_B, BADGE_A, BADGE_C};
        int[] labels = {2, 1, 3};
        for (int i = 0; i < 3; i++) {
            assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
            assertEquals(labels[i], f.ipc(f.server).label(), "message " + i);
            assertEquals(badges[i], f.ipc(f.server).badge(), "message " + i);
            f.assertConsistent();
        }
        assertEquals(List.of(), f.queued());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(TaskState.RUNNING, f.state(f.clientB));
        assertEquals(TaskState.RUNNING, f.state(f.clientC));
    }

    @Test
    void send_secondSenderAfterOneTaken_queueKeepsTheRestInOrder() {
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertEquals(List.of(f.clientB.id()), f.queued());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(TaskState.BLOCKED_ON_SEND, f.state(f.clientB));
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(3, 0)));
        assertEquals(List.of(f.clientB.id(), f.clientA.id()), f.queued());
        f.assertConsistent();
    }

    @Test
    void recv_severalReceivers_queueFifoAndSendsGoToOldest() {
        TaskHandle s2 = f.serverThread("server2");
        TaskHandle s3 = f.serverThread("server3");
        assertEquals(Outcome.BLOCKED, f.driver.recv(s2, EP));
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.recv(s3, EP));
        assertEquals(QueueState.RECEIVERS, f.queueKind());
        assertEquals(List.of(s2.id(), f.server.id(), s3.id()), f.queued());
        f.assertConsistent();

        assertEquals(Outcome.OK, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(TaskState.RUNNING, f.state(s2));
        assertEquals(1, f.ipc(s2).label());
        assertEquals(List.of(f.server.id(), s3.id()), f.queued());

        assertEquals(Outcome.OK, f.driver.send(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(TaskState.RUNNING, f.state(f.server));
        assertEquals(2, f.ipc(f.server).label());
        assertEquals(BADGE_B, f.ipc(f.server).badge());
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, f.state(s3));
        assertEquals(List.of(s3.id()), f.queued());
        f.assertConsistent();
    }

    @Test
    void nbSend_noReceiver_wouldBlockAndNothingChanged() {
        KernelView before = f.view();
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbSend(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(before, f.view());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.WOULD_BLOCK, f.ipc(f.clientA).status());
        f.assertConsistent();
    }

    @Test
    void nbSend_sendersAlreadyQueued_wouldBlockAndNothingChanged() {
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(1, 0)));
        KernelView before = f.view();
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbSend(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(before, f.view());
    }

    @Test
    void nbSend_receiverWaiting_deliversOk() {
        f.presetMrs(f.server);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        f.setMrs(f.clientC, 42);
        assertEquals(Outcome.OK, f.driver.nbSend(f.clientC, EP, MessageInfo.of(9, 1)));
        assertEquals(TaskState.RUNNING, f.state(f.server));
        assertEquals(Kind.SEND, f.ipc(f.server).kind());
        assertEquals(9, f.ipc(f.server).label());
        assertEquals(42, f.ipc(f.server).mr(0));
        assertEquals(UNTOUCHED, f.ipc(f.server).mr(1));
        assertEquals(BADGE_C, f.ipc(f.server).badge());
        f.assertConsistent();
    }

    @Test
    void nbRecv_nothingQueued_wouldBlockAndNothingChanged() {
        KernelView before = f.view();
        long infoBefore = f.ipc(f.server).info();
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbRecv(f.server, EP));
        assertEquals(before, f.view());
        assertEquals(infoBefore, f.ipc(f.server).info());
        assertEquals(TaskState.RUNNING, f.state(f.server));
        f.assertConsistent();
    }

    @Test
    void nbRecv_receiversQueued_wouldBlockAndNotQueued() {
        TaskHandle s2 = f.serverThread("server2");
        assertEquals(Outcome.BLOCKED, f.driver.recv(s2, EP));
        KernelView before = f.view();
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbRecv(f.server, EP));
        assertEquals(before, f.view());
        assertEquals(List.of(s2.id()), f.queued());
    }

    @Test
    void nbRecv_senderQueued_takesItAndSenderRunsOk() {
        f.setMrs(f.clientB, 5);
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(4, 1)));
        assertEquals(Outcome.OK, f.driver.nbRecv(f.server, EP));
        assertEquals(Kind.SEND, f.ipc(f.server).kind());
        assertEquals(4, f.ipc(f.server).label());
        assertEquals(5, f.ipc(f.server).mr(0));
        assertEquals(BADGE_B, f.ipc(f.server).badge());
        assertEquals(TaskState.RUNNING, f.state(f.clientB));
        assertEquals(Status.OK, f.ipc(f.clientB).status());
        assertEquals(List.of(), f.queued());
        f.assertConsistent();
    }

    @Test
    void recv_senderQueuedOnOtherEndpoint_blocksOnItsOwn() {
        ObjectHandle other = f.kernel.createEndpoint();
        TaskHandle otherClient = f.task("otherClient", other, Rights.WRITE, 5);
        assertEquals(Outcome.BLOCKED, f.driver.send(otherClient, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, f.state(f.server));
        assertEquals(TaskState.BLOCKED_ON_SEND, f.state(otherClient));
        assertEquals(List.of(otherClient.id()), f.view().endpoint(other.id()).queued());
        f.assertConsistent();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 17, 63})
    void send_anyLength_copiesExactlyThatMany(int length) {
        f.presetMrs(f.server);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        for (int i = 0; i < 64; i++) {
            f.ipc(f.clientA).setMr(i, i + 1);
        }
        assertEquals(Outcome.OK, f.driver.send(f.clientA, EP, MessageInfo.of(0, length)));
        for (int i = 0; i < length; i++) {
            assertEquals(i + 1, f.ipc(f.server).mr(i), "MR" + i);
        }
        assertEquals(UNTOUCHED, f.ipc(f.server).mr(length), "MR" + length);
        assertTrue(f.ipc(f.server).length() == length);
    }
}
