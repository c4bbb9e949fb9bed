package io.capipc.kernel.object;

import org.jspecify.annotations.Nullable;

import io.capipc.api.Handles;
import io.capipc.cap.CSpace;
import java.util.Arrays;
import java.util.List;

/**
 * A protection domain (docs/semantics.md §1): a capability space of a fixed number of slots and a reply
 * pool of a fixed number of entries, both created with it and shared by the tasks that run in it.
 *
 * <p>The pool's free entries form an intrusive list, so Suspend takes one and a consumed handle
 * returns one without allocating. The Space also counts its tasks that are not DEAD: suspended
 * contexts belong to the Space, and when its last task dies their callers get PEER_DIED.
 */
public final class Space {
    private final int id;
    private final String name;
    private final CSpace cspace;
    private final ReplyPoolEntry[] pool;
    /** The region mapped through each slot, or null (docs/semantics.md §12.1). */
    private final @Nullable Mapping[] mappings;
    private @Nullable ReplyPoolEntry free;
    /** Bits of a handle that hold the slot; the generation fills the rest (see {@link ReplyPoolEntry#handle()}). */
    private final int slotBits;
    /** The last generation a Suspend here used; each takes the next, and none is ever used twice. */
    private long generation;
    private int liveTasks;

    /**
     * @param firstEntryId the object id of the first reply-pool entry; the others follow it
     */
    public Space(int id, String name, int slots, int replyPool, int firstEntryId) {
        this.id = id;
        this.name = name;
        this.cspace = new CSpace(id, slots);
        this.mappings = new Mapping[slots];
        this.slotBits = Handles.width(slots);
        this.pool = new ReplyPoolEntry[replyPool];
        for (int i = replyPool - 1; i >= 0; i--) {
            pool[i] = new ReplyPoolEntry(firstEntryId + i, this);
            pool[i].nextFree = free;
            free = pool[i];
        }
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

    /** Every entry of the reply pool, free or not. */
    public List<ReplyPoolEntry> replyPool() {
        return Arrays.asList(pool);
    }

    /** Entry {@code i} of the reply pool, free or not; 0 <= i < {@link #replyPoolSize()}. */
    public ReplyPoolEntry entry(int i) {
        return pool[i];
    }

    /** The number of entries of the reply pool. */
    public int replyPoolSize() {
        return pool.length;
    }

    /** True if the reply pool has a free entry. */
    public boolean hasFreeEntry() {
        return free != null;
    }

    /**
     * True if a generation is left for the next Suspend. Generations never wrap (docs/semantics.md §7): a
     * space that has used its last one refuses Suspend with NO_SPACE rather than reuse one (the handle
     * layout is {@link Handles}').
     */
    public boolean hasGeneration() {
        return generation < maxGeneration();
    }

    /** Bits of a handle that hold the slot: enough for every slot of this space. */
    public int slotBits() {
        return slotBits;
    }

    /** The largest generation a handle of this space can carry. */
    public long maxGeneration() {
        return Handles.maxGeneration(slotBits);
    }

    /**
     * Kernel: takes a free entry (the caller checked {@link #hasFreeEntry} and {@link #hasGeneration})
     * for a capability in {@code slot}, with the next generation.
     */
    public ReplyPoolEntry takeEntry(int slot) {
        ReplyPoolEntry e = free;
        free = e.nextFree;
        e.nextFree = null;
        e.take(slot, ++generation);
        return e;
    }

    /** Tests only: makes the next Suspend use generation {@code last + 1}, to test the end without 2^57 Suspends. */
    void lastGeneration(long last) {
        generation = last;
    }

    /** Kernel: {@code e} is free again. */
    void release(ReplyPoolEntry e) {
        e.nextFree = free;
        free = e;
    }

    /** The number of free entries; for views and invariants. */
    public int freeEntries() {
        int n = 0;
        for (ReplyPoolEntry e = free; e != null; e = e.nextFree) {
            n++;
        }
        return n;
    }

    /** The mapping made through slot {@code slot}, or null. */
    public @Nullable Mapping mapping(int slot) {
        return mappings[slot];
    }

    /** Kernel: {@code m} was made through slot {@code slot}, which had none. */
    public void mapped(int slot, Mapping m) {
        mappings[slot] = m;
    }

    /** Kernel: ends the mapping made through {@code slot}, if any; true if there was one. */
    public boolean unmap(int slot) {
        Mapping m = mappings[slot];
        if (m == null) {
            return false;
        }
        mappings[slot] = null;
        m.end();
        return true;
    }

    /** Tasks of this Space that are not DEAD. */
    public int liveTasks() {
        return liveTasks;
    }

    /** Kernel: a task was created in this Space. */
    void taskCreated() {
        liveTasks++;
    }

    /** Kernel: a task of this Space died; true if it was the last. */
    boolean taskDied() {
        return --liveTasks == 0;
    }

    @Override
    public String toString() {
        return name + "#" + id;
    }
}
