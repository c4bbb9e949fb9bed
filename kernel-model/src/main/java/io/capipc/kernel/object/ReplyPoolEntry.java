package io.capipc.kernel.object;

import org.jspecify.annotations.Nullable;

import io.capipc.api.Handles;
import io.capipc.api.SystemMessage;
import io.capipc.cap.KernelObject;
import io.capipc.api.ObjectType;

/**
 * One entry of a Space's reply pool (docs/semantics.md §5.2): what a reply capability names. Suspend takes
 * a free entry, puts its capability in a free slot and moves the current context into it; the
 * handle Suspend returns is that slot and the entry's generation, which advances with every use, so
 * a handle kept too long names nothing (Hubris's generation numbers; QNX's rcvid-reuse hazard).
 *
 * <p>States: <em>free</em> (in the pool's free list, no slot); <em>holding</em> a suspended context;
 * <em>gone</em>: its capability is still in its slot but the caller gave up or died, so the handle
 * answers CANCELLED until it is consumed. The entry returns to the pool when its capability is
 * deleted (by a consuming syscall or by Delete) and its CALLER_CANCELLED notice is not queued.
 */
public final class ReplyPoolEntry extends KernelObject implements Notice.Owner {
    private final Space space;
    private final Notice cancelled = new Notice(SystemMessage.CALLER_CANCELLED, this);
    private @Nullable CallerContext context;
    private long generation;
    private int slot = -1;
    @Nullable ReplyPoolEntry nextFree;

    ReplyPoolEntry(int id, Space space) {
        super(id);
        this.space = space;
    }

    @Override
    public ObjectType type() {
        return ObjectType.REPLY_POOL_ENTRY;
    }

    /** The Space whose pool this entry belongs to. */
    public Space space() {
        return space;
    }

    /** The suspended context, or null (free, gone, or being consumed). */
    public @Nullable CallerContext context() {
        return context;
    }

    /** The slot holding this entry's capability; -1 when it has none. */
    public int slot() {
        return slot;
    }

    /** The handle naming this entry now (layout: {@link Handles}); never the handle of an earlier use. */
    public long handle() {
        return Handles.of(space.slotBits(), generation, slot);
    }

    /** True if {@code handle} names this entry as it is now, not an earlier use of it. */
    public boolean isNamedBy(long handle) {
        return slot >= 0 && handle == handle();
    }

    /** The CALLER_CANCELLED notice about this entry's context. */
    public Notice cancelledNotice() {
        return cancelled;
    }

    /** Kernel: a Suspend takes this free entry, whose capability goes into {@code slot}. */
    void take(int slot, long generation) {
        this.slot = slot;
        this.generation = generation;
    }

    /** Kernel: set by {@link CallerContext#suspend} and cleared when the context leaves. */
    void hold(CallerContext context) {
        this.context = context;
    }

    /** Kernel: the capability was deleted; the entry goes back to the pool unless its notice is queued. */
    public void capabilityGone() {
        slot = -1;
        if (!cancelled.isQueued()) {
            space.release(this);
        }
    }

    @Override
    public void noticeDone(Notice notice) {
        if (slot < 0) {
            space.release(this);
        }
    }

    @Override
    public String toString() {
        return "reply#" + id();
    }
}
