package io.capipc.cap;

/**
 * A capability space: a fixed number of numbered {@link Slot}s, all created with the space so that no
 * capability operation allocates. A task names capabilities only by index here, so it cannot forge
 * one (docs/semantics.md guarantee 1).
 */
public final class CSpace {
    private final int id;
    private final Slot[] slots;

    /**
     * @param id a kernel-wide number for views
     * @param size the number of slots, 1 or more
     */
    public CSpace(int id, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a capability space needs at least 1 slot, was " + size);
        }
        this.id = id;
        this.slots = new Slot[size];
        for (int i = 0; i < size; i++) {
            slots[i] = new Slot(this, i);
        }
    }

    /** The kernel-wide number of this space. */
    public int id() {
        return id;
    }

    /** The number of slots. */
    public int size() {
        return slots.length;
    }

    /** True if {@code index} names a slot of this space. */
    public boolean inRange(long index) {
        return index >= 0 && index < slots.length;
    }

    /** The slot at {@code index}, which the caller has checked with {@link #inRange}. */
    public Slot slot(int index) {
        return slots[index];
    }
}
