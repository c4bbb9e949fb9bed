package io.capipc.kernel.syscall;

import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.cap.Slot;
import io.capipc.kernel.ipc.Delivery;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Task;

/**
 * Signal, Wait, Poll, BindNotification and UnbindNotification (docs/semantics.md §5.4; seL4's
 * notifications). The word reaches a task in its IPC buffer as the badge of a message of kind
 * NOTIFICATION with no registers.
 *
 * <p>Checks, in docs/semantics.md §7's order: the slot (INVALID_ARGUMENT), an empty slot or not a
 * notification (INVALID_CAPABILITY), the right (INSUFFICIENT_RIGHTS), then state: waiting on a
 * notification bound to another task, binding either side twice, binding a notification others wait
 * on, unbinding when unbound (INVALID_ARGUMENT); then WOULD_BLOCK.
 */
public final class NotificationSyscalls {
    private final Wakeups wakeups;

    public NotificationSyscalls(Wakeups wakeups) {
        this.wakeups = wakeups;
    }

    /** Signal (needs WRITE): word |= badge, pending; wakes the oldest waiter, or the bound task blocked in Recv. */
    public Status signal(Task t, int cap) {
        Reason r = Decode.capability(t, cap, ObjectType.NOTIFICATION, Rights.WRITE);
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        Slot slot = t.decodedSlot();
        Notification n = (Notification) slot.object();
        n.signal(slot.badge());
        Task waiter = n.firstWaiter();
        Task bound = n.bound();
        if (waiter != null) {
            n.remove(waiter);
            Delivery.notification(waiter, n.take());
            wakeups.complete(waiter, Status.OK);
        } else if (bound != null && bound.state() == TaskState.BLOCKED_ON_RECEIVE) {
            ((Endpoint) bound.blockedOn()).remove(bound);
            Delivery.notification(bound, n.take());
            wakeups.complete(bound, Status.OK);
        }
        return t.ipc().complete(Status.OK);
    }

    /** Wait (needs READ) and Poll: take the word if pending; else block FIFO, or WOULD_BLOCK. */
    public Status waitFor(Task t, int cap, boolean blocking, long timeout) {
        Reason r = Decode.timeout(timeout);
        if (r == Reason.NONE) {
            r = Decode.capability(t, cap, ObjectType.NOTIFICATION, Rights.READ);
        }
        Notification n = r == Reason.NONE ? (Notification) t.decodedSlot().object() : null;
        if (r == Reason.NONE && n.bound() != null && n.bound() != t) {
            r = Reason.BOUND_TO_ANOTHER_TASK;
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        if (n.isPending()) {
            Delivery.notification(t, n.take());
            return t.ipc().complete(Status.OK);
        }
        if (!blocking) {
            return t.ipc().refuse(Reason.NOTHING_WAITING);
        }
        t.blockOnNotification(n);
        n.enqueue(t);
        return null;
    }

    /** BindNotification (needs READ): at most one each way, and nobody else waiting on it. */
    public Status bind(Task t, int cap) {
        Reason r = Decode.capability(t, cap, ObjectType.NOTIFICATION, Rights.READ);
        Notification n = r == Reason.NONE ? (Notification) t.decodedSlot().object() : null;
        if (r == Reason.NONE && (t.boundNotification() != null || n.bound() != null)) {
            r = Reason.ALREADY_BOUND;
        }
        if (r == Reason.NONE && n.firstWaiter() != null) {
            r = Reason.NOTIFICATION_HAS_WAITERS;
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        n.bind(t);
        return t.ipc().complete(Status.OK);
    }

    /** UnbindNotification: INVALID_ARGUMENT if the task is not bound. */
    public Status unbind(Task t) {
        if (t.boundNotification() == null) {
            return t.ipc().refuse(Reason.NOT_BOUND);
        }
        t.boundNotification().unbind();
        return t.ipc().complete(Status.OK);
    }
}
