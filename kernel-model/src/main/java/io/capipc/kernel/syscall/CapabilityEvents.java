package io.capipc.kernel.syscall;

import io.capipc.api.Status;
import io.capipc.cap.CapabilityListener;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Task;

/**
 * What losing a capability does to IPC (SPEC section 2), as the listener the derivation tree calls.
 *
 * <ul>
 *   <li>A sender still queued through a deleted capability is released with REVOKED (stronger than
 *       seL4, where it would stay queued). Once its message was taken, the capability no longer
 *       matters: a Call waiting for its reply is not affected.
 *   <li>A moved capability takes its queued senders with it.
 *   <li>When an endpoint's last capability goes, every task still queued on it is released with
 *       REVOKED, oldest first; a notification's waiters likewise, and its binding ends.
 * </ul>
 */
final class CapabilityEvents implements CapabilityListener {
    private final Wakeups wakeups;
    private final Faults faults;

    CapabilityEvents(Wakeups wakeups, Faults faults) {
        this.wakeups = wakeups;
        this.faults = faults;
    }

    @Override
    public void deleting(Slot slot) {
        if (slot.object() instanceof Endpoint ep && !faults.has(Fault.DELETE_KEEPS_SENDERS)) {
            releaseSenders(ep, slot, 0);
        }
    }

    @Override
    public void moved(Slot from, Slot to) {
        if (to.object() instanceof Endpoint ep) {
            for (Task t = ep.firstSender(); t != null; t = Endpoint.next(t)) {
                if (t.sendSlot() == from) {
                    t.sendSlotMoved(to);
                }
            }
        }
    }

    @Override
    public void destroyed(KernelObject object) {
        if (object instanceof Endpoint ep) {
            releaseAll(ep, Status.REVOKED);
        } else if (object instanceof Notification n) {
            for (Task t = n.firstWaiter(); t != null; t = n.firstWaiter()) {
                n.remove(t);
                wakeups.resume(t, Status.REVOKED);
            }
            if (n.bound() != null) {
                n.unbind();
            }
        }
    }

    /** CancelBadgedSends: every sender queued on {@code ep} with {@code badge} is released with REVOKED. */
    void cancelBadgedSends(Endpoint ep, long badge) {
        releaseSenders(ep, null, badge);
    }

    /** Releases, with REVOKED, the senders queued on {@code ep} through {@code via}, or if it is null, with {@code badge}. */
    private void releaseSenders(Endpoint ep, Slot via, long badge) {
        Task t = ep.firstSender();
        while (t != null) {
            Task next = Endpoint.next(t);
            if (via != null ? t.sendSlot() == via : t.sendBadge() == badge) {
                ep.remove(t);
                wakeups.resume(t, Status.REVOKED);
            }
            t = next;
        }
    }

    private void releaseAll(Endpoint ep, Status why) {
        for (Task t = ep.head(); t != null; t = ep.head()) {
            ep.remove(t);
            wakeups.resume(t, why);
        }
    }
}
