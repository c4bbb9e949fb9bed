package io.capipc.kernel.syscall;

import static io.capipc.kernel.bugs.InjectedBug.MINT_REBADGES;
import static io.capipc.kernel.bugs.InjectedBug.REVOKE_LEAVES_GRANDCHILDREN;
import static io.capipc.kernel.bugs.InjectedBug.REVOKE_SPARES_MADE;
import static io.capipc.kernel.bugs.InjectedBug.REVOKE_SPARES_ONE;
import static io.capipc.kernel.bugs.InjectedBug.REVOKE_SPARES_QUEUED_CAPS;

import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.Derivation;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Task;
import java.util.List;

/**
 * The capability syscalls on the task's own capability space (docs/semantics.md §2; seL4 CNode_Copy,
 * CNode_Mint, CNode_Move, CNode_Mutate, CNode_Delete, CNode_Revoke, CNode_CancelBadgedSends).
 * Rights are masked, never widened (docs/semantics.md guarantee 2); a badge is set once.
 *
 * <p>Checks, in docs/semantics.md §7's order: slot indices and the rights mask (INVALID_ARGUMENT), an
 * empty source (INVALID_CAPABILITY), an occupied destination (SLOT_OCCUPIED), then a second badge
 * (INVALID_ARGUMENT), then a new badge its endpoint has no room to count (NO_SPACE; see
 * BadgeRecord). A reply capability cannot be copied, minted, moved or mutated
 * (INVALID_CAPABILITY, as for an empty source): it names one suspended context and lives in one slot.
 * What losing a capability does to IPC is {@link CapabilityEvents}'.
 */
public final class CapabilitySyscalls {
    private final CapabilityEvents events;
    private final InjectedBugs bugs;
    /** Every kernel object, for REVOKE_SPARES_QUEUED_CAPS only. */
    private final List<KernelObject> objects;

    public CapabilitySyscalls(CapabilityEvents events, InjectedBugs bugs, List<KernelObject> objects) {
        this.events = events;
        this.bugs = bugs;
        this.objects = objects;
    }

    /** Copy: a child with the same object and badge, and rights {@code rights} ∩ the source's. */
    public Status copy(Task t, int src, int dst, int rights) {
        Reason r = check(t.space().cspace(), src, dst, rights);
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        CSpace cs = t.space().cspace();
        Slot source = cs.slot(src);
        Derivation.derive(source, cs.slot(dst), rights & source.rights(), source.badge());
        Endpoint.countIfBadged(cs.slot(dst));
        return t.ipc().complete(Status.OK);
    }

    /** Mint: as Copy, and sets the badge; 0 keeps the source's; a badged source takes no new badge. */
    public Status mint(Task t, int src, int dst, int rights, long badge) {
        Reason r = checkBadged(t.space().cspace(), src, dst, rights, badge);
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        CSpace cs = t.space().cspace();
        Slot source = cs.slot(src);
        Derivation.derive(source, cs.slot(dst), rights & source.rights(), badge == 0 ? source.badge() : badge);
        Endpoint.countIfBadged(cs.slot(dst));
        return t.ipc().complete(Status.OK);
    }

    /** Move: the capability changes slot and keeps its place in the tree and its queued senders. */
    public Status move(Task t, int src, int dst) {
        Reason r = check(t.space().cspace(), src, dst, Rights.NONE);
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
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
        CSpace cs = t.space().cspace();
        Reason r = checkBadged(cs, src, dst, rights, badge);
        if (r == Reason.NONE && cs.slot(src).firstChild() != null && ((cs.slot(src).rights() & ~rights) != 0 || badge != 0)) {
            r = Reason.MUTATE_WITH_CHILDREN;
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        Slot source = cs.slot(src);
        boolean newlyBadged = source.badge() == 0 && badge != 0;
        Derivation.move(source, cs.slot(dst), rights & source.rights(), badge == 0 ? source.badge() : badge, events);
        if (newlyBadged) {
            Endpoint.countIfBadged(cs.slot(dst));
        }
        return t.ipc().complete(Status.OK);
    }

    /** Delete: empties the slot; its children move up to its parent. An empty slot is OK. */
    public Status delete(Task t, int slot) {
        CSpace cs = t.space().cspace();
        Reason r = Decode.slot(cs, slot);
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        Derivation.delete(cs.slot(slot), events);
        return t.ipc().complete(Status.OK);
    }

    /** Revoke: deletes every descendant, in every space; keeps the capability. An empty slot is OK. */
    public Status revoke(Task t, int slot) {
        CSpace cs = t.space().cspace();
        Reason r = Decode.slot(cs, slot);
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        if (bugs.on(REVOKE_SPARES_ONE)) { InjectedBugs.revokeSparingOne(cs.slot(slot), events); return t.ipc().complete(Status.OK); }
        if (bugs.on(REVOKE_LEAVES_GRANDCHILDREN)) { InjectedBugs.revokeChildrenOnly(cs.slot(slot), events); return t.ipc().complete(Status.OK); }
        if (bugs.on(REVOKE_SPARES_QUEUED_CAPS)) { InjectedBugs.revokeSparingQueued(cs.slot(slot), events, objects); return t.ipc().complete(Status.OK); }
        if (bugs.on(REVOKE_SPARES_MADE)) { InjectedBugs.revokeSparingMade(cs.slot(slot), events); return t.ipc().complete(Status.OK); }
        Derivation.revoke(cs.slot(slot), events);
        return t.ipc().complete(Status.OK);
    }

    /**
     * Delete or Revoke of {@code slot} in {@code cs} by the system builder (a simulated runtime's
     * injected revocation), not by a task: the same derivation-tree transition as the syscalls', with
     * the same effects on IPC (senders released, objects destroyed, system messages posted).
     *
     * @throws IllegalArgumentException if the slot is out of range
     */
    public void deleteOrRevoke(CSpace cs, int slot, boolean revoke) {
        if (!cs.inRange(slot)) {
            throw new IllegalArgumentException("slot " + slot + " is out of range 0.." + (cs.size() - 1));
        }
        if (revoke) {
            Derivation.revoke(cs.slot(slot), events);
        } else {
            Derivation.delete(cs.slot(slot), events);
        }
    }

    /**
     * CancelBadgedSends: through a badged endpoint capability with all three rights, releases every
     * sender queued on the endpoint with that badge, with REVOKED. Checks: the slot; an empty slot or
     * not an endpoint; all three rights; then a badge of 0 (INVALID_ARGUMENT).
     */
    public Status cancelBadgedSends(Task t, int slot) {
        Reason r = Decode.slot(t.space().cspace(), slot);
        if (r == Reason.NONE) {
            r = Decode.object(t, slot, ObjectType.ENDPOINT);
        }
        if (r == Reason.NONE && !Rights.has(t.decodedSlot().rights(), Rights.ALL)) {
            r = Reason.NEEDS_ALL_RIGHTS;
        }
        if (r == Reason.NONE && t.decodedSlot().badge() == 0) {
            r = Reason.BADGE_REQUIRED;
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        Slot cap = t.decodedSlot();
        events.cancelBadgedSends((Endpoint) cap.object(), cap.badge());
        return t.ipc().complete(Status.OK);
    }

    private Reason checkBadged(CSpace cs, int src, int dst, int rights, long badge) {
        Reason r = check(cs, src, dst, rights);
        if (r == Reason.NONE && badge != 0 && cs.slot(src).badge() != 0 && !bugs.on(MINT_REBADGES)) {
            r = Reason.BADGE_ALREADY_SET;
        }
        if (r == Reason.NONE && badge != 0 && !Endpoint.canCount(cs.slot(src).object(), badge)) {
            r = Reason.BADGES_EXHAUSTED;
        }
        return r;
    }

    private static Reason check(CSpace cs, int src, int dst, int rights) {
        if (!cs.inRange(src)) {
            return Reason.SLOT_OUT_OF_RANGE;
        }
        if (!cs.inRange(dst)) {
            return Reason.DESTINATION_OUT_OF_RANGE;
        }
        if (!Rights.isValid(rights)) {
            return Reason.RIGHTS_UNKNOWN_BITS;
        }
        if (cs.slot(src).isEmpty()) {
            return Reason.EMPTY_SLOT;
        }
        if (cs.slot(src).object().type() == ObjectType.REPLY_POOL_ENTRY) {
            return Reason.REPLY_CAPABILITY;
        }
        return cs.slot(dst).isEmpty() ? Reason.NONE : Reason.DESTINATION_OCCUPIED;
    }
}
