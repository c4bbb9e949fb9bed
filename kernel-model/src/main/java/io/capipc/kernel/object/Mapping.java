package io.capipc.kernel.object;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A region mapped into a Space through one of its slots (docs/semantics.md §12.1): the view Map
 * returned, in a shared arena of its own. {@link #end()} closes the arena: from then on every view
 * refuses access, in every thread (the JDK waits for threads in the middle of an access), which is
 * capipc's page fault.
 */
public final class Mapping {
    private final Region region;
    private final Arena arena;
    private final MemorySegment view;
    private final boolean writable;

    Mapping(Region region, Arena arena, MemorySegment view, boolean writable) {
        this.region = region;
        this.arena = arena;
        this.view = view;
        this.writable = writable;
    }

    public Region region() {
        return region;
    }

    /** The view: exactly the region's bytes, read-only unless {@link #writable()}. */
    public MemorySegment view() {
        return view;
    }

    public boolean writable() {
        return writable;
    }

    /** Kernel: the mapping ends; its views refuse access from now on. */
    void end() {
        arena.close();
    }
}
