package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.kernel.inspect.QueueState;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import io.capipc.kernel.DeterministicDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signal, Wait, Poll, binding, and delivery through Recv (docs/semantics.md §5.4). */
class NotificationTest {
    private static final int NTFN = 0;
    private static final int EP = 1;
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle ntfn = kernel.createNotification();
    private final ObjectHandle ep = kernel.createEndpoint();
    private final TaskHandle waiter = task("waiter", Rights.READ, 0);
    private final TaskHandle other = task("other", Rights.READ, 0);
    private final TaskHandle signaller = task("signaller", Rights.WRITE, 0b0100);
    private final TaskHandle signaller2 = task("signaller2", Rights.WRITE, 0b0001);

    private TaskHandle task(String name, int rights, long badge) {
        SpaceHandle s = kernel.createSpace(name, 4);
        kernel.install(s, NTFN, ntfn, rights, badge);
        kernel.install(s, EP, ep, Rights.READ | Rights.WRITE, 7);
        TaskHandle t = kernel.createTask(s, name);
        d.start(t);
        return t;
    }

    private KernelView.NotificationView view() {
        return kernel.inspect().notification(ntfn.id());
    }

    @Test
    void poll_nothingPending_wouldBlockAndNothingChanges() {
        KernelView before = kernel.inspect();
        assertEquals(Outcome.WOULD_BLOCK, d.poll(waiter, NTFN));
        assertEquals(before, kernel.inspect());
    }

    @Test
    void signalTwiceThenPoll_wordsOredAndCleared() {
        assertEquals(Outcome.OK, d.signal(signaller, NTFN));
        assertEquals(Outcome.OK, d.signal(signaller2, NTFN));
        assertEquals(0b0101, view().word());
        assertEquals(Outcome.OK, d.poll(waiter, NTFN));
        assertEquals(0b0101, d.ipc(waiter).badge());
        assertEquals(Kind.NOTIFICATION, d.ipc(waiter).kind());
        assertEquals(0, view().word());
        assertEquals(false, view().pending());
    }

    @Test
    void signalWithBadgeZero_setsPendingAndWaitReturnsZeroWord() {
        SpaceHandle s = kernel.createSpace("zero", 2);
        kernel.install(s, NTFN, ntfn, Rights.WRITE, 0);
        TaskHandle z = kernel.createTask(s, "zero");
        d.start(z);
        assertEquals(Outcome.OK, d.signal(z, NTFN));
        assertEquals(true, view().pending());
        assertEquals(Outcome.OK, d.waitNotification(waiter, NTFN));
        assertEquals(0, d.ipc(waiter).badge());
    }

    @Test
    void wait_blocksFifoThenSignalWakesOldestWithTheWord() {
        assertEquals(Outcome.BLOCKED, d.waitNotification(waiter, NTFN));
        assertEquals(Outcome.BLOCKED, d.waitNotification(other, NTFN));
        assertEquals(TaskState.BLOCKED_ON_NOTIFICATION, kernel.inspect().task(waiter.id()).state());
        assertEquals(List.of(waiter.id(), other.id()), view().waiters());
        assertEquals(Outcome.OK, d.signal(signaller, NTFN));
        assertEquals(Status.OK, d.ipc(waiter).status());
        assertEquals(0b0100, d.ipc(waiter).badge());
        assertEquals(List.of(other.id()), view().waiters());
        assertEquals(false, view().pending(), "the word went to the waiter");
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void boundTaskBlockedInRecv_signalDeliversNotificationThroughRecv() {
        assertEquals(Outcome.OK, d.bindNotification(waiter, NTFN));
        assertEquals(Outcome.BLOCKED, d.recv(waiter, EP));
        assertEquals(Outcome.OK, d.signal(signaller, NTFN));
        assertEquals(TaskState.RUNNING, kernel.inspect().task(waiter.id()).state());
        assertEquals(Kind.NOTIFICATION, d.ipc(waiter).kind());
        assertEquals(0b0100, d.ipc(waiter).badge());
        assertEquals(QueueState.IDLE, kernel.inspect().endpoint(ep.id()).queue());
    }

    @Test
    void recv_pendingNotificationAndQueuedMessage_notificationFirst() {
        assertEquals(Outcome.OK, d.bindNotification(waiter, NTFN));
        assertEquals(Outcome.BLOCKED, d.send(other, EP, MessageInfo.of(3, 0)));
        assertEquals(Outcome.OK, d.signal(signaller, NTFN));
        assertEquals(Outcome.OK, d.recv(waiter, EP));
        assertEquals(Kind.NOTIFICATION, d.ipc(waiter).kind());
        assertEquals(Outcome.OK, d.nbRecv(waiter, EP));
        assertEquals(Kind.SEND, d.ipc(waiter).kind());
        assertEquals(3, d.ipc(waiter).label());
    }

    @Test
    void boundTaskWaitingForReply_notWokenNotificationStaysPending() {
        assertEquals(Outcome.OK, d.bindNotification(waiter, NTFN));
        assertEquals(Outcome.BLOCKED, d.recv(other, EP));
        assertEquals(Outcome.BLOCKED, d.call(waiter, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, d.signal(signaller, NTFN));
        assertEquals(TaskState.BLOCKED_ON_REPLY, kernel.inspect().task(waiter.id()).state());
        assertEquals(true, view().pending());
        assertEquals(Outcome.OK, d.reply(other, MessageInfo.of(0, 0)));
        assertEquals(Kind.REPLY, d.ipc(waiter).kind());
        assertEquals(Outcome.OK, d.nbRecv(waiter, EP));
        assertEquals(Kind.NOTIFICATION, d.ipc(waiter).kind());
    }

    @Test
    void binding_refusals() {
        assertEquals(Outcome.INVALID_ARGUMENT, d.unbindNotification(waiter), "not bound");
        assertEquals(Outcome.OK, d.bindNotification(waiter, NTFN));
        assertEquals(Outcome.INVALID_ARGUMENT, d.bindNotification(waiter, NTFN), "task already bound");
        assertEquals(Outcome.INVALID_ARGUMENT, d.bindNotification(other, NTFN), "notification already bound");
        assertEquals(Outcome.INVALID_ARGUMENT, d.waitNotification(other, NTFN), "bound to another task");
        assertEquals(Outcome.INVALID_ARGUMENT, d.poll(other, NTFN));
        assertEquals(Outcome.OK, d.unbindNotification(waiter));
        assertEquals(Outcome.BLOCKED, d.waitNotification(other, NTFN));
        assertEquals(Outcome.INVALID_ARGUMENT, d.bindNotification(waiter, NTFN), "someone else waits on it");
    }

    @Test
    void capabilityChecks_inSpecOrder() {
        KernelView before = kernel.inspect();
        assertEquals(Outcome.INVALID_ARGUMENT, d.signal(signaller, 4));
        assertEquals(Outcome.INVALID_CAPABILITY, d.signal(signaller, 2));
        assertEquals(Outcome.INVALID_CAPABILITY, d.signal(signaller, EP), "an endpoint is not a notification");
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.signal(waiter, NTFN));
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.poll(signaller, NTFN));
        assertEquals(Outcome.INVALID_CAPABILITY, d.recv(waiter, NTFN), "Recv on a notification");
        assertEquals(before, kernel.inspect());
    }

    @Test
    void lastCapabilityDeleted_waitersReleasedWithRevokedAndBindingEnds() {
        assertEquals(Outcome.OK, d.bindNotification(other, NTFN));
        assertEquals(Outcome.OK, d.unbindNotification(other));
        assertEquals(Outcome.BLOCKED, d.waitNotification(waiter, NTFN));
        for (TaskHandle t : List.of(other, signaller, signaller2)) {
            assertEquals(Outcome.OK, d.delete(t, NTFN));
        }
        assertEquals(TaskState.BLOCKED_ON_NOTIFICATION, kernel.inspect().task(waiter.id()).state());
        TaskHandle last = kernel.createTask(waiter.space(), "waiter-sibling");
        d.start(last);
        assertEquals(Outcome.OK, d.delete(last, NTFN));
        assertEquals(Status.REVOKED, d.ipc(waiter).status());
        assertEquals(true, kernel.object(ntfn).isDestroyed());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void exit_boundTask_bindingEnds() {
        assertEquals(Outcome.OK, d.bindNotification(waiter, NTFN));
        assertEquals(Outcome.OK, d.exit(waiter));
        assertEquals(-1, view().bound());
        assertEquals(Outcome.OK, d.bindNotification(other, NTFN));
    }
}
