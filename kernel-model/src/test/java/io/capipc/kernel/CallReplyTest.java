package io.capipc.kernel;

import static io.capipc.kernel.Fixture.BADGE_A;
import static io.capipc.kernel.Fixture.BADGE_B;
import static io.capipc.kernel.Fixture.EP;
import static io.capipc.kernel.Fixture.UNTOUCHED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Call, Reply, ReplyWait, holding a caller context, and task exit (docs/semantics.md §5.1 and §6). */
class CallReplyTest {
    private final Fixture f = new Fixture();

    /** Info words no task may reply or send with (docs/semantics.md §3). */
    static Stream<Arguments> badInfos() {
        return Stream.of(
                Arguments.of("length 65", MessageInfo.pack(0, 65, 0, false)),
                Arguments.of("negative label", MessageInfo.pack(-1, 0, 0, false)),
                Arguments.of("SYSTEM flag", MessageInfo.pack(0, 0, 0, true)),
                Arguments.of("five capabilities", MessageInfo.pack(0, 0, 5, false)),
                Arguments.of("kind set by user", MessageInfo.withKind(MessageInfo.of(0, 0), Kind.REPLY)));
    }

    /** clientA's Call taken by the server: the server holds clientA's context. */
    private void serverHoldsCallOfA(int label, long... mrs) {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        f.setMrs(f.clientA, mrs);
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(label, mrs.length)));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
    }

    @Test
    void call_serverWaiting_serverGetsCallKindAndCallerBlocksOnReply() {
        f.presetMrs(f.server);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        f.setMrs(f.clientA, 11, 12);
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(6, 2)));

        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
        assertEquals(-1, f.view(f.clientA).blockedOn());
        assertEquals(TaskState.RUNNING, f.state(f.server));
        assertEquals(Status.OK, f.ipc(f.server).status());
        assertEquals(Kind.CALL, f.ipc(f.server).kind());
        assertEquals(6, f.ipc(f.server).label());
        assertEquals(BADGE_A, f.ipc(f.server).badge());
        assertArrayEquals(new long[] {11, 12}, f.mrs(f.server, 2));
        assertEquals(UNTOUCHED, f.ipc(f.server).mr(2));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
        assertEquals(QueueState.IDLE, f.queueKind());
        f.assertConsistent();
    }

    @Test
    void call_noReceiver_queuedAsCallThenRecvGivesContext() {
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientB, EP, MessageInfo.of(8, 0)));
        KernelView.TaskView b = f.view(f.clientB);
        assertEquals(TaskState.BLOCKED_ON_SEND, b.state());
        assertTrue(b.isCall());
        assertEquals(f.endpoint.id(), b.blockedOn());
        assertEquals(List.of(f.clientB.id()), f.queued());
        f.assertConsistent();

        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertEquals(Kind.CALL, f.ipc(f.server).kind());
        assertEquals(8, f.ipc(f.server).label());
        assertEquals(BADGE_B, f.ipc(f.server).badge());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientB));
        assertEquals(f.clientB.id(), f.view(f.server).holdsContextOf());
        f.assertConsistent();
    }

    @Test
    void reply_heldContext_deliversReplyKindAndCallerRunsOk() {
        serverHoldsCallOfA(1, 5);
        f.presetMrs(f.clientA);
        f.setMrs(f.server, 100, 200, 300);
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(21, 2)));

        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.OK, f.ipc(f.clientA).status());
        assertEquals(Kind.REPLY, f.ipc(f.clientA).kind());
        assertEquals(21, f.ipc(f.clientA).label());
        assertEquals(2, f.ipc(f.clientA).length());
        assertEquals(0L, f.ipc(f.clientA).badge(), "a reply carries no badge");
        assertArrayEquals(new long[] {100, 200}, f.mrs(f.clientA, 2));
        assertEquals(UNTOUCHED, f.ipc(f.clientA).mr(2));
        assertEquals(-1, f.view(f.server).holdsContextOf());
        f.assertConsistent();
    }

    @Test
    void reply_noContext_returnsOkAndChangesNothing() {
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)));
        KernelView before = f.view();
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(1, 1)));
        assertEquals(before, f.view());
        f.assertConsistent();
    }

    @Test
    void reply_twice_secondFindsNoContextAndChangesNothing() {
        serverHoldsCallOfA(1);
        f.setMrs(f.server, 1);
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(3, 1)));
        KernelView before = f.view();
        f.setMrs(f.server, 2);
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(4, 1)));
        assertEquals(before, f.view());
        assertEquals(3, f.ipc(f.clientA).label(), "the caller got only the first reply");
        assertEquals(1, f.ipc(f.clientA).mr(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInfos")
    void reply_badInfo_invalidArgumentAndContextKept(String why, long info) {
        serverHoldsCallOfA(1);
        KernelView before = f.view();
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.reply(f.server, info));
        assertEquals(before, f.view());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(2, 0)), "the kept context still answers");
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Kind.REPLY, f.ipc(f.clientA).kind());
        f.assertConsistent();
    }

    @Test
    void replyWait_senderQueued_repliesThenTakesIt() {
        serverHoldsCallOfA(1);
        f.setMrs(f.clientB, 55);
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(9, 1)));
        f.setMrs(f.server, 66);
        assertEquals(Outcome.OK, f.driver.replyWait(f.server, EP, MessageInfo.of(4, 1)));

        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.OK, f.ipc(f.clientA).status());
        assertEquals(Kind.REPLY, f.ipc(f.clientA).kind());
        assertEquals(4, f.ipc(f.clientA).label());
        assertEquals(66, f.ipc(f.clientA).mr(0));
        assertEquals(TaskState.RUNNING, f.state(f.clientB));
        assertEquals(Kind.SEND, f.ipc(f.server).kind());
        assertEquals(9, f.ipc(f.server).label());
        assertEquals(55, f.ipc(f.server).mr(0));
        assertEquals(BADGE_B, f.ipc(f.server).badge());
        assertEquals(-1, f.view(f.server).holdsContextOf());
        f.assertConsistent();
    }

    @Test
    void replyWait_callQueued_repliesThenHoldsNewContext() {
        serverHoldsCallOfA(1);
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, f.driver.replyWait(f.server, EP, MessageInfo.of(0, 0)));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.OK, f.ipc(f.clientA).status());
        assertEquals(Kind.CALL, f.ipc(f.server).kind());
        assertEquals(f.clientB.id(), f.view(f.server).holdsContextOf());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientB));
        f.assertConsistent();
    }

    @Test
    void replyWait_nothingQueued_repliesThenBlocks() {
        serverHoldsCallOfA(1);
        assertEquals(Outcome.BLOCKED, f.driver.replyWait(f.server, EP, MessageInfo.of(3, 0)));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.OK, f.ipc(f.clientA).status());
        assertEquals(Kind.REPLY, f.ipc(f.clientA).kind());
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, f.state(f.server));
        assertEquals(-1, f.view(f.server).holdsContextOf());
        assertEquals(List.of(f.server.id()), f.queued());
        f.assertConsistent();

        assertEquals(Outcome.OK, f.driver.send(f.clientC, EP, MessageInfo.of(12, 0)));
        assertEquals(Status.OK, f.ipc(f.server).status());
        assertEquals(12, f.ipc(f.server).label());
    }

    @Test
    void replyWait_noContext_justReceives() {
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(5, 0)));
        assertEquals(Outcome.OK, f.driver.replyWait(f.server, EP, MessageInfo.of(0, 0)));
        assertEquals(5, f.ipc(f.server).label());
        assertEquals(TaskState.RUNNING, f.state(f.clientB));
        f.assertConsistent();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, Fixture.SLOTS, 3})
    void replyWait_badSlot_repliesToNobodyAndChangesNothing(int slot) {
        serverHoldsCallOfA(1);
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(1, 0)));
        KernelView before = f.view();
        Outcome s = f.driver.replyWait(f.server, slot, MessageInfo.of(0, 0));
        assertEquals(slot == 3 ? Outcome.INVALID_CAPABILITY : Outcome.INVALID_ARGUMENT, s);
        assertEquals(before, f.view());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
        f.assertConsistent();
    }

    @Test
    void replyWait_writeOnlyCapability_insufficientRightsAndContextKept() {
        f.kernel.install(f.serverSpace, 1, f.endpoint, Rights.WRITE, 0);
        serverHoldsCallOfA(1);
        KernelView before = f.view();
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, f.driver.replyWait(f.server, 1, MessageInfo.of(0, 0)));
        assertEquals(before, f.view());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInfos")
    void replyWait_badInfo_invalidArgumentAndContextKept(String why, long info) {
        serverHoldsCallOfA(1);
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(1, 0)));
        KernelView before = f.view();
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.replyWait(f.server, EP, info));
        assertEquals(before, f.view());
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
    }

    @Test
    void recv_holdingUnansweredContext_callerGetsNoReply() {
        serverHoldsCallOfA(1);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.NO_REPLY, f.ipc(f.clientA).status());
        assertEquals(-1, f.view(f.server).holdsContextOf());
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, f.state(f.server));
        f.assertConsistent();
    }

    @Test
    void recv_holdingContextAndCallQueued_dropsOldContextTakesNewOne() {
        serverHoldsCallOfA(1);
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertEquals(Status.NO_REPLY, f.ipc(f.clientA).status());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(f.clientB.id(), f.view(f.server).holdsContextOf());
        f.assertConsistent();
    }

    @Test
    void nbRecv_wouldBlock_keepsContext() {
        serverHoldsCallOfA(1);
        KernelView before = f.view();
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbRecv(f.server, EP));
        assertEquals(before, f.view());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
        f.assertConsistent();
    }

    @Test
    void nbRecv_takesMessage_releasesContextWithNoReply() {
        serverHoldsCallOfA(1);
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, f.driver.nbRecv(f.server, EP));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.NO_REPLY, f.ipc(f.clientA).status());
        assertEquals(-1, f.view(f.server).holdsContextOf());
        assertEquals(2, f.ipc(f.server).label());
        f.assertConsistent();
    }

    @Test
    void send_holdingContext_keepsContext() {
        ObjectHandle log = f.kernel.createEndpoint();
        f.kernel.install(f.serverSpace, 1, log, Rights.WRITE, 0);
        TaskHandle logger = f.task("logger", log, Rights.READ, 0);
        serverHoldsCallOfA(1);
        assertEquals(Outcome.BLOCKED, f.driver.recv(logger, EP));
        assertEquals(Outcome.OK, f.driver.send(f.server, 1, MessageInfo.of(1, 0)));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(0, 0)));
        assertEquals(Status.OK, f.ipc(f.clientA).status());
        f.assertConsistent();
    }

    @Test
    void call_serverHoldingContext_nestedCallKeepsOwnContext() {
        ObjectHandle backend = f.kernel.createEndpoint();
        f.kernel.install(f.serverSpace, 1, backend, Rights.WRITE, 0x5E);
        TaskHandle store = f.task("store", backend, Rights.READ, 0);
        serverHoldsCallOfA(1, 10);
        assertEquals(Outcome.BLOCKED, f.driver.recv(store, EP));

        f.setMrs(f.server, 20);
        assertEquals(Outcome.BLOCKED, f.driver.call(f.server, 1, MessageInfo.of(2, 1)));
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.server));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf(), "nested Call keeps the server's context");
        assertEquals(f.server.id(), f.view(store).holdsContextOf());
        assertEquals(Kind.CALL, f.ipc(store).kind());
        assertEquals(0x5EL, f.ipc(store).badge());
        assertEquals(20, f.ipc(store).mr(0));
        f.assertConsistent();

        f.setMrs(store, 30);
        assertEquals(Outcome.OK, f.driver.reply(store, MessageInfo.of(3, 1)));
        assertEquals(TaskState.RUNNING, f.state(f.server));
        assertEquals(Status.OK, f.ipc(f.server).status());
        assertEquals(30, f.ipc(f.server).mr(0));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
        f.assertConsistent();

        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(4, 1)));
        assertEquals(Status.OK, f.ipc(f.clientA).status());
        assertEquals(Kind.REPLY, f.ipc(f.clientA).kind());
        assertEquals(30, f.ipc(f.clientA).mr(0));
        f.assertConsistent();
    }

    @Test
    void exit_serverHoldingContext_callerGetsPeerDied() {
        serverHoldsCallOfA(1);
        assertEquals(Outcome.OK, f.driver.exit(f.server));
        assertEquals(TaskState.DEAD, f.state(f.server));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.PEER_DIED, f.ipc(f.clientA).status());
        assertEquals(-1, f.view(f.server).holdsContextOf());
        f.assertConsistent();
    }

    @Test
    void exit_noContext_onlyTheTaskDies() {
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)));
        KernelView before = f.view();
        assertEquals(Outcome.OK, f.driver.exit(f.server));
        assertEquals(TaskState.DEAD, f.state(f.server));
        assertEquals(TaskState.BLOCKED_ON_SEND, f.state(f.clientA));
        assertEquals(before.endpoints(), f.view().endpoints());
        f.assertConsistent();
    }

    @Test
    void exit_callerAfterReply_serverUnaffected() {
        serverHoldsCallOfA(1);
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(0, 0)));
        assertEquals(Outcome.OK, f.driver.exit(f.clientA));
        assertEquals(TaskState.DEAD, f.state(f.clientA));
        assertEquals(TaskState.RUNNING, f.state(f.server));
        f.assertConsistent();
    }

    @Test
    void call_twoCallersQueued_servedInOrderWithSeparateContexts() {
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
        f.setMrs(f.server, 111);
        assertEquals(Outcome.OK, f.driver.replyWait(f.server, EP, MessageInfo.of(10, 1)));
        assertEquals(f.clientB.id(), f.view(f.server).holdsContextOf());
        f.setMrs(f.server, 222);
        assertEquals(Outcome.BLOCKED, f.driver.replyWait(f.server, EP, MessageInfo.of(20, 1)));
        assertEquals(10, f.ipc(f.clientA).label());
        assertEquals(111, f.ipc(f.clientA).mr(0));
        assertEquals(20, f.ipc(f.clientB).label());
        assertEquals(222, f.ipc(f.clientB).mr(0));
        f.assertConsistent();
    }
}
