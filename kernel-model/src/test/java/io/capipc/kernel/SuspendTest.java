package io.capipc.kernel;

import static io.capipc.kernel.Fixture.BADGE_A;
import static io.capipc.kernel.Fixture.EP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.Handles;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.ObjectType;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Suspend, Resume, and Reply, Forward, Read, Write and CallerInfo by handle (docs/semantics.md §5.2). */
class SuspendTest {
    private static final int POOL = 2;
    private final Fixture f = new Fixture(POOL);

    /** The server takes a Call from {@code client} and suspends it; returns the handle. */
    private long takeAndSuspend(TaskHandle client, int label) {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(client, EP, MessageInfo.of(label, 0)));
        assertEquals(Outcome.OK, f.driver.suspend(f.server));
        return f.ipc(f.server).handle();
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
        assertEquals(ObjectType.REPLY_POOL_ENTRY, serverSpace().slots().get(1).type());
        assertEquals(POOL - 1, serverSpace().freeReplies());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
        f.assertConsistent();
    }

    @Test
    void replyByHandle_answersCallerConsumesHandleAndReturnsEntry() {
        long handle = takeAndSuspend(f.clientA, 1);
        f.setMrs(f.server, 41, 42);
        assertEquals(Outcome.OK, f.driver.reply(f.server, handle, MessageInfo.of(9, 2)));
        assertEquals(Status.OK, f.ipc(f.clientA).status());
        assertEquals(Kind.REPLY, f.ipc(f.clientA).kind());
        assertArrayEquals(new long[] {41, 42}, f.mrs(f.clientA, 2));
        assertEquals(List.of(), serverSpace().suspended());
        assertEquals(POOL, serverSpace().freeReplies());
        f.assertConsistent();
    }

    @Test
    void replyByHandle_fromAnotherTaskOfTheSpace_answersCaller() {
        long handle = takeAndSuspend(f.clientA, 1);
        TaskHandle worker = f.serverThread("worker");
        assertEquals(Outcome.OK, f.driver.reply(worker, handle, MessageInfo.of(0, 0)));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        f.assertConsistent();
    }

    @Test
    void replyByHandle_fromAnotherSpace_isInvalidCapability() {
        long handle = takeAndSuspend(f.clientA, 1);
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.reply(f.clientB, handle, MessageInfo.of(0, 0)));
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
    }

    @Test
    void suspend_withoutContext_returnsNoCaller() {
        assertEquals(Outcome.NO_CALLER, f.driver.suspend(f.server));
        assertEquals(POOL, serverSpace().freeReplies());
    }

    @Test
    void suspend_poolExhausted_returnsNoSpaceAndKeepsContextCurrent() {
        takeAndSuspend(f.clientA, 1);
        takeAndSuspend(f.clientB, 2);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientC, EP, MessageInfo.of(3, 0)));
        assertEquals(Outcome.NO_SPACE, f.driver.suspend(f.server));
        assertEquals(f.clientC.id(), f.view(f.server).holdsContextOf());
        f.assertConsistent();
    }

    @Test
    void suspend_slotsFull_returnsNoSpace() {
        for (int slot = 1; slot < Fixture.SLOTS; slot++) {
            assertEquals(Outcome.OK, f.driver.copy(f.server, EP, slot, Rights.READ));
        }
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.NO_SPACE, f.driver.suspend(f.server));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
        assertEquals(POOL, serverSpace().freeReplies());
    }

    @Test
    void staleHandle_afterGenerationChanged_isRejectedAndNeverReachesLaterCaller() {
        long first = takeAndSuspend(f.clientA, 1);
        assertEquals(Outcome.OK, f.driver.reply(f.server, first, MessageInfo.of(0, 0)));
        long second = takeAndSuspend(f.clientB, 2);
        assertEquals(Handles.slot(first), Handles.slot(second), "the same slot is reused");
        assertNotEquals(first, second, "with a new generation");
        byte[] buf = new byte[4];
        MemorySegment seg = MemorySegment.ofArray(buf);
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.reply(f.server, first, MessageInfo.of(0, 0)));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.forward(f.server, first, EP, MessageInfo.of(0, 0)));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.read(f.server, first, 0, seg));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.write(f.server, first, 0, seg));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.callerInfo(f.server, first));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.resume(f.server, first));
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientB), "the stale handle reached nobody");
        assertEquals(Outcome.OK, f.driver.reply(f.server, second, MessageInfo.of(0, 0)));
        assertEquals(TaskState.RUNNING, f.state(f.clientB));
        f.assertConsistent();
    }

    @Test
    void forgedHandle_isInvalidCapability() {
        long handle = takeAndSuspend(f.clientA, 1);
        for (long forged : new long[] {-1, 0, handle + 1, handle ^ (1L << 32), Long.MIN_VALUE, 1L << 40 | 99}) {
            assertEquals(Outcome.INVALID_CAPABILITY, f.driver.reply(f.server, forged, MessageInfo.of(0, 0)), "handle " + forged);
        }
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
    }

    @Test
    void resume_makesContextCurrentAgainAndConsumesHandle() {
        long handle = takeAndSuspend(f.clientA, 7);
        assertEquals(Outcome.OK, f.driver.resume(f.server, handle));
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf());
        assertEquals(List.of(), serverSpace().suspended());
        assertEquals(Outcome.OK, f.driver.callerInfo(f.server));
        assertEquals(7, f.ipc(f.server).callerLabel());
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.resume(f.server, handle), "consumed");
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(0, 0)));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        f.assertConsistent();
    }

    @Test
    void resume_whileHoldingCurrentContext_isInvalidArgumentAndChangesNothing() {
        long handle = takeAndSuspend(f.clientA, 1);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.resume(f.server, handle));
        assertEquals(List.of(new KernelView.SuspendedView(1, f.clientA.id())), serverSpace().suspended());
        assertEquals(f.clientB.id(), f.view(f.server).holdsContextOf());
    }

    @Test
    void readWriteCallerInfoByHandle_useSuspendedCallersBuffers() {
        byte[] request = {1, 2, 3, 4, 5};
        byte[] response = new byte[8];
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(3, 0), MemorySegment.ofArray(request), MemorySegment.ofArray(response)));
        assertEquals(Outcome.OK, f.driver.suspend(f.server));
        long handle = f.ipc(f.server).handle();
        byte[] got = new byte[5];
        assertEquals(Outcome.OK, f.driver.read(f.server, handle, 1, MemorySegment.ofArray(got)));
        assertEquals(4, f.ipc(f.server).count());
        assertArrayEquals(new byte[] {2, 3, 4, 5, 0}, got);
        assertEquals(Outcome.OK, f.driver.write(f.server, handle, 6, MemorySegment.ofArray(new byte[] {9, 9, 9})));
        assertEquals(2, f.ipc(f.server).count(), "short at the end");
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 9, 9}, response);
        assertEquals(Outcome.RANGE, f.driver.read(f.server, handle, -1, MemorySegment.ofArray(got)));
        assertEquals(Outcome.OK, f.driver.callerInfo(f.server, handle));
        assertEquals(BADGE_A, f.ipc(f.server).callerBadge());
        assertEquals(3, f.ipc(f.server).callerLabel());
        assertEquals(5, f.ipc(f.server).callerSendSize());
        assertEquals(8, f.ipc(f.server).callerRecvSize());
        assertEquals(Outcome.NO_CALLER, f.driver.read(f.server, 0, MemorySegment.ofArray(got)), "no current context");
        f.assertConsistent();
    }

    @Test
    void forwardByHandle_passesCallOnAndReplyReachesOriginalCaller() {
        var second = f.kernel.createEndpoint();
        f.kernel.install(f.serverSpace, 5, second, Rights.WRITE, 0x55);
        var backendSpace = f.kernel.createSpace("backend", Fixture.SLOTS);
        f.kernel.install(backendSpace, EP, second, Rights.READ, 0);
        TaskHandle backend = f.started(f.kernel.createTask(backendSpace, "backend"));
        long handle = takeAndSuspend(f.clientA, 1);
        f.setMrs(f.server, 77);
        assertEquals(Outcome.OK, f.driver.forward(f.server, handle, 5, MessageInfo.of(4, 1)));
        assertEquals(List.of(), serverSpace().suspended(), "the handle is consumed");
        assertEquals(Outcome.OK, f.driver.recv(backend, EP), "the caller was queued on the next endpoint");
        assertEquals(0x55, f.ipc(backend).badge());
        assertEquals(77, f.ipc(backend).mr(0));
        assertEquals(Outcome.OK, f.driver.reply(backend, MessageInfo.of(0, 0)));
        assertEquals(Kind.REPLY, f.ipc(f.clientA).kind());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        f.assertConsistent();
    }

    @Test
    void deleteReplyCapability_releasesCallerWithNoReply() {
        long handle = takeAndSuspend(f.clientA, 1);
        assertEquals(Outcome.OK, f.driver.delete(f.server, Handles.slot(handle)));
        assertEquals(Status.NO_REPLY, f.ipc(f.clientA).status());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(POOL, serverSpace().freeReplies());
        f.assertConsistent();
    }

    @Test
    void replyCapability_cannotBeCopiedMintedMovedMutatedOrTransferred() {
        int slot = Handles.slot(takeAndSuspend(f.clientA, 1));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.copy(f.server, slot, 4, Rights.ALL));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.mint(f.server, slot, 4, Rights.ALL, 5));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.move(f.server, slot, 4));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.mutate(f.server, slot, 4, Rights.NONE, 0));
        f.kernel.install(f.serverSpace, 6, f.endpoint, Rights.ALL, 0);
        f.ipc(f.server).setCap(0, slot);
        TaskHandle receiver = f.task("receiver", f.endpoint, Rights.READ, 0);
        assertEquals(Outcome.BLOCKED, f.driver.recv(receiver, EP));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.send(f.server, 6, MessageInfo.withCaps(MessageInfo.of(0, 0), 1)));
        assertEquals(Outcome.OK, f.driver.revoke(f.server, slot), "it has no children to revoke");
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.send(f.server, slot, MessageInfo.of(0, 0)), "not an endpoint");
        assertEquals(List.of(new KernelView.SuspendedView(slot, f.clientA.id())), serverSpace().suspended());
        f.assertConsistent();
    }

    @Test
    void recv_whileHoldingSuspendedContexts_releasesOnlyTheCurrentOne() {
        long handle = takeAndSuspend(f.clientA, 1);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Status.NO_REPLY, f.ipc(f.clientB).status());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA), "the suspended context is kept");
        assertEquals(Outcome.OK, f.driver.callerInfo(f.serverThread("worker"), handle));
        f.assertConsistent();
    }

    @Test
    void callerTimesOutWhileSuspended_handleAnswersCancelledAndReplyIsDropped() {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0), 1_000));
        assertEquals(Outcome.OK, f.driver.suspend(f.server));
        long handle = f.ipc(f.server).handle();
        assertEquals(1, f.driver.advance(1_000));
        assertEquals(Status.TIMEOUT, f.ipc(f.clientA).status());
        assertEquals(List.of(new KernelView.SuspendedView(Handles.slot(handle), -1)), serverSpace().suspended());
        byte[] buf = new byte[1];
        assertEquals(Outcome.CANCELLED, f.driver.read(f.server, handle, 0, MemorySegment.ofArray(buf)));
        assertEquals(Outcome.CANCELLED, f.driver.write(f.server, handle, 0, MemorySegment.ofArray(buf)));
        assertEquals(Outcome.CANCELLED, f.driver.callerInfo(f.server, handle));
        f.kernel.install(f.serverSpace, 5, f.endpoint, Rights.WRITE, 0);
        assertEquals(Outcome.CANCELLED, f.driver.forward(f.server, handle, 5, MessageInfo.of(0, 0)));
        f.ipc(f.clientA).setMr(0, 123);
        assertEquals(Outcome.OK, f.driver.reply(f.server, handle, MessageInfo.of(0, 1)), "dropped");
        assertEquals(123, f.ipc(f.clientA).mr(0), "nothing reached the caller");
        assertEquals(POOL, serverSpace().freeReplies());
        f.assertConsistent();
    }

    @Test
    void resume_ofContextWhoseCallerGaveUp_leavesTaskHoldingCancelledContext() {
        long handle = takeAndSuspend(f.clientA, 1);
        assertEquals(true, f.driver.interrupt(f.clientA));
        assertEquals(Outcome.OK, f.driver.resume(f.server, handle));
        assertEquals(Outcome.CANCELLED, f.driver.callerInfo(f.server));
        assertEquals(POOL, serverSpace().freeReplies());
        f.assertConsistent();
    }

    @Test
    void serverDiesWhileSuspendedHandleHeld_callerWaitsWhileSpaceLivesThenGetsPeerDied() {
        TaskHandle worker = f.serverThread("worker");
        long handle = takeAndSuspend(f.clientA, 1);
        f.driver.kill(f.server);
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA), "another task of the space can still answer");
        assertEquals(List.of(), f.kernel.deadlocked());
        assertEquals(Outcome.OK, f.driver.callerInfo(worker, handle));
        f.driver.kill(worker);
        assertEquals(Status.PEER_DIED, f.ipc(f.clientA).status());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        f.assertConsistent();
    }

    @Test
    void serverExitsWhileSuspendedHandleHeld_lastTaskOfSpace_callerGetsPeerDied() {
        takeAndSuspend(f.clientA, 1);
        takeAndSuspend(f.clientB, 2);
        assertEquals(Outcome.OK, f.driver.exit(f.server));
        assertEquals(Status.PEER_DIED, f.ipc(f.clientA).status());
        assertEquals(Status.PEER_DIED, f.ipc(f.clientB).status());
        f.assertConsistent();
    }

    @Test
    void suspend_slotZeroFree_handleNamesSlotZero() {
        Fixture g = new Fixture(1);
        g.kernel.install(g.serverSpace, 3, g.endpoint, Rights.READ, 0);
        assertEquals(Outcome.OK, g.driver.delete(g.server, EP));
        assertEquals(Outcome.BLOCKED, g.driver.recv(g.server, 3));
        assertEquals(Outcome.BLOCKED, g.driver.call(g.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, g.driver.suspend(g.server));
        long handle = g.ipc(g.server).handle();
        assertEquals(0, Handles.slot(handle));
        assertEquals(Outcome.OK, g.driver.callerInfo(g.server, handle));
        assertEquals(Outcome.OK, g.driver.reply(g.server, handle, MessageInfo.of(0, 0)));
        assertEquals(TaskState.RUNNING, g.state(g.clientA));
        g.assertConsistent();
    }
}
