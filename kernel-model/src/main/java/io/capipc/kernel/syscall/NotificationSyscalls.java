package io.capipc.kernel.syscall;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.ObjectType;
import io.capipc.cap.Slot;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;

/**
 * Signal, Wait, Poll, BindNotification and UnbindNotification (SPEC section 5.4; seL4's
 * notifications). The word reaches a task in its IPC buffer as the badge of a message of kind
 * NOTIFICATION with no registers.
 *
 * <p>Checks, in SPEC section 7's order: the slot (INVALID_ARGUMENT), an empty slot or not a
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
        Status s = lookup(t.space().cspace(), cap, Rights.WRITE);
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        Slot slot = t.space().cspace().slot(cap);
        Notification n = (Notification) slot.object();
        n.signal(slot.badge());
        Task waiter = n.firstWaiter();
        Task bound = n.bound();
        if (waiter != null) {
            n.remove(waiter);
            deliver(waiter, n.take());
            wakeups.complete(waiter, Status.OK);
        } else if (bound != null && bound.state() == TaskState.BLOCKED_ON_RECEIVE) {
            ((Endpoint) bound.blockedOn()).remove(bound);
            deliver(bound, n.take());
            wakeups.complete(bound, Status.OK);
        }
        return t.ipc().complete(Status.OK);
    }

    /** Wait (needs READ) and Poll: take the word if pending; else block FIFO, or WOULD_BLOCK. */
    public Status waitFor(Task t, int cap, boolean blocking) {
        Status s = lookup(t.space().cspace(), cap, Rights.READ);
        Notification n = s == Status.OK ? (Notification) t.space().cspace().slot(cap).object() : null;
        if (s == Status.OK && n.bound() != null && n.bound() != t) {
            s = Status.INVALID_ARGUMENT;
        }
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        if (n.isPending()) {
            deliver(t, n.take());
            return t.ipc().complete(Status.OK);
        }
        if (!blocking) {
            return t.ipc().complete(Status.WOULD_BLOCK);
        }
        t.blockOnNotification(n);
        n.enqueue(t);
        return null;
    }

    /** BindNotification (needs READ): at most one each way, and nobody else waiting on it. */
    public Status bind(Task t, int cap) {
        Status s = lookup(t.space().cspace(), cap, Rights.READ);
        Notification n = s == Status.OK ? (Notification) t.space().cspace().slot(cap).object() : null;
        if (s == Status.OK && (t.boundNotification() != null || n.bound() != null || n.firstWaiter() != null)) {
            s = Status.INVALID_ARGUMENT;
        }
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        n.bind(t);
        return t.ipc().complete(Status.OK);
    }

    /** UnbindNotification: INVALID_ARGUMENT if the task is not bound. */
    public Status unbind(Task t) {
        if (t.boundNotification() == null) {
            return t.ipc().complete(Status.INVALID_ARGUMENT);
        }
        t.boundNotification().unbind();
        return t.ipc().complete(Status.OK);
    }

    /** The word arrives as the badge of a NOTIFICATION message with no registers. */
    static void deliver(Task t, long word) {
        t.ipc().clearUnwrapped();
        t.ipc().received(MessageInfo.withKind(0, Kind.NOTIFICATION), word);
    }

    private static Status lookup(CSpace cs, int cap, int right) {
        if (!cs.inRange(cap)) {
            return Status.INVALID_ARGUMENT;
        }
        Slot slot = cs.slot(cap);
        if (slot.isEmpty() || slot.object().type() != ObjectType.NOTIFICATION) {
            return Status.INVALID_CAPABILITY;
        }
        return Rights.has(slot.rights(), right) ? Status.OK : Status.INSUFFICIENT_RIGHTS;
    }
}
