package io.capipc.kernel.syscall;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.Derivation;
import io.capipc.cap.ObjectType;
import io.capipc.cap.Slot;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Task;

/**
 * The capability syscalls on the task's own capability space (SPEC section 2; seL4 CNode_Copy,
 * CNode_Mint, CNode_Move, CNode_Mutate, CNode_Delete, CNode_Revoke, CNode_CancelBadgedSends).
 * Rights are masked, never widened (SPEC guarantee 2); a badge is set once.
 *
 * <p>Checks, in SPEC section 7's order: slot indices and the rights mask (INVALID_ARGUMENT), an
 * empty source (INVALID_CAPABILITY), an occupied destination (SLOT_OCCUPIED), then a second badge
 * (INVALID_ARGUMENT), then a new badge its endpoint has no room to count (NO_SPACE; see
 * BadgeRecord). A reply capability cannot be copied, minted, moved or mutated
 * (INVALID_CAPABILITY, as for an empty source): it names one suspended context and lives in one slot.
 * What losing a capability does to IPC is {@link CapabilityEvents}'.
 */
public final class CapabilitySyscalls {
    private final CapabilityEvents events;
    private final InjectedBugs faults;

    public CapabilitySyscalls(CapabilityEvents events, InjectedBugs faults) {
        this.events = events;
        this.faults = faults;
    }

    /** Copy: a child with the same object and badge, and rights {@code rights} ∩ the source's. */
    public Status copy(Task t, int src, int dst, int rights) {
        Status s = check(t.space().cspace(), src, dst, rights);
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        CSpace cs = t.space().cspace();
        Slot source = cs.slot(src);
        Derivation.derive(source, cs.slot(dst), rights & source.rights(), source.badge());
        CapabilityEvents.filled(cs.slot(dst));
        return t.ipc().complete(Status.OK);
    }

    /** Mint: as Copy, and sets the badge; 0 keeps the source's; a badged source takes no new badge. */
    public Status mint(Task t, int src, int dst, int rights, long badge) {
        Status s = checkBadged(t.space().cspace(), src, dst, rights, badge);
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        CSpace cs = t.space().cspace();
        Slot source = cs.slot(src);
        Derivation.derive(source, cs.slot(dst), rights & source.rights(), badge == 0 ? source.badge() : badge);
        CapabilityEvents.filled(cs.slot(dst));
        return t.ipc().complete(Status.OK);
    }

    /** Move: the capability changes slot and keeps its place in the tree and its queued senders. */
    public Status move(Task t, int src, int dst) {
        Status s = check(t.space().cspace(), src, dst, Rights.NONE);
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        CSpace cs = t.space().cspace();
        Slot source = cs.slot(src);
        Derivation.move(source, cs.slot(dst), source.rights(), source.badge(), events);
        return t.ipc().complete(Status.OK);
    }

    /**
     * Mutate: Move that may shrink rights and set a badge (the badge rule of Mint). A capability with
     * children keeps its rights and badge (INVALID_ARGUMENT otherwise): narrowing it in place would
     * leave children with more rights than their parent, or a badge their parent does not have.
     */
    public Status mutate(Task t, int src, int dst, int rights, long badge) {
        Status s = checkBadged(t.space().cspace(), src, dst, rights, badge);
        CSpace cs = t.space().cspace();
        if (s == Status.OK && cs.slot(src).firstChild() != null
                && ((cs.slot(src).rights() & ~rights) != 0 || badge != 0)) {
            s = Status.INVALID_ARGUMENT;
        }
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        Slot source = cs.slot(src);
        boolean newlyBadged = source.badge() == 0 && badge != 0;
        Derivation.move(source, cs.slot(dst), rights & source.rights(), badge == 0 ? source.badge() : badge, events);
        if (newlyBadged) {
            CapabilityEvents.filled(cs.slot(dst));
        }
        return t.ipc().complete(Status.OK);
    }

    /** Delete: empties the slot; its children move up to its parent. An empty slot is OK. */
    public Status delete(Task t, int slot) {
        CSpace cs = t.space().cspace();
        if (!cs.inRange(slot)) {
            return t.ipc().complete(Status.INVALID_ARGUMENT);
        }
        Derivation.delete(cs.slot(slot), events);
        return t.ipc().complete(Status.OK);
    }

    /** Revoke: deletes every descendant, in every space; keeps the capability. An empty slot is OK. */
    public Status revoke(Task t, int slot) {
        CSpace cs = t.space().cspace();
        if (!cs.inRange(slot)) {
            return t.ipc().complete(Status.INVALID_ARGUMENT);
        }
        Slot root = cs.slot(slot);
        if (faults.has(InjectedBug.REVOKE_SPARES_ONE)) {
            while (root.firstChild() != null && (root.firstChild().firstChild() != null || root.firstChild().nextSibling() != null)) {
                Slot leaf = root.firstChild();
                while (leaf.firstChild() != null) {
                    leaf = leaf.firstChild();
                }
                Derivation.delete(leaf, events);
            }
        } else {
            Derivation.revoke(root, events);
        }
        return t.ipc().complete(Status.OK);
    }

    /**
     * CancelBadgedSends: through a badged endpoint capability with all three rights, releases every
     * sender queued with that badge with REVOKED. Order: slot (INVALID_ARGUMENT), an empty slot or not
     * an endpoint (INVALID_CAPABILITY), rights (INSUFFICIENT_RIGHTS), badge 0 (INVALID_ARGUMENT).
     */
    public Status cancelBadgedSends(Task t, int slot) {
        CSpace cs = t.space().cspace();
        if (!cs.inRange(slot)) {
            return t.ipc().complete(Status.INVALID_ARGUMENT);
        }
        Slot cap = cs.slot(slot);
        if (cap.isEmpty() || cap.object().type() != ObjectType.ENDPOINT) {
            return t.ipc().complete(Status.INVALID_CAPABILITY);
        }
        if (!Rights.has(cap.rights(), Rights.ALL)) {
            return t.ipc().complete(Status.INSUFFICIENT_RIGHTS);
        }
        if (cap.badge() == 0) {
            return t.ipc().complete(Status.INVALID_ARGUMENT);
        }
        events.cancelBadgedSends((Endpoint) cap.object(), cap.badge());
        return t.ipc().complete(Status.OK);
    }

    private Status checkBadged(CSpace cs, int src, int dst, int rights, long badge) {
        Status s = check(cs, src, dst, rights);
        if (s == Status.OK && badge != 0 && cs.slot(src).badge() != 0 && !faults.has(InjectedBug.MINT_REBADGES)) {
            s = Status.INVALID_ARGUMENT;
        }
        if (s == Status.OK && badge != 0 && !CapabilityEvents.countable(cs.slot(src).object(), badge)) {
            s = Status.NO_SPACE;
        }
        return s;
    }

    private static Status check(CSpace cs, int src, int dst, int rights) {
        if (!cs.inRange(src) || !cs.inRange(dst) || !Rights.isValid(rights)) {
            return Status.INVALID_ARGUMENT;
        }
        if (cs.slot(src).isEmpty() || cs.slot(src).object().type() == ObjectType.REPLY) {
            return Status.INVALID_CAPABILITY;
        }
        return cs.slot(dst).isEmpty() ? Status.OK : Status.SLOT_OCCUPIED;
    }
}
