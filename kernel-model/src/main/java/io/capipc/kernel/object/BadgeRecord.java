package io.capipc.kernel.object;

import org.jspecify.annotations.Nullable;

import io.capipc.api.SystemMessage;

/**
 * One badge of an endpoint, counted (docs/semantics.md §6, BADGE_DISCONNECTED; Mach's no-senders, QNX's
 * disconnect pulse): how many slots hold a capability to the endpoint with this non-zero badge.
 * Capabilities in flight count too, since a message's capabilities stay in the sender's slots until
 * it is delivered.
 *
 * <p>States: <em>free</em>; <em>live</em> ({@code caps > 0}); <em>disconnected</em> (its count fell
 * to zero and its BADGE_DISCONNECTED notice is queued on the endpoint). A record is made when a badge
 * is first counted and none is free (a Mint or Mutate: {@link BadgeTable}), with its notice, so the
 * message costs nothing when sent and is never lost. A disconnected record is free again once its
 * notice is received or dropped; its owner, the endpoint's table, then takes it back.
 */
public final class BadgeRecord implements Notice.Owner {
    private final BadgeTable table;
    private final Notice disconnected = new Notice(SystemMessage.BADGE_DISCONNECTED, this);
    private long badge;
    private int caps;
    /** The table's free list, linked through the records: freeing one allocates nothing. */
    @Nullable BadgeRecord nextFree;
    boolean onFreeList;

    BadgeRecord(BadgeTable table) {
        this.table = table;
    }

    @Override
    public void noticeDone(Notice notice) {
        table.release(this);
    }

    /** The badge counted; meaningful unless free. */
    public long badge() {
        return badge;
    }

    /** Slots holding a capability with this badge. */
    public int caps() {
        return caps;
    }

    /** True if neither counting nor waiting to be received. */
    public boolean isFree() {
        return caps == 0 && !disconnected.isQueued();
    }

    /** The BADGE_DISCONNECTED notice about this badge. */
    public Notice disconnectedNotice() {
        return disconnected;
    }

    /** Kernel: one more capability with {@code badge}; a free record starts counting it. */
    void count(long badge) {
        this.badge = badge;
        caps++;
    }

    /** Kernel: one capability fewer; true if that was the last. */
    boolean uncount() {
        return --caps == 0;
    }
}
