package io.capipc.kernel;

import static io.capipc.kernel.Fixture.BADGE_A;
import static io.capipc.kernel.Fixture.EP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.api.Handles;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.ObjectType;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Suspend, Resume, and Reply, Forward, Read, Write and CallerInfo by handle (SPEC section 5.2). */
class SuspendTest {
    private static final int POOL = 2;
    private final Fixture f = new Fixture(POOL);

    /** The server takes a Call from {@code client} and suspends it; returns the handle. */
    private long takeAndSuspend(Task client, int label) {
        assertNull(f.driver.recv(f.server, EP));
        assertNull(f.driver.call(client, EP, MessageInfo.of(label, 0)));
        assertEquals(Status.OK, f.driver.suspend(f.server));
        return f.server.ipc().handle();
    }

    private KernelView.SpaceView serverSpace() {
        return f.view().space(f.serverSpace.id());
    }

    @Test
    void suspend_currentContext_movesItIntoReplyCapabilityInLowestFreeSlot() {
        long handle = takeAndSuspend(f.clientA, 1);
        assertEquals(1, Handles.slot(handle), "slot 0 holds the endpoint; slot 1 is the lowest free one");
        assertEquals(-1, f.view(f.server).holdsContextOf(), "the context is no longer current");
        assertEquals(List.of(new KernelView.SuspendedView(1, f.clientA.id())), serverSpace().suspended());
        assertEquals(ObjectType.REPLY, serverSpace().slots().get(1).type());
        assertEquals(POOL - 1, serverSpace().freeReplies());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
        f.assertConsistent();
    }

    @Test
    void replyByHandle_answersCallerConsumesHandleAndReturnsEntry() {
        long handle = takeAndSuspend(f.clientA, 1);
        Fixture.setMrs(f.server, 41, 42);
        assertEquals(Status.OK, f.driver.reply(f.server, handle, MessageInfo.of(9, 2)));
        assertEquals(Status.OK, f.clientA.ipc().status());
        assertEquals(Kind.REPLY, f.clientA.ipc().kind());
        assertArrayEquals(new long[] {41, 42}, Fixture.mrs(f.clientA, 2));
        assertEquals(List.of(), serverSpace().suspended());
        assertEquals(POOL, serverSpace().freeReplies());
        f.assertConsistent();
    }

    @Test
    void replyByHandle_fromAnotherTaskOfTheSpace_answersCaller() {
        long handle = takeAndSuspend(f.clientA, 1);
        Task worker = f.serverThread("worker");
        assertEquals(Status.OK, f.driver.reply(worker, handle, MessageInfo.of(0, 0)));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        f.assertConsistent();
    }

    @Test
    void replyByHandle_fromAnotherSpace_isInvalidCapability() {
        long handle = takeAndSuspend(f.clientA, 1);
        assertEquals(Status.INVALID_CAPABILITY, f.driver.reply(f.clientB, handle, MessageInfo.of(0, 0)));
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
    }

    @Test
    void suspend_withoutContext_returnsNoCaller() {
        assertEquals(Status.NO_CALLER, f.driver.suspend(f.server));
        assertEquals(POOL, serverSpace().freeReplies());
    }

    @Test
    void suspend_poolExhausted_returnsNoSpaceAndKeepsContextCurrent() {
        takeAndSuspend(f.clientA, 1);
        takeAndSuspend(f.clientB, 2);
        assertNull(f.driver.recv(f.server, EP));
        assertNull(f.driver.call(f.clientC, EP, MessageInfo.of(3, 0)));
        assertEquals(Status.NO_SPACE, f.driver.suspend(f.server));
        assertEquals(f.clientC.id(), f.view(f.server).holdsContextOf());
        f.assertConsistent();
    }

    @Test
    void suspend_slotsFull_returnsNoSpace() {
        for (int slot = 1; slot < Fixture.SLOTS; slot++) {
            assertEquals(Status.OK, f.driver.copy(f.server, EP, slot, Rights.READ));
        }
        assertNull(f.driver.recv(f.server, EP));
        assertNull(f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Status.NO_SPACE, f.driver.suspend(f.server));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
        assertEquals(POOL, serverSpace().freeReplies());
    }

    @Test
    void staleHandle_afterGenerationChanged_isRejectedAndNeverReachesLaterCaller() {
        long first = takeAndSuspend(f.clientA, 1);
        assertEquals(Status.OK, f.driver.reply(f.server, first, MessageInfo.of(0, 0)));
        long second = takeAndSuspend(f.clientB, 2);
        assertEquals(Handles.slot(first), Handles.slot(second), "the same slot is reused");
        assertNotEquals(first, second, "with a new generation");
        byte[] buf = new byte[4];
        MemorySegment seg = MemorySegment.ofArray(buf);
        assertEquals(Status.INVALID_CAPABILITY, f.driver.reply(f.server, first, MessageInfo.of(0, 0)));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.forward(f.server, first, EP, MessageInfo.of(0, 0)));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.read(f.server, first, 0, seg));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.write(f.server, first, 0, seg));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.callerInfo(f.server, first));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.resume(f.server, first));
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientB), "the stale handle reached nobody");
        assertEquals(Status.OK, f.driver.reply(f.server, second, MessageInfo.of(0, 0)));
        assertEquals(TaskState.RUNNING, f.state(f.clientB));
        f.assertConsistent();
    }

    @Test
    void forgedHandle_isInvalidCapability() {
        long handle = takeAndSuspend(f.clientA, 1);
        for (long forged : new long[] {-1, 0, handle + 1, handle ^ (1L << 32), Long.MIN_VALUE, 1L << 40 | 99}) {
            assertEquals(Status.INVALID_CAPABILITY, f.driver.reply(f.server, forged, MessageInfo.of(0, 0)), "handle " + forged);
        }
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
    }

    @Test
    void resume_makesContextCurrentAgainAndConsumesHandle() {
        long handle = takeAndSuspend(f.clientA, 7);
        assertEquals(Status.OK, f.driver.resume(f.server, handle));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
        assertEquals(List.of(), serverSpace().suspended());
        assertEquals(Status.OK, f.driver.callerInfo(f.server));
        assertEquals(7, f.server.ipc().callerLabel());
        assertEquals(Status.INVALID_CAPABILITY, f.driver.resume(f.server, handle), "consumed");
        assertEquals(Status.OK, f.driver.reply(f.server, MessageInfo.of(0, 0)));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        f.assertConsistent();
    }

    @Test
    void resume_whileHoldingCurrentContext_isInvalidArgumentAndChangesNothing() {
        long handle = takeAndSuspend(f.clientA, 1);
        assertNull(f.driver.recv(f.server, EP));
        assertNull(f.driver.call(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(Status.INVALID_ARGUMENT, f.driver.resume(f.server, handle));
        assertEquals(List.of(new KernelView.SuspendedView(1, f.clientA.id())), serverSpace().suspended());
        assertEquals(f.clientB.id(), f.view(f.server).holdsContextOf());
    }

    @Test
    void readWriteCallerInfoByHandle_useSuspendedCallersBuffers() {
        byte[] request = {1, 2, 3, 4, 5};
        byte[] response = new byte[8];
        assertNull(f.driver.recv(f.server, EP));
        assertNull(f.driver.call(f.clientA, EP, MessageInfo.of(3, 0), MemorySegment.ofArray(request), MemorySegment.ofArray(response)));
        assertEquals(Status.OK, f.driver.suspend(f.server));
        long handle = f.server.ipc().handle();
        byte[] got = new byte[5];
        assertEquals(Status.OK, f.driver.read(f.server, handle, 1, MemorySegment.ofArray(got)));
        assertEquals(4, f.server.ipc().count());
        assertArrayEquals(new byte[] {2, 3, 4, 5, 0}, got);
        assertEquals(Status.OK, f.driver.write(f.server, handle, 6, MemorySegment.ofArray(new byte[] {9, 9, 9})));
        assertEquals(2, f.server.ipc().count(), "short at the end");
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 9, 9}, response);
        assertEquals(Status.RANGE, f.driver.read(f.server, handle, -1, MemorySegment.ofArray(got)));
        assertEquals(Status.OK, f.driver.callerInfo(f.server, handle));
        assertEquals(BADGE_A, f.server.ipc().callerBadge());
        assertEquals(3, f.server.ipc().callerLabel());
        assertEquals(5, f.server.ipc().callerSendSize());
        assertEquals(8, f.server.ipc().callerRecvSize());
        assertEquals(Status.NO_CALLER, f.driver.read(f.server, 0, MemorySegment.ofArray(got)), "no current context");
        f.assertConsistent();
    }

    @Test
    void forwardByHandle_passesCallOnAndReplyReachesOriginalCaller() {
        var second = f.kernel.createEndpoint();
        f.kernel.install(f.serverSpace, 5, second, Rights.WRITE, 0x55);
        var backendSpace = f.kernel.createSpace("backend", Fixture.SLOTS);
        f.kernel.install(backendSpace, EP, second, Rights.READ, 0);
        Task backend = f.started(f.kernel.createTask(backendSpace, "backend"));
        long handle = takeAndSuspend(f.clientA, 1);
        Fixture.setMrs(f.server, 77);
        assertEquals(Status.OK, f.driver.forward(f.server, handle, 5, MessageInfo.of(4, 1)));
        assertEquals(List.of(), serverSpace().suspended(), "the handle is consumed");
        assertEquals(Status.OK, f.driver.recv(backend, EP), "the caller was queued on the next endpoint");
        assertEquals(0x55, backend.ipc().badge());
        assertEquals(77, backend.ipc().mr(0));
        assertEquals(Status.OK, f.driver.reply(backend, MessageInfo.of(0, 0)));
        assertEquals(Kind.REPLY, f.clientA.ipc().kind());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        f.assertConsistent();
    }

    @Test
    void deleteReplyCapability_releasesCallerWithNoReply() {
        long handle = takeAndSuspend(f.clientA, 1);
        assertEquals(Status.OK, f.driver.delete(f.server, Handles.slot(handle)));
        assertEquals(Status.NO_REPLY, f.clientA.ipc().status());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(POOL, serverSpace().freeReplies());
        f.assertConsistent();
    }

    @Test
    void replyCapability_cannotBeCopiedMintedMovedMutatedOrTransferred() {
        int slot = Handles.slot(takeAndSuspend(f.clientA, 1));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.copy(f.server, slot, 4, Rights.ALL));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.mint(f.server, slot, 4, Rights.ALL, 5));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.move(f.server, slot, 4));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.mutate(f.server, slot, 4, Rights.NONE, 0));
        f.kernel.install(f.serverSpace, 6, f.endpoint, Rights.ALL, 0);
        f.server.ipc().setCap(0, slot);
        Task receiver = f.task("receiver", f.endpoint, Rights.READ, 0);
        assertNull(f.driver.recv(receiver, EP));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.send(f.server, 6, MessageInfo.withCaps(MessageInfo.of(0, 0), 1)));
        assertEquals(Status.OK, f.driver.revoke(f.server, slot), "it has no children to revoke");
        assertEquals(Status.INVALID_CAPABILITY, f.driver.send(f.server, slot, MessageInfo.of(0, 0)), "not an endpoint");
        assertEquals(List.of(new KernelView.SuspendedView(slot, f.clientA.id())), serverSpace().suspended());
        f.assertConsistent();
    }

    @Test
    void recv_whileHoldingSuspendedContexts_releasesOnlyTheCurrentOne() {
        long handle = takeAndSuspend(f.clientA, 1);
        assertNull(f.driver.recv(f.server, EP));
        assertNull(f.driver.call(f.clientB, EP, MessageInfo.of(2, 0)));
        assertNull(f.driver.recv(f.server, EP));
        assertEquals(Status.NO_REPLY, f.clientB.ipc().status());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA), "the suspended context is kept");
        assertEquals(Status.OK, f.driver.callerInfo(f.serverThread("worker"), handle));
        f.assertConsistent();
    }

    @Test
    void callerTimesOutWhileSuspended_handleAnswersCancelledAndReplyIsDropped() {
        assertNull(f.driver.recv(f.server, EP));
        assertNull(f.driver.call(f.clientA, EP, MessageInfo.of(1, 0), 1_000));
        assertEquals(Status.OK, f.driver.suspend(f.server));
        long handle = f.server.ipc().handle();
        assertEquals(1, f.driver.advance(1_000));
        assertEquals(Status.TIMEOUT, f.clientA.ipc().status());
        assertEquals(List.of(new KernelView.SuspendedView(Handles.slot(handle), -1)), serverSpace().suspended());
        byte[] buf = new byte[1];
        assertEquals(Status.CANCELLED, f.driver.read(f.server, handle, 0, MemorySegment.ofArray(buf)));
        assertEquals(Status.CANCELLED, f.driver.write(f.server, handle, 0, MemorySegment.ofArray(buf)));
        assertEquals(Status.CANCELLED, f.driver.callerInfo(f.server, handle));
        f.kernel.install(f.serverSpace, 5, f.endpoint, Rights.WRITE, 0);
        assertEquals(Status.CANCELLED, f.driver.forward(f.server, handle, 5, MessageInfo.of(0, 0)));
        f.clientA.ipc().setMr(0, 123);
        assertEquals(Status.OK, f.driver.reply(f.server, handle, MessageInfo.of(0, 1)), "dropped");
        assertEquals(123, f.clientA.ipc().mr(0), "nothing reached the caller");
        assertEquals(POOL, serverSpace().freeReplies());
        f.assertConsistent();
    }

    @Test
    void resume_ofContextWhoseCallerGaveUp_leavesTaskHoldingCancelledContext() {
        long handle = takeAndSuspend(f.clientA, 1);
        assertEquals(true, f.driver.interrupt(f.clientA));
        assertEquals(Status.OK, f.driver.resume(f.server, handle));
        assertEquals(Status.CANCELLED, f.driver.callerInfo(f.server));
        assertEquals(POOL, serverSpace().freeReplies());
        f.assertConsistent();
    }

    @Test
    void serverDiesWhileSuspendedHandleHeld_callerWaitsWhileSpaceLivesThenGetsPeerDied() {
        Task worker = f.serverThread("worker");
        long handle = takeAndSuspend(f.clientA, 1);
        f.driver.kill(f.server);
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA), "another task of the space can still answer");
        assertEquals(List.of(), f.kernel.deadlocked());
        assertEquals(Status.OK, f.driver.callerInfo(worker, handle));
        f.driver.kill(worker);
        assertEquals(Status.PEER_DIED, f.clientA.ipc().status());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        f.assertConsistent();
    }

    @Test
    void serverExitsWhileSuspendedHandleHeld_lastTaskOfSpace_callerGetsPeerDied() {
        takeAndSuspend(f.clientA, 1);
        takeAndSuspend(f.clientB, 2);
        assertEquals(Status.OK, f.driver.exit(f.server));
        assertEquals(Status.PEER_DIED, f.clientA.ipc().status());
        assertEquals(Status.PEER_DIED, f.clientB.ipc().status());
        f.assertConsistent();
    }

    @Test
    void suspend_slotZeroFree_handleNamesSlotZero() {
        Fixture g = new Fixture(1);
        g.kernel.install(g.serverSpace, 3, g.endpoint, Rights.READ, 0);
        assertEquals(Status.OK, g.driver.delete(g.server, EP));
        assertNull(g.driver.recv(g.server, 3));
        assertNull(g.driver.call(g.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Status.OK, g.driver.suspend(g.server));
        long handle = g.server.ipc().handle();
        assertEquals(0, Handles.slot(handle));
        assertEquals(Status.OK, g.driver.callerInfo(g.server, handle));
        assertEquals(Status.OK, g.driver.reply(g.server, handle, MessageInfo.of(0, 0)));
        assertEquals(TaskState.RUNNING, g.state(g.clientA));
        g.assertConsistent();
    }
}
