package io.capipc.kernel;

import static io.capipc.kernel.Fixture.EP;
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
import io.capipc.api.TaskState;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timeouts, interruption and cancelled contexts (docs/semantics.md §6), on the driver's virtual clock. */
class TimeoutTest {
    private final Fixture f = new Fixture();

    @Test
    void send_timeoutFiresOnce_taskLeavesQueueWithTimeout() {
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0), 1_000));
        assertEquals(0, f.driver.advance(999));
        assertEquals(TaskState.BLOCKED_ON_SEND, f.state(f.clientA));
        assertEquals(1, f.driver.advance(1));
        assertEquals(Status.TIMEOUT, f.ipc(f.clientA).status());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(List.of(), f.queued());
        assertEquals(0, f.driver.advance(1_000_000), "a timeout fires exactly once");
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbRecv(f.server, EP), "nothing is left to receive");
        f.assertConsistent();
    }

    @Test
    void timeouts_severalDue_allExpireInOneAdvance() {
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0), 300));
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(1, 0), 100));
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientC, EP, MessageInfo.of(1, 0)));
        assertEquals(2, f.driver.advance(300));
        assertEquals(List.of(f.clientC.id()), f.queued(), "the one without a timeout stays");
    }

    @Test
    void recv_timeout_leavesReceiversQueueEmpty() {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP, 50));
        f.driver.advance(50);
        assertEquals(Status.TIMEOUT, f.ipc(f.server).status());
        assertEquals(QueueState.IDLE, f.queueKind());
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)), "a later Send finds nobody");
    }

    @Test
    void timeoutZero_wouldBlock_timeoutAtOnceAndNothingQueued() {
        KernelView before = f.view();
        assertEquals(Outcome.TIMEOUT, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0), 0));
        assertEquals(Outcome.TIMEOUT, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0), 0));
        assertEquals(Outcome.TIMEOUT, f.driver.recv(f.server, EP, 0));
        assertEquals(before, f.view());
    }

    @Test
    void negativeTimeout_invalidArgumentAndNothingChanges() {
        KernelView before = f.view();
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0), -1));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0), -5));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.recv(f.server, EP, -1));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.replyWait(f.server, EP, MessageInfo.of(0, 0), -1));
        assertEquals(before, f.view());
    }

    @Test
    void call_timeoutAfterMessageTaken_serverContextCancelled() {
        byte[] answer = new byte[4];
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0), MemorySegment.ofArray(new byte[] {1, 2}),
                MemorySegment.ofArray(answer)));
        // The one-segment overload has no timeout; expire by interrupt to reach the same state.
        assertTrue(f.driver.interrupt(f.clientA));
        assertEquals(Status.INTERRUPTED, f.ipc(f.clientA).status());
        assertEquals(Outcome.CANCELLED, f.driver.read(f.server, 0, MemorySegment.ofArray(new byte[2])));
        assertEquals(Outcome.CANCELLED, f.driver.write(f.server, 0, MemorySegment.ofArray(new byte[] {9})));
        assertEquals(Outcome.CANCELLED, f.driver.callerInfo(f.server));
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(0, 0)), "the reply is dropped");
        assertEquals(Kind.NONE, f.ipc(f.clientA).kind(), "nothing reached the caller");
        assertEquals(Outcome.NO_CALLER, f.driver.callerInfo(f.server), "the cancelled mark went with the Reply");
        assertEquals(0, answer[0]);
        f.assertConsistent();
    }

    @Test
    void call_deadlineCoversQueuedAndReplyPhases() {
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0), 100));
        f.driver.advance(60);
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        f.driver.advance(39);
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(f.clientA));
        f.driver.advance(1);
        assertEquals(Status.TIMEOUT, f.ipc(f.clientA).status());
        assertEquals(Outcome.CANCELLED, f.driver.callerInfo(f.server));
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP), "Recv releases the cancelled context");
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(2, 0)), "taken by the waiting server: waits for a reply");
        assertEquals(f.clientA.id(), f.view(f.server).holdsContextOf(), "the caller can Call again");
        f.assertConsistent();
    }

    @Test
    void interrupt_whileQueued_leavesQueueWithInterrupted() {
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(1, 0)));
        assertTrue(f.driver.interrupt(f.clientA));
        assertEquals(Status.INTERRUPTED, f.ipc(f.clientA).status());
        assertEquals(List.of(f.clientB.id()), f.queued());
        assertFalse(f.driver.interrupt(f.clientA), "a running task has nothing to interrupt");
        f.assertConsistent();
    }

    @Test
    void interrupt_waitingOnNotification_leavesWaiters() {
        var n = f.kernel.createNotification();
        f.kernel.install(f.serverSpace, 1, n, Rights.READ, 0);
        assertEquals(Outcome.BLOCKED, f.driver.waitNotification(f.server, 1, 10));
        f.driver.advance(10);
        assertEquals(Status.TIMEOUT, f.ipc(f.server).status());
        assertEquals(List.of(), f.kernel.inspect().notification(n.id()).waiters());
    }

    @Test
    void forward_ofCancelledContext_cancelled() {
        f.kernel.install(f.serverSpace, 2, f.endpoint, Rights.WRITE, 0);
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));
        f.driver.interrupt(f.clientA);
        assertEquals(Outcome.CANCELLED, f.driver.forward(f.server, 2, MessageInfo.of(0, 0)));
    }
}
