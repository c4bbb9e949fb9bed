package io.capipc.kernel.object;

import io.capipc.cap.CSpace;

/**
 * A protection domain (SPEC section 1): a capability space of a fixed number of slots, shared by the
 * tasks that run in it. The reply pool for suspended contexts and mapped regions come later; their
 * sizes will be fixed here, at creation, like the slot count.
 */
public final class Space {
    private final int id;
    private final String name;
    private final CSpace cspace;

    public Space(int id, String name, int slots) {
        this.id = id;
        this.name = name;
        this.cspace = new CSpace(id, slots);
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** The capability space. */
    public CSpace cspace() {
        return cspace;
    }

    @Override
    public String toString() {
        return name + "#" + id;
    }
}
