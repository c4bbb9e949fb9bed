package io.capipc.kernel.object;

import org.jspecify.annotations.Nullable;

import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import java.util.Arrays;
import java.util.List;

/**
 * A client's queue space bound to an endpoint (docs/semantics.md §5.5): Bind makes it, with every
 * entry it will ever use, so AsyncSend and AsyncCall allocate nothing and never block: a full port
 * answers WOULD_BLOCK.
 *
 * <p>Its own space holds, in {@link #ENDPOINT_SLOT}, a child of the client's capability to the
 * endpoint (so the port's messages carry that capability's badge, and revoking the client's
 * capability, or destroying the endpoint, takes it away), in {@link #REPLY_SLOT} a child of the
 * client's capability to the reply endpoint, and then {@link #SLOTS_PER_ENTRY} slots per entry for
 * the capabilities of its message in flight.
 *
 * <p>States: live, or revoked (its endpoint capability went, or a queued message was dropped): a
 * revoked port takes no more messages, so what it lost is always the end of what was sent
 * (docs/semantics.md guarantee 7). {@link #lost()} counts the messages dropped.
 */
public final class AsyncPort extends KernelObject {
    /** The port's capability to the endpoint it sends to. */
    public static final int ENDPOINT_SLOT = 0;
    /** The port's capability to the endpoint AsyncCall replies arrive on. */
    public static final int REPLY_SLOT = 1;
    /** The first slot for capabilities in flight. */
    public static final int FIRST_IN_FLIGHT = 2;
    /** Slots per entry for capabilities in flight: as many as one message carries. */
    public static final int SLOTS_PER_ENTRY = MessageInfo.MAX_CAPS;

    private final Space space;
    private final Courier[] entries;
    private @Nullable Courier free;
    private long lastTag;
    private long lost;
    private boolean revoked;

    /**
     * A port of {@code capacity} entries; {@code space} has {@link #slotsFor(int)} slots and the
     * carriers are made by the caller (one per entry, in {@code space}).
     */
    public AsyncPort(int id, Space space, Task[] carriers) {
        super(id);
        this.space = space;
        this.entries = new Courier[carriers.length];
        for (int i = carriers.length - 1; i >= 0; i--) {
            entries[i] = new Courier(this, i, carriers[i]);
            entries[i].nextFree = free;
            free = entries[i];
        }
    }

    /** Slots a port of {@code capacity} entries needs in its space. */
    public static int slotsFor(int capacity) {
        return FIRST_IN_FLIGHT + capacity * SLOTS_PER_ENTRY;
    }

    @Override
    public ObjectType type() {
        return ObjectType.ASYNC_PORT;
    }

    /** The port's own space: its endpoint capabilities and the capabilities in flight. */
    public Space space() {
        return space;
    }

    /** The port's capability to its endpoint; empty once revoked. */
    public Slot endpointSlot() {
        return space.cspace().slot(ENDPOINT_SLOT);
    }

    /** The port's capability to its reply endpoint; empty once the client's went. */
    public Slot replySlot() {
        return space.cspace().slot(REPLY_SLOT);
    }

    /** Every entry, in index order; for views and invariants. */
    public List<Courier> entries() {
        return Arrays.asList(entries);
    }

    public int capacity() {
        return entries.length;
    }

    /** True if an entry is free. */
    public boolean hasFree() {
        return free != null;
    }

    /** Kernel: takes a free entry (the caller checked {@link #hasFree}). */
    public Courier take() {
        Courier c = free;
        free = c.nextFree;
        c.nextFree = null;
        return c;
    }

    /** Kernel: {@code c} is free again. */
    public void release(Courier c) {
        c.phase(Courier.Phase.FREE);
        c.tag(0);
        c.reset();
        c.nextFree = free;
        free = c;
    }

    /** Kernel: the tag for the next AsyncCall; tags of one port never repeat. */
    public long nextTag() {
        return ++lastTag;
    }

    /** How many messages this port dropped before delivery. */
    public long lost() {
        return lost;
    }

    /** True once the port takes no more messages. */
    public boolean isRevoked() {
        return revoked;
    }

    /** Kernel: a queued message was dropped: counted, and the port takes no more. */
    public void dropped() {
        lost++;
        revoked = true;
    }

    /** Kernel: the port's endpoint capability went: it takes no more. */
    public void revoke() {
        revoked = true;
    }

    /**
     * The number of entries on the free list; for views and invariants. A list longer than the port
     * (an entry freed twice makes it a cycle) counts as one more than the port's capacity.
     */
    public int freeEntries() {
        int n = 0;
        for (Courier c = free; c != null && n <= entries.length; c = c.nextFree) {
            n++;
        }
        return n;
    }

    @Override
    public String toString() {
        return "port#" + id();
    }
}
