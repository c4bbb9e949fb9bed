package io.capipc.kernel.syscall;

import static io.capipc.kernel.bugs.InjectedBug.DELETE_KEEPS_SENDERS;
import static io.capipc.kernel.bugs.InjectedBug.DESTROY_KEEPS_RECEIVERS;
import static io.capipc.kernel.bugs.InjectedBug.RELEASE_WITHOUT_STATUS;

import io.capipc.api.Status;
import io.capipc.cap.CapabilityListener;
import io.capipc.cap.Derivation;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.AsyncPort;
import io.capipc.kernel.object.BadgeRecord;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.Courier;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Region;
import io.capipc.kernel.object.ReplyPoolEntry;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.state.Registry;
import io.capipc.kernel.object.Untyped;

/**
 * What losing a capability does to IPC (docs/semantics.md §2), as the listener the derivation tree calls.
 *
 * <ul>
 *   <li>A sender still queued through a deleted capability is released with REVOKED (stronger than
 *       seL4, where it would stay queued). Once its message was taken, the capability no longer
 *       matters: a Call waiting for its reply is not affected.
 *   <li>A moved capability takes its queued senders with it.
 *   <li>When an endpoint's last capability goes, every task still queued on it is released with
 *       REVOKED, oldest first, and its queued system messages are dropped; a notification's waiters
 *       likewise, and its binding ends.
 *   <li>When the last capability with a non-zero badge to an endpoint goes, the endpoint hears of it
 *       by a BADGE_DISCONNECTED system message, if it chose to.
 *   <li>When a reply capability goes without being consumed (Delete), the caller of the context it
 *       held is released with NO_REPLY, and its pool entry is returned.
 *   <li>A region capability's mapping in its Space ends when it is deleted or moved away (guarantee
 *       14); a region's bytes are freed with the last region or window over them.
 *   <li>Deleting a capability to an untyped first revokes it: everything made through it is
 *       destroyed. When an object Retype made is destroyed, its charge goes back to its untyped; a
 *       Space made so loses every capability in its slots (see {@link UntypedSyscalls}).
 *   <li>When an async port's last capability goes, its entries end where they are (see
 *       {@link AsyncSyscalls#destroyed}).
 * </ul>
 */
public final class CapabilityEvents implements CapabilityListener {
    private final Wakeups wakeups;
    private final InjectedBugs bugs;
    private final SystemMessages systemMessages;
    private @org.jspecify.annotations.Nullable AsyncSyscalls ports;
    private @org.jspecify.annotations.Nullable UntypedSyscalls untypeds;

    private final Registry registry;

    public CapabilityEvents(Wakeups wakeups, InjectedBugs bugs, SystemMessages systemMessages, Registry registry) {
        this.wakeups = wakeups;
        this.bugs = bugs;
        this.systemMessages = systemMessages;
        this.registry = registry;
    }

    /** Installs where a destroyed async port goes (made after this, since it sends through it). */
    void ports(AsyncSyscalls asyncs) {
        ports = asyncs;
    }

    /** Installs where a destroyed object's charge goes back to its untyped. */
    void untypeds(UntypedSyscalls u) {
        untypeds = u;
    }

    @Override
    public void deleting(Slot slot) {
        if (slot.object() instanceof Region) {
            if (!(bugs.on(InjectedBug.MAPPING_SURVIVES_REVOKE) && slot.parent() != null)) {
                unmap(slot);
            }
            return;
        }
        if (slot.object() instanceof Untyped && slot.firstChild() != null) {
            // Nothing made through an untyped capability outlives it (docs/semantics.md §13).
            Derivation.revoke(slot, this);
        }
        if (!(slot.object() instanceof Endpoint ep)) {
            return;
        }
        if (!bugs.on(DELETE_KEEPS_SENDERS)) { releaseSenders(ep, slot, 0); }
        if (slot.badge() != 0) {
            BadgeRecord last = ep.uncount(slot.badge());
            if (last != null) {
                systemMessages.post(ep, last.disconnectedNotice(), slot.badge(), 0);
                ep.released(last);
            }
        }
    }

    /** A mapping made through {@code slot} ends before its capability goes (guarantee 14). */
    private void unmap(Slot slot) {
        Space space = registry.space(slot.owner().id());
        if (space != null && space.cspace() == slot.owner()) {
            var _ = space.unmap(slot.index());
        }
    }

    @Override
    public void moved(Slot from, Slot to) {
        if (to.object() instanceof Region) {
            unmap(from);
        }
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
            if (!bugs.on(DESTROY_KEEPS_RECEIVERS) || ep.firstReceiver() == null) { releaseAll(ep, Status.REVOKED); }
            SystemMessages.dropAll(ep);
        } else if (object instanceof ReplyPoolEntry entry) {
            CallerContext context = entry.context();
            if (context != null) {
                Task caller = context.caller();
                context.detach();
                wakeups.complete(caller, Status.NO_REPLY);
            }
            entry.capabilityGone();
        } else if (object instanceof Region r) {
            r.gone();
        } else if (object instanceof AsyncPort port && ports != null) {
            ports.destroyed(port);
        } else if (object instanceof Notification n) {
            for (Task t = n.firstWaiter(); t != null; t = n.firstWaiter()) {
                n.remove(t);
                wakeups.complete(t, Status.REVOKED);
            }
            if (n.bound() != null) {
                n.unbind();
            }
        }
        if (untypeds != null) {
            untypeds.destroyed(object);
        }
    }

    /** CancelBadgedSends: every sender queued on {@code ep} with {@code badge} is released with REVOKED. */
    void cancelBadgedSends(Endpoint ep, long badge) {
        releaseSenders(ep, null, badge);
    }

    /**
     * Releases, with REVOKED, the senders queued on {@code ep} through {@code via}, or if it is null,
     * with {@code badge}. After each release the walk starts again from the head: the completion of an
     * async port's queued AsyncCall queues its error on the port's reply endpoint, which may be this
     * one, and may delete the last capability to another port, whose queued entries then leave.
     */
    private void releaseSenders(Endpoint ep, Slot via, long badge) {
        Task t = ep.firstSender();
        while (t != null) {
            if (releases(t, via, badge)) {
                ep.remove(t);
                wakeups.complete(t, bugs.on(RELEASE_WITHOUT_STATUS) ? Status.OK : Status.REVOKED);
                t = ep.firstSender();
            } else {
                t = Endpoint.next(t);
            }
        }
    }

    /** An async port's answer carries its tag where a badge goes: it was not sent with any badge. */
    private static boolean releases(Task t, Slot via, long badge) {
        if (via != null) {
            return t.sendSlot() == via;
        }
        Courier c = t.courier();
        return t.sendBadge() == badge && (c == null || c.phase() != Courier.Phase.REPLYING);
    }

    private void releaseAll(Endpoint ep, Status why) {
        for (Task t = ep.head(); t != null; t = ep.head()) {
            ep.remove(t);
            wakeups.complete(t, why);
        }
    }
}
