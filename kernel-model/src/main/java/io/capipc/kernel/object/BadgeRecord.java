package io.capipc.kernel.object;

import io.capipc.api.SystemMessage;

/**
 * One badge of an endpoint, counted (docs/semantics.md §6, BADGE_DISCONNECTED; Mach's no-senders, QNX's
 * disconnect pulse): how many slots hold a capability to the endpoint with this non-zero badge.
 * Capabilities in flight count too, since a message's capabilities stay in the sender's slots until
 * it is delivered.
 *
 * <p>States: <em>free</em>; <em>live</em> ({@code caps > 0}); <em>disconnected</em> (its count fell
 * to zero and its BADGE_DISCONNECTED notice is queued on the endpoint). A record is preallocated with
 * its endpoint and its notice with it, so the message costs nothing and is never lost; the price is
 * that an endpoint tracks a fixed number of badges at once, and a Mint of one more gets NO_SPACE.
 * A disconnected record is free again once its notice is received or dropped.
 */
public final class BadgeRecord {
    /** Needs no owner: once received or dropped, {@link #isFree} holds by itself if the count is 0. */
    private final Notice disconnected = new Notice(SystemMessage.BADGE_DISCONNECTED, null);
    private long badge;
    private int caps;

    BadgeRecord() {}

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
