package io.capipc.kernel.syscall;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.Derivation;
import io.capipc.cap.Slot;
import io.capipc.kernel.object.Task;

/**
 * Copy, Mint and Delete on the task's own capability space (SPEC section 2; seL4 CNode_Copy,
 * CNode_Mint, CNode_Delete). Rights are masked, never widened (SPEC guarantee 2); a badge is set
 * once. Checks, in SPEC section 7's order: slot indices and the rights mask (INVALID_ARGUMENT), an
 * empty source (INVALID_CAPABILITY), an occupied destination (SLOT_OCCUPIED), then a second badge
 * (INVALID_ARGUMENT).
 *
 * <p>Not yet: Move, Mutate, Revoke, and the effects of losing a capability on tasks blocked through
 * it; they come with the derivation-tree issue.
 */
public final class CapabilitySyscalls {
    private CapabilitySyscalls() {}

    /** Copy: a child with the same object and badge, and rights {@code rights} ∩ the source's. */
    public static Status copy(Task t, int src, int dst, int rights) {
        Status s = check(t.space().cspace(), src, dst, rights);
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        CSpace cs = t.space().cspace();
        Slot source = cs.slot(src);
        Derivation.derive(source, cs.slot(dst), rights & source.rights(), source.badge());
        return t.ipc().complete(Status.OK);
    }

    /** Mint: as Copy, and sets the badge; 0 keeps the source's; a badged source takes no new badge. */
    public static Status mint(Task t, int src, int dst, int rights, long badge, Faults faults) {
        Status s = check(t.space().cspace(), src, dst, rights);
        CSpace cs = t.space().cspace();
        if (s == Status.OK && badge != 0 && cs.slot(src).badge() != 0 && !faults.has(Fault.MINT_REBADGES)) {
            s = Status.INVALID_ARGUMENT;
        }
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        Slot source = cs.slot(src);
        long newBadge = badge == 0 ? source.badge() : badge;
        Derivation.derive(source, cs.slot(dst), rights & source.rights(), newBadge);
        return t.ipc().complete(Status.OK);
    }

    /** Delete: empties the slot; its children move up to its parent. An empty slot is OK. */
    public static Status delete(Task t, int slot) {
        CSpace cs = t.space().cspace();
        if (!cs.inRange(slot)) {
            return t.ipc().complete(Status.INVALID_ARGUMENT);
        }
        Derivation.delete(cs.slot(slot));
        return t.ipc().complete(Status.OK);
    }

    private static Status check(CSpace cs, int src, int dst, int rights) {
        if (!cs.inRange(src) || !cs.inRange(dst) || !Rights.isValid(rights)) {
            return Status.INVALID_ARGUMENT;
        }
        if (cs.slot(src).isEmpty()) {
            return Status.INVALID_CAPABILITY;
        }
        return cs.slot(dst).isEmpty() ? Status.OK : Status.SLOT_OCCUPIED;
    }
}
