package io.capipc.kernel.syscall;

import io.capipc.api.ObjectSizes;
import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.Derivation;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.RegionMemory;
import io.capipc.kernel.object.SpaceObject;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.Untyped;
import io.capipc.kernel.state.Registry;

/**
 * Making objects at run time (docs/semantics.md §13, seL4's Untyped_Retype, with a byte budget in
 * place of an address range).
 *
 * <ul>
 *   <li>Retype charges the object's size ({@link ObjectSizes}) to the untyped and puts the object's
 *       original capability, with all rights, in the destination slot as a child of the untyped's
 *       capability. Over the remaining budget: NO_SPACE, nothing made.
 *   <li>Every capability to the object is then in the subtree of the capability it was made
 *       through, so Revoke of that capability destroys it, with the usual consequences
 *       ({@link CapabilityEvents}).
 *   <li>A destroyed object gives its charge back at once ({@link #destroyed}): so Revoke of the
 *       untyped restores the whole budget, and used is always the sum of the live objects' charges
 *       (guarantee 16).
 *   <li>Deleting a capability to an untyped revokes it first ({@link CapabilityEvents#deleting}):
 *       nothing made through it outlives it.
 *   <li>A Space made here, when destroyed, deletes every capability in its slots.
 * </ul>
 *
 * <p>Retype allocates (the object); it is not among guarantee 11's syscalls.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock.
 */
public final class UntypedSyscalls {
    private final Registry registry;
    private final CapabilityEvents events;
    private final InjectedBugs bugs;

    public UntypedSyscalls(Registry registry, CapabilityEvents events, InjectedBugs bugs) {
        this.registry = registry;
        this.events = events;
        this.bugs = bugs;
        events.untypeds(this);
    }

    /** Retype: one object of {@code type} from the untyped in {@code cap}, its capability into {@code dst}. */
    public Status retype(Task t, int cap, ObjectType type, long param, int dst) {
        CSpace cs = t.space().cspace();
        long charge = ObjectSizes.charge(type, param);
        Reason r = charge == -1 ? Reason.TYPE_NOT_RETYPABLE : charge == -2 ? Reason.PARAM_OUT_OF_RANGE : Reason.NONE;
        if (r == Reason.NONE) {
            r = Decode.slot(cs, cap);
        }
        if (r == Reason.NONE && !cs.inRange(dst)) {
            r = Reason.DESTINATION_OUT_OF_RANGE;
        }
        if (r == Reason.NONE) {
            r = Decode.object(t, cap, ObjectType.UNTYPED);
        }
        if (r == Reason.NONE && !bugs.on(InjectedBug.RETYPE_WITHOUT_WRITE)) {
            r = Decode.rights(t, Rights.WRITE);
        }
        if (r == Reason.NONE && !cs.slot(dst).isEmpty()) {
            r = Reason.DESTINATION_OCCUPIED;
        }
        if (r == Reason.NONE && charge > ((Untyped) t.decodedSlot().object()).left()) {
            r = Reason.BUDGET_EXHAUSTED;
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        Slot from = t.decodedSlot();
        Untyped u = (Untyped) from.object();
        KernelObject made = make(type, param);
        Derivation.retype(from, cs.slot(dst), made, Rights.ALL);
        if (bugs.on(InjectedBug.RETYPE_FORGETS_CHARGE)) { charge = 0; }
        registry.made(made, u, charge);
        if (made instanceof Endpoint ep) {
            ep.chargeBadgesTo(u);
        }
        return t.ipc().complete(Status.OK);
    }

    /** The new object; {@code type} and {@code param} were checked by {@link ObjectSizes#charge}. */
    private KernelObject make(ObjectType type, long param) {
        return switch (type) {
            case ENDPOINT -> registry.addEndpoint();
            case NOTIFICATION -> registry.addNotification();
            case UNTYPED -> registry.addUntyped(param);
            case SPACE -> registry.addSpaceObject((int) (param & 0xFFFF_FFFFL), (int) (param >>> 32));
            case REGION -> registry.addRegion(RegionMemory.anonymous(param), 0, param);
            case REPLY_POOL_ENTRY, ASYNC_PORT, TASK -> throw new AssertionError("Retype cannot make " + type);
        };
    }

    /**
     * {@code object}'s last capability went: a Space made here loses every capability in its slots,
     * then, if Retype made it, its charge goes back to its untyped.
     */
    void destroyed(KernelObject object) {
        if (object instanceof SpaceObject so) {
            CSpace cs = so.space().cspace();
            for (int i = 0; i < cs.size(); i++) {
                Derivation.delete(cs.slot(i), events);
            }
        }
        if (bugs.on(InjectedBug.REFUND_SKIPPED)) { return; }
        registry.destroyed(object);
    }
}
