package io.capipc.cap;

import org.jspecify.annotations.Nullable;

/**
 * One numbered slot of a capability space, and the capability it may hold.
 *
 * <p>As in seL4's CTE, the slot is also the capability's node in the derivation tree: {@code parent},
 * {@code firstChild} and the sibling links are slots. A capability therefore costs no allocation to
 * create, copy or delete; the tree is rewired in place.
 *
 * <p>States: empty ({@code object == null}, no links) or full. Invariants: a full slot's rights are a
 * subset of its parent's and its object the same; a child's sibling list is doubly linked; an empty
 * slot is in no tree. Only {@link Derivation} changes a slot.
 */
public final class Slot {
    private final CSpace owner;
    private final int index;

    @Nullable KernelObject object;
    int rights;
    long badge;

    @Nullable Slot parent;
    @Nullable Slot firstChild;
    @Nullable Slot prevSibling;
    @Nullable Slot nextSibling;
    /** While the listener hears of this slot's deletion (see {@link Derivation#delete}). */
    boolean dying;

    Slot(CSpace owner, int index) {
        this.owner = owner;
        this.index = index;
    }

    /** The space this slot belongs to. */
    public CSpace owner() {
        return owner;
    }

    /** This slot's index in its space. */
    public int index() {
        return index;
    }

    /** True if the slot holds no capability. */
    public boolean isEmpty() {
        return object == null;
    }

    /** The object named, or null when empty. */
    public @Nullable KernelObject object() {
        return object;
    }

    /** The rights mask (see io.capipc.api.Rights); 0 when empty. */
    public int rights() {
        return rights;
    }

    /** The badge; 0 when unbadged or empty. */
    public long badge() {
        return badge;
    }

    /** The capability this one was derived from, or null for an original or an empty slot. */
    public @Nullable Slot parent() {
        return parent;
    }

    /** The first child in the derivation tree, or null. */
    public @Nullable Slot firstChild() {
        return firstChild;
    }

    /** The next child of the same parent, or null. */
    public @Nullable Slot nextSibling() {
        return nextSibling;
    }

    @Override
    public String toString() {
        return "slot " + owner.id() + ":" + index;
    }
}
