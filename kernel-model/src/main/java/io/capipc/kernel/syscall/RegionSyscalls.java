package io.capipc.kernel.syscall;

import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.Derivation;
import io.capipc.cap.Slot;
import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.Mapping;
import io.capipc.kernel.object.Region;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.state.Registry;

/**
 * The region syscalls (docs/semantics.md §12.1): Map, Unmap and Carve. A mapping belongs to the
 * Space and to the slot it was made through; {@link CapabilityEvents} ends it when that capability
 * is deleted, revoked, moved away or mutated (guarantee 14). Map and Carve allocate (a view, a
 * window); Unmap does not.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock and {@code t} is RUNNING.
 */
public final class RegionSyscalls {
    private final Registry registry;
    private final InjectedBugs bugs;

    public RegionSyscalls(Registry registry, InjectedBugs bugs) {
        this.registry = registry;
        this.bugs = bugs;
    }

    /** Map: the slot's mapping in the task's Space, made now or the one made before. */
    public Status map(Task t, int cap) {
        Reason r = Decode.capability(t, cap, ObjectType.REGION, Rights.READ);
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        Space space = t.space();
        Mapping m = space.mapping(cap);
        if (m == null) {
            Slot slot = t.decodedSlot();
            m = ((Region) slot.object()).map(Rights.has(slot.rights(), Rights.WRITE));
            space.mapped(cap, m);
        }
        t.ipc().mapping(m.view());
        return t.ipc().complete(Status.OK);
    }

    /** Unmap: ends the slot's mapping, if any. */
    public Status unmap(Task t, int cap) {
        Reason r = Decode.slot(t.space().cspace(), cap);
        if (r == Reason.NONE) {
            r = Decode.object(t, cap, ObjectType.REGION);
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        var _ = t.space().unmap(cap);
        return t.ipc().complete(Status.OK);
    }

    /**
     * Carve: a window child in {@code dst}. Checks in docs/semantics.md §7's order: the rights mask,
     * the slots' ranges; the region; GRANT; the destination empty; then the window inside (RANGE).
     */
    public Status carve(Task t, int cap, long offset, long length, int rights, int dst) {
        CSpace cs = t.space().cspace();
        Reason r = Rights.isValid(rights) ? Reason.NONE : Reason.RIGHTS_UNKNOWN_BITS;
        if (r == Reason.NONE) {
            r = Decode.slot(cs, cap);
        }
        if (r == Reason.NONE && !cs.inRange(dst)) {
            r = Reason.DESTINATION_OUT_OF_RANGE;
        }
        if (r == Reason.NONE) {
            r = Decode.object(t, cap, ObjectType.REGION);
        }
        if (r == Reason.NONE && !Rights.has(t.decodedSlot().rights(), Rights.GRANT)) {
            r = Reason.NEEDS_GRANT;
        }
        if (r == Reason.NONE && !cs.slot(dst).isEmpty()) {
            r = Reason.DESTINATION_OCCUPIED;
        }
        Region parent = r == Reason.NONE ? (Region) t.decodedSlot().object() : null;
        if (parent != null && offset < 0) {
            r = Reason.OFFSET_NEGATIVE;
        } else if (parent != null && (length < 0 || offset > parent.length() - length)) {
            r = Reason.WINDOW_OUTSIDE;
        }
        if (r != Reason.NONE || parent == null) {
            return t.ipc().refuse(r);
        }
        Slot from = t.decodedSlot();
        long base = bugs.on(InjectedBug.WINDOW_AT_MEMORY_OFFSET) ? 0 : parent.offset();
        Region window = registry.addRegion(parent.memory(), base + offset, length);
        if (bugs.on(InjectedBug.WINDOW_NOT_COUNTED)) {
            window.memory().forgetSpan();
        }
        Derivation.installChild(from, cs.slot(dst), window, rights & from.rights(), 0);
        return t.ipc().complete(Status.OK);
    }
}
