package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;
import io.capipc.kernel.run.DeterministicDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signal, Wait, Poll, binding, and delivery through Recv (SPEC section 5.4). */
class NotificationTest {
    private static final int NTFN = 0;
    private static final int EP = 1;
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final Notification ntfn = kernel.createNotification();
    private final Endpoint ep = kernel.createEndpoint();
    private final Task waiter = task("waiter", Rights.READ, 0);
    private final Task other = task("other", Rights.READ, 0);
    private final Task signaller = task("signaller", Rights.WRITE, 0b0100);
    private final Task signaller2 = task("signaller2", Rights.WRITE, 0b0001);

    private Task task(String name, int rights, long badge) {
        Space s = kernel.createSpace(name, 4);
        kernel.install(s, NTFN, ntfn, rights, badge);
        kernel.install(s, EP, ep, Rights.READ | Rights.WRITE, 7);
        Task t = kernel.createTask(s, name);
        d.start(t);
        return t;
    }

    private KernelView.NotificationView view() {
        return kernel.inspect().notification(ntfn.id());
    }

    @Test
    void poll_nothingPending_wouldBlockAndNothingChanges() {
        KernelView before = kernel.inspect();
        assertEquals(Status.WOULD_BLOCK, d.poll(waiter, NTFN));
        assertEquals(before, kernel.inspect());
    }

    @Test
    void signalTwiceThenPoll_wordsOredAndCleared() {
        assertEquals(Status.OK, d.signal(signaller, NTFN));
        assertEquals(Status.OK, d.signal(signaller2, NTFN));
        assertEquals(0b0101, view().word());
        assertEquals(Status.OK, d.poll(waiter, NTFN));
        assertEquals(0b0101, waiter.ipc().badge());
        assertEquals(Kind.NOTIFICATION, waiter.ipc().kind());
        assertEquals(0, view().word());
        assertEquals(false, view().pending());
    }

    @Test
    void signalWithBadgeZero_setsPendingAndWaitReturnsZeroWord() {
        Space s = kernel.createSpace("zero", 2);
        kernel.install(s, NTFN, ntfn, Rights.WRITE, 0);
        Task z = kernel.createTask(s, "zero");
        d.start(z);
        assertEquals(Status.OK, d.signal(z, NTFN));
        assertEquals(true, view().pending());
        assertEquals(Status.OK, d.waitNotification(waiter, NTFN));
        assertEquals(0, waiter.ipc().badge());
    }

    @Test
    void wait_blocksFifoThenSignalWakesOldestWithTheWord() {
        assertNull(d.waitNotification(waiter, NTFN));
        assertNull(d.waitNotification(other, NTFN));
        assertEquals(TaskState.BLOCKED_ON_NOTIFICATION, kernel.inspect().task(waiter.id()).state());
        assertEquals(List.of(waiter.id(), other.id()), view().waiters());
        assertEquals(Status.OK, d.signal(signaller, NTFN));
        assertEquals(Status.OK, waiter.ipc().status());
        assertEquals(0b0100, waiter.ipc().badge());
        assertEquals(List.of(other.id()), view().waiters());
        assertEquals(false, view().pending(), "the word went to the waiter");
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void boundTaskBlockedInRecv_signalDeliversNotificationThroughRecv() {
        assertEquals(Status.OK, d.bindNotification(waiter, NTFN));
        assertNull(d.recv(waiter, EP));
        assertEquals(Status.OK, d.signal(signaller, NTFN));
        assertEquals(TaskState.RUNNING, kernel.inspect().task(waiter.id()).state());
        assertEquals(Kind.NOTIFICATION, waiter.ipc().kind());
        assertEquals(0b0100, waiter.ipc().badge());
        assertEquals(Endpoint.Queue.IDLE, kernel.inspect().endpoint(ep.id()).queue());
    }

    @Test
    void recv_pendingNotificationAndQueuedMessage_notificationFirst() {
        assertEquals(Status.OK, d.bindNotification(waiter, NTFN));
        assertNull(d.send(other, EP, MessageInfo.of(3, 0)));
        assertEquals(Status.OK, d.signal(signaller, NTFN));
        assertEquals(Status.OK, d.recv(waiter, EP));
        assertEquals(Kind.NOTIFICATION, waiter.ipc().kind());
        assertEquals(Status.OK, d.nbRecv(waiter, EP));
        assertEquals(Kind.SEND, waiter.ipc().kind());
        assertEquals(3, waiter.ipc().label());
    }

    @Test
    void boundTaskWaitingForReply_notWokenNotificationStaysPending() {
        assertEquals(Status.OK, d.bindNotification(waiter, NTFN));
        assertNull(d.recv(other, EP));
        assertNull(d.call(waiter, EP, MessageInfo.of(1, 0)));
        assertEquals(Status.OK, d.signal(signaller, NTFN));
        assertEquals(TaskState.BLOCKED_ON_REPLY, kernel.inspect().task(waiter.id()).state());
        assertEquals(true, view().pending());
        assertEquals(Status.OK, d.reply(other, MessageInfo.of(0, 0)));
        assertEquals(Kind.REPLY, waiter.ipc().kind());
        assertEquals(Status.OK, d.nbRecv(waiter, EP));
        assertEquals(Kind.NOTIFICATION, waiter.ipc().kind());
    }

    @Test
    void binding_refusals() {
        assertEquals(Status.INVALID_ARGUMENT, d.unbindNotification(waiter), "not bound");
        assertEquals(Status.OK, d.bindNotification(waiter, NTFN));
        assertEquals(Status.INVALID_ARGUMENT, d.bindNotification(waiter, NTFN), "task already bound");
        assertEquals(Status.INVALID_ARGUMENT, d.bindNotification(other, NTFN), "notification already bound");
        assertEquals(Status.INVALID_ARGUMENT, d.waitNotification(other, NTFN), "bound to another task");
        assertEquals(Status.INVALID_ARGUMENT, d.poll(other, NTFN));
        assertEquals(Status.OK, d.unbindNotification(waiter));
        assertNull(d.waitNotification(other, NTFN));
        assertEquals(Status.INVALID_ARGUMENT, d.bindNotification(waiter, NTFN), "someone else waits on it");
    }

    @Test
    void capabilityChecks_inSpecOrder() {
        KernelView before = kernel.inspect();
        assertEquals(Status.INVALID_ARGUMENT, d.signal(signaller, 4));
        assertEquals(Status.INVALID_CAPABILITY, d.signal(signaller, 2));
        assertEquals(Status.INVALID_CAPABILITY, d.signal(signaller, EP), "an endpoint is not a notification");
        assertEquals(Status.INSUFFICIENT_RIGHTS, d.signal(waiter, NTFN));
        assertEquals(Status.INSUFFICIENT_RIGHTS, d.poll(signaller, NTFN));
        assertEquals(Status.INVALID_CAPABILITY, d.recv(waiter, NTFN), "Recv on a notification");
        assertEquals(before, kernel.inspect());
    }

    @Test
    void lastCapabilityDeleted_waitersReleasedWithRevokedAndBindingEnds() {
        assertEquals(Status.OK, d.bindNotification(other, NTFN));
        assertEquals(Status.OK, d.unbindNotification(other));
        assertNull(d.waitNotification(waiter, NTFN));
        for (Task t : List.of(other, signaller, signaller2)) {
            assertEquals(Status.OK, d.delete(t, NTFN));
        }
        assertEquals(TaskState.BLOCKED_ON_NOTIFICATION, kernel.inspect().task(waiter.id()).state());
        Task last = kernel.createTask(waiter.space(), "waiter-sibling");
        d.start(last);
        assertEquals(Status.OK, d.delete(last, NTFN));
        assertEquals(Status.REVOKED, waiter.ipc().status());
        assertEquals(true, ntfn.isDestroyed());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void exit_boundTask_bindingEnds() {
        assertEquals(Status.OK, d.bindNotification(waiter, NTFN));
        assertEquals(Status.OK, d.exit(waiter));
        assertEquals(-1, view().bound());
        assertEquals(Status.OK, d.bindNotification(other, NTFN));
    }
}
