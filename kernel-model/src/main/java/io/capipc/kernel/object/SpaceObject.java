package io.capipc.kernel.object;

import io.capipc.api.ObjectType;
import io.capipc.cap.KernelObject;

/**
 * What a Space capability names: a Space made by Retype (docs/semantics.md §13). No syscall acts on
 * it yet; it is the budget's way of holding capability slots. When its last capability goes, every
 * capability in its slots is deleted (as Delete does, with every consequence), and its charge comes
 * back to its untyped. Tasks run only in Spaces the boot API made, so none runs in one of these.
 */
public final class SpaceObject extends KernelObject {
    private final Space space;

    public SpaceObject(int id, Space space) {
        super(id);
        this.space = space;
    }

    @Override
    public ObjectType type() {
        return ObjectType.SPACE;
    }

    /** The Space. */
    public Space space() {
        return space;
    }

    @Override
    public String toString() {
        return "space-cap#" + id() + "(" + space + ")";
    }
}
