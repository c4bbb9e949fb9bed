package io.capipc.kernel;

import static io.capipc.kernel.Fixture.BADGE_A;
import static io.capipc.kernel.Fixture.BADGE_B;
import static io.capipc.kernel.Fixture.EP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.Handles;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.SystemMessage;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import java.util.List;
import org.junit.jupiter.api.Test;

/** System messages (docs/semantics.md §6): CALLER_CANCELLED and TASK_FAULTED, and the per-endpoint choice. */
class SystemMessagesTest {
    private static final int CANCELLED = SystemMessage.CALLER_CANCELLED.bit();
    private final Fixture f = new Fixture(1);

    private long takeAndSuspend(TaskHandle client, long timeout) {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(client, EP, MessageInfo.of(1, 0), timeout));
        assertEquals(Outcome.OK, f.driver.suspend(f.server));
        return f.ipc(f.server).handle();
    }

    private void assertSystem(TaskHandle t, SystemMessage kind, long badge, long mr0) {
        assertEquals(Status.OK, f.ipc(t).status());
        assertEquals(0, f.ipc(t).unwrapped(), "no capability came with it");
        assertEquals(0, f.ipc(t).caps());
        assertTrue(MessageInfo.isSystem(f.ipc(t).info()), "SYSTEM flag");
        assertEquals(Kind.SEND, f.ipc(t).kind());
        assertEquals(kind.label(), f.ipc(t).label());
        assertEquals(1, f.ipc(t).length());
        assertEquals(badge, f.ipc(t).badge());
        assertEquals(mr0, f.ipc(t).mr(0));
    }

    private List<KernelView.NoticeView> notices() {
        return f.view().endpoint(f.endpoint.id()).notices();
    }

    @Test
    void callerGivesUpOnSuspendedContext_optedIn_serverReceivesCallerCancelledWithHandle() {
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, CANCELLED));
        long handle = takeAndSuspend(f.clientA, 100);
        f.driver.advance(100);
        assertEquals(List.of(new KernelView.NoticeView(SystemMessage.CALLER_CANCELLED, BADGE_A, handle)), notices());
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertSystem(f.server, SystemMessage.CALLER_CANCELLED, BADGE_A, handle);
        assertEquals(List.of(), notices());
        f.assertConsistent();
    }

    @Test
    void callerGivesUp_serverAlreadyWaiting_messageDeliveredAtOnce() {
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, CANCELLED));
        long handle = takeAndSuspend(f.clientA, DeterministicDriver.FOREVER);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertTrue(f.driver.interrupt(f.clientA));
        assertSystem(f.server, SystemMessage.CALLER_CANCELLED, BADGE_A, handle);
        f.assertConsistent();
    }

    @Test
    void callerGivesUp_notOptedIn_noMessage() {
        takeAndSuspend(f.clientA, 100);
        f.driver.advance(100);
        assertEquals(List.of(), notices());
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbRecv(f.server, EP));
    }

    @Test
    void callerDiesWhileSuspended_serverReceivesCallerCancelled() {
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, CANCELLED));
        long handle = takeAndSuspend(f.clientA, DeterministicDriver.FOREVER);
        f.driver.kill(f.clientA);
        assertEquals(Outcome.OK, f.driver.nbRecv(f.server, EP));
        assertSystem(f.server, SystemMessage.CALLER_CANCELLED, BADGE_A, handle);
    }

    @Test
    void systemMessages_comeBeforeQueuedSenders() {
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, CANCELLED));
        takeAndSuspend(f.clientA, 100);
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(5, 0)));
        f.driver.advance(100);
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertTrue(MessageInfo.isSystem(f.ipc(f.server).info()));
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertEquals(BADGE_B, f.ipc(f.server).badge());
        assertEquals(5, f.ipc(f.server).label());
    }

    @Test
    void poolEntry_notReusedWhileItsCancelledNoticeIsQueued() {
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, CANCELLED));
        long handle = takeAndSuspend(f.clientA, 100);
        f.driver.advance(100);
        assertEquals(Outcome.OK, f.driver.delete(f.server, Handles.slot(handle)));
        assertEquals(0, f.view().space(f.serverSpace.id()).freeReplies(), "the notice still waits");
        TaskHandle worker = f.serverThread("worker");
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, f.driver.recv(worker, EP), "the notice first");
        assertTrue(MessageInfo.isSystem(f.ipc(worker).info()));
        assertEquals(1, f.view().space(f.serverSpace.id()).freeReplies(), "received: the entry is free again");
        f.assertConsistent();
    }

    @Test
    void endpointDestroyed_queuedNoticesDroppedAndEntryFreed() {
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, CANCELLED));
        long handle = takeAndSuspend(f.clientA, 100);
        f.driver.advance(100);
        assertEquals(Outcome.OK, f.driver.delete(f.server, Handles.slot(handle)));
        for (TaskHandle client : List.of(f.clientA, f.clientB, f.clientC)) {
            assertEquals(Outcome.OK, f.driver.delete(client, EP));
        }
        assertEquals(Outcome.OK, f.driver.delete(f.server, EP));
        assertTrue(f.kernel.object(f.endpoint).isDestroyed());
        assertEquals(1, f.view().space(f.serverSpace.id()).freeReplies());
        f.assertConsistent();
    }

    @Test
    void systemMessages_unknownKindBits_invalidArgument() {
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.systemMessages(f.server, EP, 1));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.systemMessages(f.server, EP, 1 << 4));
        assertEquals(SystemMessage.TASK_FAULTED.bit(), f.view().endpoint(f.endpoint.id()).accepts(), "unchanged default");
    }

    @Test
    void systemMessages_withoutRead_insufficientRights() {
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, f.driver.systemMessages(f.clientA, EP, CANCELLED));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.systemMessages(f.server, Fixture.SLOTS, CANCELLED));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.systemMessages(f.server, 3, CANCELLED));
    }

    @Test
    void userCode_cannotSendSystemFlag() {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        long forged = MessageInfo.pack(SystemMessage.TASK_FAULTED.label(), 1, 0, true);
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.send(f.clientA, EP, forged));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.call(f.clientA, EP, forged));
    }

    /** A task in a new space whose slot 1 holds the fixture's endpoint with {@code rights} and {@code badge}, its fault endpoint. */
    private TaskHandle faulting(int rights, long badge) {
        SpaceHandle space = f.kernel.createSpace("worker", Fixture.SLOTS);
        f.kernel.install(space, 1, f.endpoint, rights, badge);
        return f.started(f.kernel.createTask(space, "worker", 1));
    }

    @Test
    void taskThrows_faultEndpointReceivesTaskFaultedWithBadgeAndTaskId() {
        TaskHandle worker = faulting(Rights.WRITE, 0xFA);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.OK, f.driver.fault(worker));
        assertSystem(f.server, SystemMessage.TASK_FAULTED, 0xFA, worker.id());
        f.assertConsistent();
    }

    @Test
    void taskReturns_noFaultMessage() {
        TaskHandle worker = faulting(Rights.WRITE, 0xFA);
        assertEquals(Outcome.OK, f.driver.exit(worker));
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbRecv(f.server, EP));
    }

    @Test
    void taskThrows_faultEndpointOptedOut_noMessage() {
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, 0));
        assertEquals(Outcome.OK, f.driver.fault(faulting(Rights.WRITE, 1)));
        assertEquals(List.of(), notices());
    }

    @Test
    void createTask_faultSlotWithoutWriteOrNotAnEndpoint_refusedNamingTheSlot() {
        SpaceHandle space = f.kernel.createSpace("worker", Fixture.SLOTS);
        f.kernel.install(space, 1, f.endpoint, Rights.READ, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.kernel.createTask(space, "worker", 1));
        assertTrue(e.getMessage().contains("fault slot 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.kernel.createTask(space, "worker", 2), "an empty slot");
        f.assertConsistent();
    }

    @Test
    void faultEndpoint_copiedAtCreation_taskCannotRedirectIt() {
        TaskHandle worker = faulting(Rights.WRITE, 0xFA);
        ObjectHandle other = f.kernel.createEndpoint();
        f.kernel.install(f.serverSpace, 5, other, Rights.READ, 0);
        assertEquals(Outcome.OK, f.driver.delete(worker, 1));
        f.kernel.install(worker.space(), 1, other, Rights.WRITE, 0xBAD);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.OK, f.driver.fault(worker));
        assertSystem(f.server, SystemMessage.TASK_FAULTED, 0xFA, worker.id());
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbRecv(f.server, 5), "nothing reached the slot's new endpoint");
        f.assertConsistent();
    }

    @Test
    void faultEndpoint_revokedFromItsParent_noMessage() {
        SpaceHandle space = f.kernel.createSpace("worker", Fixture.SLOTS);
        f.kernel.install(space, 1, f.endpoint, Rights.WRITE, 0xFA);
        assertEquals(Outcome.OK, f.driver.copy(f.started(f.kernel.createTask(space, "copier")), 1, 2, Rights.WRITE));
        TaskHandle worker = f.started(f.kernel.createTask(space, "worker", 2));
        assertEquals(Outcome.OK, f.driver.revoke(worker, 1), "takes slot 2 and the TCB's copy of it");
        assertTrue(f.kernel.task(worker).faultCap().isEmpty());
        assertEquals(Outcome.OK, f.driver.fault(worker));
        assertEquals(List.of(), notices());
        f.assertConsistent();
    }

    @Test
    void faultMessages_queueInArrivalOrder() {
        TaskHandle first = faulting(Rights.WRITE, 1);
        TaskHandle second = faulting(Rights.WRITE, 2);
        assertEquals(Outcome.OK, f.driver.fault(second));
        assertEquals(Outcome.OK, f.driver.fault(first));
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertSystem(f.server, SystemMessage.TASK_FAULTED, 2, second.id());
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertSystem(f.server, SystemMessage.TASK_FAULTED, 1, first.id());
    }

    @Test
    void systemMessage_afterAnUnwrappingMessage_clearsTheUnwrappedMarks() {
        f.kernel.install(f.clientA.space(), 2, f.endpoint, Rights.ALL, 0x77);
        f.ipc(f.clientA).setCap(0, 2);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.OK, f.driver.send(f.clientA, 2, MessageInfo.withCaps(MessageInfo.of(0, 0), 1)));
        assertEquals(1, f.ipc(f.server).unwrapped(), "the capability to the very endpoint arrived unwrapped");
        TaskHandle worker = faulting(Rights.WRITE, 0xFA);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.OK, f.driver.fault(worker));
        assertSystem(f.server, SystemMessage.TASK_FAULTED, 0xFA, worker.id());
    }
}
