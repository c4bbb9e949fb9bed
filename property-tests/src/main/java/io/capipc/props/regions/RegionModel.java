package io.capipc.props.regions;

import io.capipc.api.Reason;
import io.capipc.api.Rights;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The reference model of regions (docs/semantics.md §12.1), written from the text and sharing no
 * code with the kernel: region objects over memories, capabilities in a derivation tree, a mapping
 * per (Space, slot), every view ever returned with whether it still works, and the bytes.
 *
 * <p>Each method returns whether the syscall succeeds and, if it does, applies it. Map, Unmap and
 * Carve, the syscalls of §12.1, also say why they refuse ({@link #mapRefusal} and the like, in §7's
 * order of checks); the property compares those reasons, and only success for the capability syscalls,
 * whose reasons the main model's refinement judges.
 */
public final class RegionModel {
    /** A region or window: {@code length} bytes from {@code offset} of memory {@code memory}. */
    public static final class Obj {
        final int memory;
        final long offset;
        final long length;
        /** Made by Carve, not at boot. */
        final boolean window;
        int caps;

        Obj(int memory, long offset, long length, boolean window) {
            this.memory = memory;
            this.offset = offset;
            this.length = length;
            this.window = window;
        }
    }

    /** A capability: its object, rights, parent and children. */
    public static final class Cap {
        final Obj obj;
        int rights;
        @Nullable Cap parent;
        final List<Cap> children = new ArrayList<>();

        Cap(Obj obj, int rights, @Nullable Cap parent) {
            this.obj = obj;
            this.rights = rights;
            this.parent = parent;
        }
    }

    /** A view Map returned: through which Space and slot, of which object, and whether it still works. */
    public static final class View {
        final int space;
        final int slot;
        final Obj obj;
        final boolean writable;
        boolean alive = true;

        View(int space, int slot, Obj obj, boolean writable) {
            this.space = space;
            this.slot = slot;
            this.obj = obj;
            this.writable = writable;
        }
    }

    final @Nullable Cap[][] slots;
    final @Nullable View[][] mapped;
    final List<View> views = new ArrayList<>();
    final byte[][] memory;
    final int[] spans;
    final int endpointSlot;

    RegionModel(int spaces, int slotsPerSpace, int endpointSlot, long[] memorySizes) {
        this.slots = new Cap[spaces][slotsPerSpace];
        this.mapped = new View[spaces][slotsPerSpace];
        this.endpointSlot = endpointSlot;
        this.memory = new byte[memorySizes.length][];
        this.spans = new int[memorySizes.length];
        for (int m = 0; m < memorySizes.length; m++) {
            memory[m] = new byte[(int) memorySizes[m]];
        }
    }

    /** Boot: a region over all of memory {@code m}, its capability in {@code space}'s {@code slot}. */
    void boot(int space, int slot, int m) {
        Obj o = made(m, 0, memory[m].length, false);
        place(space, slot, new Cap(o, Rights.ALL, null));
    }

    private Obj made(int m, long offset, long length, boolean window) {
        spans[m]++;
        return new Obj(m, offset, length, window);
    }

    private void place(int space, int slot, Cap c) {
        slots[space][slot] = c;
        c.obj.caps++;
    }

    /** Whether memory {@code m} was freed: no region or window over it is left. */
    boolean freed(int m) {
        return spans[m] == 0;
    }

    private boolean isRegion(int space, int slot) {
        return lookup(space, slot) == Reason.NONE;
    }

    private boolean isEmpty(int space, int slot) {
        return inRange(space, slot) && slot != endpointSlot && slots[space][slot] == null;
    }

    // ---- syscalls

    /** The first of slot {@code slot}'s checks a region syscall fails: its range, then what it holds. */
    private Reason lookup(int s, int slot) {
        if (!inRange(s, slot)) {
            return Reason.SLOT_OUT_OF_RANGE;
        }
        if (slot == endpointSlot) {
            return Reason.NOT_A_REGION;
        }
        return slots[s][slot] == null ? Reason.EMPTY_SLOT : Reason.NONE;
    }

    private boolean inRange(int s, int slot) {
        return slot >= 0 && slot < slots[s].length;
    }

    /** Why Map refuses, or NONE: the lookup, then READ. */
    Reason mapRefusal(int s, int slot) {
        Reason r = lookup(s, slot);
        if (r == Reason.NONE && !Rights.has(slots[s][slot].rights, Rights.READ)) {
            r = Reason.NEEDS_READ;
        }
        return r;
    }

    /** Map: the view it returns, or null if refused. */
    @Nullable View map(int s, int slot) {
        if (mapRefusal(s, slot) != Reason.NONE) {
            return null;
        }
        if (mapped[s][slot] == null) {
            Cap c = slots[s][slot];
            View v = new View(s, slot, c.obj, Rights.has(c.rights, Rights.WRITE));
            mapped[s][slot] = v;
            views.add(v);
        }
        return mapped[s][slot];
    }

    /** Why Unmap refuses, or NONE: the lookup alone (a slot with no mapping is no refusal). */
    Reason unmapRefusal(int s, int slot) {
        return lookup(s, slot);
    }

    boolean unmap(int s, int slot) {
        if (unmapRefusal(s, slot) != Reason.NONE) {
            return false;
        }
        endMapping(s, slot);
        return true;
    }

    private void endMapping(int s, int slot) {
        View v = mapped[s][slot];
        if (v != null) {
            v.alive = false;
            mapped[s][slot] = null;
        }
    }

    /**
     * Why Carve refuses, or NONE: the rights mask, the slots' ranges, the region, GRANT, the
     * destination empty, then the window: a negative offset, then a window not inside its parent.
     */
    Reason carveRefusal(int s, int slot, long offset, long length, int rights, int dst) {
        if (!Rights.isValid(rights)) {
            return Reason.RIGHTS_UNKNOWN_BITS;
        }
        if (!inRange(s, slot)) {
            return Reason.SLOT_OUT_OF_RANGE;
        }
        if (!inRange(s, dst)) {
            return Reason.DESTINATION_OUT_OF_RANGE;
        }
        Reason r = lookup(s, slot);
        if (r != Reason.NONE) {
            return r;
        }
        Cap parent = slots[s][slot];
        if (!Rights.has(parent.rights, Rights.GRANT)) {
            return Reason.NEEDS_GRANT;
        }
        if (!isEmpty(s, dst)) {
            return Reason.DESTINATION_OCCUPIED;
        }
        if (offset < 0) {
            return Reason.OFFSET_NEGATIVE;
        }
        return length < 0 || offset > parent.obj.length - length ? Reason.WINDOW_OUTSIDE : Reason.NONE;
    }

    boolean carve(int s, int slot, long offset, long length, int rights, int dst) {
        if (carveRefusal(s, slot, offset, length, rights, dst) != Reason.NONE) {
            return false;
        }
        Cap parent = slots[s][slot];
        Cap child = new Cap(made(parent.obj.memory, parent.obj.offset + offset, length, true), rights & parent.rights, parent);
        parent.children.add(child);
        place(s, dst, child);
        return true;
    }

    boolean copy(int s, int src, int dst, int rights) {
        if (!isRegion(s, src) || !isEmpty(s, dst)) {
            return false;
        }
        derive(slots[s][src], s, dst, rights);
        return true;
    }

    private void derive(Cap from, int s, int dst, int rights) {
        Cap child = new Cap(from.obj, rights & from.rights, from);
        from.children.add(child);
        place(s, dst, child);
    }

    boolean move(int s, int src, int dst) {
        if (!isRegion(s, src) || !isEmpty(s, dst)) {
            return false;
        }
        moveCap(s, src, s, dst, slots[s][src].rights);
        return true;
    }

    boolean mutate(int s, int src, int dst, int rights) {
        if (!isRegion(s, src) || !isEmpty(s, dst)) {
            return false;
        }
        Cap c = slots[s][src];
        if (!c.children.isEmpty() && (c.rights & ~rights) != 0) {
            return false;
        }
        moveCap(s, src, s, dst, rights & c.rights);
        return true;
    }

    /** The capability leaves (space, slot) for (toSpace, dst), keeping its place; its mapping ends. */
    private void moveCap(int s, int src, int toSpace, int dst, int rights) {
        endMapping(s, src);
        Cap c = slots[s][src];
        slots[s][src] = null;
        c.rights = rights;
        slots[toSpace][dst] = c;
    }

    boolean delete(int s, int slot) {
        if (isRegion(s, slot)) {
            delete(slots[s][slot]);
        }
        return true;
    }

    boolean revoke(int s, int slot) {
        if (isRegion(s, slot)) {
            Cap c = slots[s][slot];
            while (!c.children.isEmpty()) {
                revokeAll(c.children.getFirst());
            }
        }
        return true;
    }

    private void revokeAll(Cap c) {
        while (!c.children.isEmpty()) {
            revokeAll(c.children.getFirst());
        }
        delete(c);
    }

    /** Delete: the mapping through it ends; its children go to its parent; the object may go. */
    private void delete(Cap c) {
        int[] at = where(c);
        endMapping(at[0], at[1]);
        slots[at[0]][at[1]] = null;
        if (c.parent != null) {
            c.parent.children.remove(c);
        }
        for (Cap child : c.children) {
            child.parent = c.parent;
            if (c.parent != null) {
                c.parent.children.add(child);
            }
        }
        c.children.clear();
        if (--c.obj.caps == 0) {
            spans[c.obj.memory]--;
        }
    }

    /** The (space, slot) of a capability that is in one. */
    int[] where(Cap c) {
        for (int s = 0; s < slots.length; s++) {
            for (int i = 0; i < slots[s].length; i++) {
                if (slots[s][i] == c) {
                    return new int[] {s, i};
                }
            }
        }
        throw new IllegalStateException("a capability in no slot");
    }

    /**
     * A transfer of the capability in (s, src) to space {@code to}'s receive slot {@code dst}: whether
     * the send succeeds, and {@code arrived[0]} how many capabilities arrived (0 or 1).
     */
    boolean transfer(int s, int to, int src, int dst, boolean moveIt, int[] arrived) {
        arrived[0] = 0;
        if (!isRegion(s, src)) {
            return false;
        }
        if (!isEmpty(to, dst)) {
            return true; // sent, but nothing placed: the capability stays
        }
        arrived[0] = 1;
        if (moveIt) {
            moveCap(s, src, to, dst, slots[s][src].rights);
        } else {
            derive(slots[s][src], to, dst, slots[s][src].rights);
        }
        return true;
    }

    /** A write through a live writable view: the byte lands in its memory. */
    void touch(View v, long offset, byte value) {
        memory[v.obj.memory][(int) (v.obj.offset + offset)] = value;
    }

    /** The byte a live view shows at {@code offset}. */
    byte read(View v, long offset) {
        return memory[v.obj.memory][(int) (v.obj.offset + offset)];
    }
}
