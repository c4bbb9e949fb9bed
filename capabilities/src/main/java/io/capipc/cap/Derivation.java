package io.capipc.cap;

import org.jspecify.annotations.Nullable;

/**
 * The derivation tree (docs/semantics.md §2): every capability derived from another is its child, in one
 * tree spanning all spaces. This class is the only code that fills, empties or relinks a slot.
 *
 * <p>These are the <em>invoke</em> halves of the capability operations: they assume the caller has
 * decoded and validated every argument (slots in range, source full, destination empty, rights and
 * badge legal), so they cannot fail and allocate nothing. A violated assumption is a kernel bug and
 * raises {@link AssertionError}.
 */
public final class Derivation {
    private Derivation() {}

    /** Installs an original capability (a root of the tree) in an empty slot; the boot API's path. */
    public static void installOriginal(Slot dst, KernelObject object, int rights, long badge) {
        if (object.destroyed) {
            throw new AssertionError("install of destroyed " + object);
        }
        requireEmpty(dst);
        fill(dst, object, rights, badge);
    }

    /**
     * A capability to a new {@code object} made from {@code parent}'s (a window carved from a
     * region): an original of that object, placed as {@code parent}'s child, so revoking
     * {@code parent} takes it back.
     */
    public static void installChild(Slot parent, Slot dst, KernelObject object, int rights, long badge) {
        KernelObject from = parent.object;
        if (from == null || object.destroyed || !object.isPartOf(from)) {
            throw new AssertionError("install of " + object + " as a child of " + parent);
        }
        requireEmpty(dst);
        fill(dst, object, rights, badge);
        link(parent, dst);
    }

    /** Copy or Mint: {@code dst} becomes a child of {@code src} with the given rights and badge. */
    public static void derive(Slot src, Slot dst, int rights, long badge) {
        KernelObject object = src.object;
        if (object == null) {
            throw new AssertionError("derive from an empty " + src);
        }
        if ((rights & ~src.rights) != 0) {
            throw new AssertionError("derived rights " + rights + " exceed the source's " + src.rights);
        }
        requireEmpty(dst);
        fill(dst, object, rights, badge);
        link(src, dst);
    }

    /**
     * Retype (docs/semantics.md §13): {@code dst} gets the original capability, with {@code rights}, to
     * {@code object}, which was just made from the untyped {@code untyped} names, as its child. The
     * one kind of child that names another object than its parent: so Revoke of the untyped reaches
     * every capability to what was made from it.
     */
    public static void retype(Slot untyped, Slot dst, KernelObject object, int rights) {
        if (untyped.object == null || object.capabilities != 0 || object.destroyed) {
            throw new AssertionError("retype of " + object + " from " + untyped);
        }
        requireEmpty(dst);
        fill(dst, object, rights, 0);
        link(untyped, dst);
    }

    /**
     * Delete: empties the slot; its children become children of its parent, in their order and ahead
     * of the parent's own (see {@link #revoke}), or roots. The listener hears of it first; if this was
     * the object's last capability, the object is destroyed (a pooled object is not marked destroyed:
     * the listener returns it to its pool).
     *
     * <p>What the listener does may delete more (a queued async message's capabilities in flight, an
     * async port and its own capabilities, everything made through an untyped), and that cascade may
     * come back to this slot, directly or by a Revoke of one of its ancestors. Such a nested Delete
     * of a leaf only takes it out of the tree, as this one would, so that a Revoke walking it moves
     * on; of a slot with children it does nothing (the listener may be revoking them: an untyped's
     * capability goes only after everything made through it, docs/semantics.md §13). This one then
     * finishes: the slot empties once and its object loses one capability.
     */
    public static void delete(Slot slot, CapabilityListener listener) {
        KernelObject object = slot.object;
        if (object == null) {
            return;
        }
        if (slot.dying) {
            if (slot.firstChild == null) {
                detach(slot);
            }
            return;
        }
        slot.dying = true;
        listener.deleting(slot);
        slot.dying = false;
        detach(slot);
        slot.object = null;
        slot.rights = 0;
        slot.badge = 0;
        if (--object.capabilities == 0) {
            object.destroyed = !object.type().isPooled();
            listener.destroyed(object);
        }
    }

    /**
     * Revoke: deletes every descendant of {@code slot}, leaves-first, and keeps {@code slot} itself.
     * Needs no stack and allocates nothing: it walks down first children to a leaf and deletes it,
     * until {@code slot} has no children.
     *
     * <p>The order is observable (each deletion may post a system message), so it is defined: a
     * capability's children are ordered newest first (a derived capability goes in front; children
     * handed up by a Delete go in front, in the order they had), and Revoke deletes, again and again,
     * the leaf reached by following first children.
     */
    public static void revoke(Slot slot, CapabilityListener listener) {
        for (Slot leaf = slot.firstChild; leaf != null; leaf = slot.firstChild) {
            for (Slot c = leaf.firstChild; c != null; c = c.firstChild) {
                leaf = c;
            }
            delete(leaf, listener);
        }
    }

    /**
     * Move: the capability in {@code src} goes to the empty {@code dst}, keeping its place in the
     * tree; Mutate is Move with {@code rights} (a subset) and {@code badge} applied on the way.
     */
    public static void move(Slot src, Slot dst, int rights, long badge, CapabilityListener listener) {
        if (src.isEmpty() || (rights & ~src.rights) != 0) {
            throw new AssertionError("move from " + src + " with rights " + rights);
        }
        requireEmpty(dst);
        dst.object = src.object;
        dst.rights = rights;
        dst.badge = badge;
        dst.parent = src.parent;
        dst.prevSibling = src.prevSibling;
        dst.nextSibling = src.nextSibling;
        Slot prev = src.prevSibling;
        Slot next = src.nextSibling;
        Slot parent = src.parent;
        if (prev != null) {
            prev.nextSibling = dst;
        } else if (parent != null) {
            parent.firstChild = dst;
        }
        if (next != null) {
            next.prevSibling = dst;
        }
        dst.firstChild = src.firstChild;
        for (Slot c = dst.firstChild; c != null; c = c.nextSibling) {
            c.parent = dst;
        }
        src.object = null;
        src.rights = 0;
        src.badge = 0;
        src.parent = null;
        src.prevSibling = null;
        src.nextSibling = null;
        src.firstChild = null;
        listener.moved(src, dst);
    }

    /** {@code slot} leaves the tree: its children become its parent's (or roots). */
    private static void detach(Slot slot) {
        Slot newParent = slot.parent;
        unlink(slot);
        adoptChildren(slot, newParent);
        slot.firstChild = null;
    }

    /**
     * The children of {@code slot}, which is going, become children of {@code newParent}, spliced in
     * front of its own in the order they have; or roots if it is null.
     */
    private static void adoptChildren(Slot slot, @Nullable Slot newParent) {
        Slot first = slot.firstChild;
        if (first == null) {
            return;
        }
        Slot last = first;
        for (Slot c = first; c != null; c = c.nextSibling) {
            c.parent = newParent;
            last = c;
        }
        if (newParent == null) {
            for (Slot c = first; c != null; ) {
                Slot next = c.nextSibling;
                c.prevSibling = null;
                c.nextSibling = null;
                c = next;
            }
            return;
        }
        Slot older = newParent.firstChild;
        last.nextSibling = older;
        if (older != null) {
            older.prevSibling = last;
        }
        newParent.firstChild = first;
    }

    private static void fill(Slot dst, KernelObject object, int rights, long badge) {
        object.capabilities++;
        dst.object = object;
        dst.rights = rights;
        dst.badge = badge;
    }

    private static void requireEmpty(Slot dst) {
        if (!dst.isEmpty()) {
            throw new AssertionError("install into an occupied " + dst);
        }
    }

    /** Makes {@code child} the first child of {@code parent}: O(1), so Delete stays linear. */
    private static void link(Slot parent, Slot child) {
        child.parent = parent;
        Slot older = parent.firstChild;
        child.nextSibling = older;
        if (older != null) {
            older.prevSibling = child;
        }
        parent.firstChild = child;
    }

    private static void unlink(Slot slot) {
        Slot prev = slot.prevSibling;
        Slot next = slot.nextSibling;
        Slot parent = slot.parent;
        if (prev != null) {
            prev.nextSibling = next;
        } else if (parent != null) {
            parent.firstChild = next;
        }
        if (next != null) {
            next.prevSibling = prev;
        }
        slot.parent = null;
        slot.prevSibling = null;
        slot.nextSibling = null;
    }
}
