package io.capipc.kernel.object;

import io.capipc.api.ObjectType;
import io.capipc.cap.KernelObject;
import java.lang.foreign.Arena;

/**
 * A region, or a window of one (docs/semantics.md §12.1): {@code length} bytes from {@code offset}
 * of a {@link RegionMemory}. The boot API makes a region over all of its memory; Carve makes a
 * window, a region object of its own whose capability is a child of the one it was carved from, so
 * revoking that takes the window back. Destroyed with its last capability; the memory is freed with
 * the last region over it.
 */
public final class Region extends KernelObject {
    private final RegionMemory memory;
    private final long offset;
    private final long length;

    public Region(int id, RegionMemory memory, long offset, long length) {
        super(id);
        this.memory = memory;
        this.offset = offset;
        this.length = length;
        memory.spanMade(id);
    }

    @Override
    public ObjectType type() {
        return ObjectType.REGION;
    }

    public RegionMemory memory() {
        return memory;
    }

    /** Where this region's bytes start in its memory. */
    public long offset() {
        return offset;
    }

    /** How many bytes it covers. */
    public long length() {
        return length;
    }

    /** A window is part of the region (or window) whose bytes contain its own. */
    @Override
    public boolean isPartOf(KernelObject parent) {
        return parent == this || (parent instanceof Region p && p.memory == memory && offset >= p.offset
                && offset + length <= p.offset + p.length);
    }

    /** Kernel: a new mapping of these bytes, in an arena of its own. Allocates (Map's view). */
    @SuppressWarnings("MustBeClosedChecker") // the mapping owns the arena; Mapping.end closes it
    public Mapping map(boolean writable) {
        Arena arena = Arena.ofShared();
        return new Mapping(this, arena, memory.map(offset, length, writable, arena), writable);
    }

    /** Kernel: this region or window was destroyed (its last capability went). */
    public void gone() {
        memory.spanGone();
    }

    @Override
    public String toString() {
        return "region#" + id() + "[" + offset + "+" + length + "]";
    }
}
