package io.capipc.api;

/** The types of kernel object a capability can name (docs/semantics.md §1); views and traces report them. */
public enum ObjectType {
    /** A synchronous rendezvous point. */
    ENDPOINT,
    /** A signal word with waiters. */
    NOTIFICATION,
    /**
     * An entry of a Space's reply pool, named by the reply capability Suspend creates. Pooled: when
     * its capability goes, it returns to its pool instead of being destroyed. Reply capabilities are
     * never copied, minted, moved or transferred, so each has exactly one slot and no tree links.
     */
    REPLY_POOL_ENTRY,
    /**
     * A client's queue space bound to an endpoint (Bind, docs/semantics.md §5.5): messages sent
     * through it with AsyncSend and AsyncCall wait in it, never blocking the sender.
     */
    ASYNC_PORT,
    /**
     * Memory of a fixed size, or a window of it (docs/semantics.md §12.1): Map makes it visible to
     * the Space as a view of exactly the capability's bytes; Carve makes a window.
     */
    REGION;

    /** True for objects that are reused from a fixed pool rather than destroyed with their last capability. */
    public boolean isPooled() {
        return this == REPLY_POOL_ENTRY;
    }
}
