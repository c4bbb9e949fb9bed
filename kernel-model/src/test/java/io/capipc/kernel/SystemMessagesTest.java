package io.capipc.kernel;

import static io.capipc.kernel.Fixture.BADGE_A;
import static io.capipc.kernel.Fixture.BADGE_B;
import static io.capipc.kernel.Fixture.EP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Handles;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.SystemMessage;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** System messages (SPEC section 6): CALLER_CANCELLED and TASK_FAULTED, and the per-endpoint choice. */
class SystemMessagesTest {
    private static final int CANCELLED = SystemMessage.CALLER_CANCELLED.bit();
    private final Fixture f = new Fixture(1);

    private long takeAndSuspend(Task client, long timeout) {
        assertNull(f.driver.recv(f.server, EP));
        assertNull(f.driver.call(client, EP, MessageInfo.of(1, 0), timeout));
        assertEquals(Status.OK, f.driver.suspend(f.server));
        return f.server.ipc().handle();
    }

    private static void assertSystem(Task t, SystemMessage kind, long badge, long mr0) {
        assertEquals(Status.OK, t.ipc().status());
        assertEquals(0, t.ipc().unwrapped(), "no capability came with it");
        assertEquals(0, t.ipc().caps());
        assertTrue(MessageInfo.isSystem(t.ipc().info()), "SYSTEM flag");
        assertEquals(Kind.SEND, t.ipc().kind());
        assertEquals(kind.label(), t.ipc().label());
        assertEquals(1, t.ipc().length());
        assertEquals(badge, t.ipc().badge());
        assertEquals(mr0, t.ipc().mr(0));
    }

    private List<KernelView.NoticeView> notices() {
        return f.view().endpoint(f.endpoint.id()).notices();
    }

    @Test
    void callerGivesUpOnSuspendedContext_optedIn_serverReceivesCallerCancelledWithHandle() {
        assertEquals(Status.OK, f.driver.systemMessages(f.server, EP, CANCELLED));
        long handle = takeAndSuspend(f.clientA, 100);
        f.driver.advance(100);
        assertEquals(List.of(new KernelView.NoticeView(SystemMessage.CALLER_CANCELLED, BADGE_A, handle)), notices());
        assertEquals(Status.OK, f.driver.recv(f.server, EP));
        assertSystem(f.server, SystemMessage.CALLER_CANCELLED, BADGE_A, handle);
        assertEquals(List.of(), notices());
        f.assertConsistent();
    }

    @Test
    void callerGivesUp_serverAlreadyWaiting_messageDeliveredAtOnce() {
        assertEquals(Status.OK, f.driver.systemMessages(f.server, EP, CANCELLED));
        long handle = takeAndSuspend(f.clientA, Kernel.FOREVER);
        assertNull(f.driver.recv(f.server, EP));
        assertTrue(f.driver.interrupt(f.clientA));
        assertSystem(f.server, SystemMessage.CALLER_CANCELLED, BADGE_A, handle);
        f.assertConsistent();
    }

    @Test
    void callerGivesUp_notOptedIn_noMessage() {
        takeAndSuspend(f.clientA, 100);
        f.driver.advance(100);
        assertEquals(List.of(), notices());
        assertEquals(Status.WOULD_BLOCK, f.driver.nbRecv(f.server, EP));
    }

    @Test
    void callerDiesWhileSuspended_serverReceivesCallerCancelled() {
        assertEquals(Status.OK, f.driver.systemMessages(f.server, EP, CANCELLED));
        long handle = takeAndSuspend(f.clientA, Kernel.FOREVER);
        f.driver.kill(f.clientA);
        assertEquals(Status.OK, f.driver.nbRecv(f.server, EP));
        assertSystem(f.server, SystemMessage.CALLER_CANCELLED, BADGE_A, handle);
    }

    @Test
    void systemMessages_comeBeforeQueuedSenders() {
        assertEquals(Status.OK, f.driver.systemMessages(f.server, EP, CANCELLED));
        takeAndSuspend(f.clientA, 100);
        assertNull(f.driver.send(f.clientB, EP, MessageInfo.of(5, 0)));
        f.driver.advance(100);
        assertEquals(Status.OK, f.driver.recv(f.server, EP));
        assertTrue(MessageInfo.isSystem(f.server.ipc().info()));
        assertEquals(Status.OK, f.driver.recv(f.server, EP));
        assertEquals(BADGE_B, f.server.ipc().badge());
        assertEquals(5, f.server.ipc().label());
    }

    @Test
    void poolEntry_notReusedWhileItsCancelledNoticeIsQueued() {
        assertEquals(Status.OK, f.driver.systemMessages(f.server, EP, CANCELLED));
        long handle = takeAndSuspend(f.clientA, 100);
        f.driver.advance(100);
        assertEquals(Status.OK, f.driver.delete(f.server, Handles.slot(handle)));
        assertEquals(0, f.view().space(f.serverSpace.id()).freeReplies(), "the notice still waits");
        Task worker = f.serverThread("worker");
        assertNull(f.driver.call(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(Status.OK, f.driver.recv(worker, EP), "the notice first");
        assertTrue(MessageInfo.isSystem(worker.ipc().info()));
        assertEquals(1, f.view().space(f.serverSpace.id()).freeReplies(), "received: the entry is free again");
        f.assertConsistent();
    }

    @Test
    void endpointDestroyed_queuedNoticesDroppedAndEntryFreed() {
        assertEquals(Status.OK, f.driver.systemMessages(f.server, EP, CANCELLED));
        long handle = takeAndSuspend(f.clientA, 100);
        f.driver.advance(100);
        assertEquals(Status.OK, f.driver.delete(f.server, Handles.slot(handle)));
        for (Task client : List.of(f.clientA, f.clientB, f.clientC)) {
            assertEquals(Status.OK, f.driver.delete(client, EP));
        }
        assertEquals(Status.OK, f.driver.delete(f.server, EP));
        assertTrue(f.endpoint.isDestroyed());
        assertEquals(1, f.view().space(f.serverSpace.id()).freeReplies());
        f.assertConsistent();
    }

    @Test
    void systemMessages_unknownKindBits_invalidArgument() {
        assertEquals(Status.INVALID_ARGUMENT, f.driver.systemMessages(f.server, EP, 1));
        assertEquals(Status.INVALID_ARGUMENT, f.driver.systemMessages(f.server, EP, 1 << 4));
        assertEquals(SystemMessage.TASK_FAULTED.bit(), f.view().endpoint(f.endpoint.id()).accepts(), "unchanged default");
    }

    @Test
    void systemMessages_withoutRead_insufficientRights() {
        assertEquals(Status.INSUFFICIENT_RIGHTS, f.driver.systemMessages(f.clientA, EP, CANCELLED));
        assertEquals(Status.INVALID_ARGUMENT, f.driver.systemMessages(f.server, Fixture.SLOTS, CANCELLED));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.systemMessages(f.server, 3, CANCELLED));
    }

    @Test
    void userCode_cannotSendSystemFlag() {
        assertNull(f.driver.recv(f.server, EP));
        long forged = MessageInfo.pack(SystemMessage.TASK_FAULTED.label(), 1, 0, true);
        assertEquals(Status.INVALID_ARGUMENT, f.driver.send(f.clientA, EP, forged));
        assertEquals(Status.INVALID_ARGUMENT, f.driver.call(f.clientA, EP, forged));
    }

    /** A task in a new space whose slot 1 holds the fixture's endpoint with {@code rights} and {@code badge}, its fault endpoint. */
    private Task faulting(int rights, long badge) {
        Space space = f.kernel.createSpace("worker", Fixture.SLOTS);
        f.kernel.install(space, 1, f.endpoint, rights, badge);
        return f.started(f.kernel.createTask(space, "worker", 1));
    }

    @Test
    void taskThrows_faultEndpointReceivesTaskFaultedWithBadgeAndTaskId() {
        Task worker = faulting(Rights.WRITE, 0xFA);
        assertNull(f.driver.recv(f.server, EP));
        assertEquals(Status.OK, f.driver.fault(worker));
        assertSystem(f.server, SystemMessage.TASK_FAULTED, 0xFA, worker.id());
        f.assertConsistent();
    }

    @Test
    void taskReturns_noFaultMessage() {
        Task worker = faulting(Rights.WRITE, 0xFA);
        assertEquals(Status.OK, f.driver.exit(worker));
        assertEquals(Status.WOULD_BLOCK, f.driver.nbRecv(f.server, EP));
    }

    @Test
    void taskThrows_faultEndpointOptedOut_noMessage() {
        assertEquals(Status.OK, f.driver.systemMessages(f.server, EP, 0));
        assertEquals(Status.OK, f.driver.fault(faulting(Rights.WRITE, 1)));
        assertEquals(List.of(), notices());
    }

    @Test
    void createTask_faultSlotWithoutWriteOrNotAnEndpoint_refusedNamingTheSlot() {
        Space space = f.kernel.createSpace("worker", Fixture.SLOTS);
        f.kernel.install(space, 1, f.endpoint, Rights.READ, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.kernel.createTask(space, "worker", 1));
        assertTrue(e.getMessage().contains("fault slot 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.kernel.createTask(space, "worker", 2), "an empty slot");
        f.assertConsistent();
    }

    @Test
    void faultEndpoint_copiedAtCreation_taskCannotRedirectIt() {
        Task worker = faulting(Rights.WRITE, 0xFA);
        Endpoint other = f.kernel.createEndpoint();
        f.kernel.install(f.serverSpace, 5, other, Rights.READ, 0);
        assertEquals(Status.OK, f.driver.delete(worker, 1));
        f.kernel.install(worker.space(), 1, other, Rights.WRITE, 0xBAD);
        assertNull(f.driver.recv(f.server, EP));
        assertEquals(Status.OK, f.driver.fault(worker));
        assertSystem(f.server, SystemMessage.TASK_FAULTED, 0xFA, worker.id());
        assertEquals(Status.WOULD_BLOCK, f.driver.nbRecv(f.server, 5), "nothing reached the slot's new endpoint");
        f.assertConsistent();
    }

    @Test
    void faultEndpoint_revokedFromItsParent_noMessage() {
        Space space = f.kernel.createSpace("worker", Fixture.SLOTS);
        f.kernel.install(space, 1, f.endpoint, Rights.WRITE, 0xFA);
        assertEquals(Status.OK, f.driver.copy(f.started(f.kernel.createTask(space, "copier")), 1, 2, Rights.WRITE));
        Task worker = f.started(f.kernel.createTask(space, "worker", 2));
        assertEquals(Status.OK, f.driver.revoke(worker, 1), "takes slot 2 and the TCB's copy of it");
        assertTrue(worker.faultCap().isEmpty());
        assertEquals(Status.OK, f.driver.fault(worker));
        assertEquals(List.of(), notices());
        f.assertConsistent();
    }

    @Test
    void faultMessages_queueInArrivalOrder() {
        Task first = faulting(Rights.WRITE, 1);
        Task second = faulting(Rights.WRITE, 2);
        f.driver.fault(second);
        f.driver.fault(first);
        assertEquals(Status.OK, f.driver.recv(f.server, EP));
        assertSystem(f.server, SystemMessage.TASK_FAULTED, 2, second.id());
        assertEquals(Status.OK, f.driver.recv(f.server, EP));
        assertSystem(f.server, SystemMessage.TASK_FAULTED, 1, first.id());
    }

    @Test
    void systemMessage_afterAnUnwrappingMessage_clearsTheUnwrappedMarks() {
        f.kernel.install(f.clientA.space(), 2, f.endpoint, Rights.ALL, 0x77);
        f.clientA.ipc().setCap(0, 2);
        assertNull(f.driver.recv(f.server, EP));
        assertEquals(Status.OK, f.driver.send(f.clientA, 2, MessageInfo.withCaps(MessageInfo.of(0, 0), 1)));
        assertEquals(1, f.server.ipc().unwrapped(), "the capability to the very endpoint arrived unwrapped");
        Task worker = faulting(Rights.WRITE, 0xFA);
        assertNull(f.driver.recv(f.server, EP));
        assertEquals(Status.OK, f.driver.fault(worker));
        assertSystem(f.server, SystemMessage.TASK_FAULTED, 0xFA, worker.id());
    }
}
