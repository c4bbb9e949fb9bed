package io.capipc.kernel.object;

import org.jspecify.annotations.Nullable;

/**
 * One entry of an {@link AsyncPort}: a message sent with AsyncSend or AsyncCall, carried by a task of
 * the kernel's own that makes the synchronous send on the client's behalf. So an async message waits
 * in the endpoint's one queue, among the synchronous senders in order of arrival, and everything the
 * kernel does for a queued Send or a taken Call (Revoke, CancelBadgedSends, destruction, Suspend,
 * Forward, a server's death) applies to it unchanged; only the end differs: when the carrier's send
 * completes, the port takes the result instead of a thread waking.
 *
 * <p>Phases: FREE; SENDING (an AsyncSend, queued); CALLING (an AsyncCall, queued, then taken and
 * awaiting its reply); REPLYING (the reply, or an error, queued on the reply endpoint until the
 * client receives it). The carrier's registers hold the message; its capabilities in flight are in
 * the port's slots {@link #firstSlot()} onwards, children of the client's.
 */
public final class Courier {
    /** Where an entry is in its life. */
    public enum Phase { FREE, SENDING, CALLING, REPLYING }

    private final AsyncPort port;
    private final int index;
    private final Task carrier;
    private Phase phase = Phase.FREE;
    private long tag;
    private boolean delivered;
    @Nullable Courier nextFree;

    Courier(AsyncPort port, int index, Task carrier) {
        this.port = port;
        this.index = index;
        this.carrier = carrier;
        carrier.carries(this);
        for (int i = 0; i < AsyncPort.SLOTS_PER_ENTRY; i++) {
            carrier.receiveSlots[i] = firstSlot() + i;
        }
    }

    public AsyncPort port() {
        return port;
    }

    /** This entry's index in its port. */
    public int index() {
        return index;
    }

    /** The kernel's task that makes this entry's send. */
    public Task carrier() {
        return carrier;
    }

    public Phase phase() {
        return phase;
    }

    /** Kernel: the entry moves to {@code next}. */
    public void phase(Phase next) {
        phase = next;
    }

    /** True once this entry's message reached a receiver (a forwarded AsyncCall may queue again). */
    public boolean delivered() {
        return delivered;
    }

    /** Kernel: the message reached a receiver. */
    public void markDelivered() {
        delivered = true;
    }

    void reset() {
        delivered = false;
    }

    /** The tag of this entry's AsyncCall (0 for an AsyncSend). */
    public long tag() {
        return tag;
    }

    /** Kernel: the tag of the AsyncCall this entry now carries. */
    public void tag(long t) {
        tag = t;
    }

    /** The first of this entry's slots for capabilities in flight, in the port's space. */
    public int firstSlot() {
        return AsyncPort.FIRST_IN_FLIGHT + index * AsyncPort.SLOTS_PER_ENTRY;
    }

    @Override
    public String toString() {
        return port + "[" + index + "]";
    }
}
