package io.capipc.cap;

import io.capipc.api.ObjectType;
/**
 * Anything a capability can name. The capabilities module knows objects only through this, so that
 * it does not depend on the kernel model that subclasses it.
 *
 * <p>Each object counts the capabilities that name it, kept by {@link Derivation} as it fills and
 * empties slots. When the count returns to zero the object is destroyed (docs/semantics.md §2): it stays
 * destroyed, and no capability can name it again.
 */
public abstract class KernelObject {
    private final int id;
    int capabilities;
    boolean destroyed;

    protected KernelObject(int id) {
        this.id = id;
    }

    /** The object's type, fixed at creation. */
    public abstract ObjectType type();

    /** A kernel-wide number, unique among objects, for views and traces. */
    public final int id() {
        return id;
    }

    /** How many slots name this object now. */
    public final int capabilityCount() {
        return capabilities;
    }

    /** True once the last capability to it was deleted. */
    public final boolean isDestroyed() {
        return destroyed;
    }

    /**
     * True if a capability to this object may be a child of one to {@code parent} in the derivation
     * tree: itself (a copy), or, for objects made from another (a window of a region), that one.
     */
    public boolean isPartOf(KernelObject parent) {
        return parent == this;
    }
}
