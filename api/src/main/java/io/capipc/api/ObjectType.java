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
    REGION,
    /**
     * A budget of bytes from which Retype makes objects at run time (docs/semantics.md §13); every
     * object made from it is charged its size and is its child in the derivation tree.
     */
    UNTYPED,
    /** A protection domain made by Retype: a capability space and a reply pool (docs/semantics.md §13). */
    SPACE,
    /**
     * A task, named by a Task capability (seL4's TCB capability): TaskInfo, Kill and Restart act on
     * it. Only the boot API makes tasks; a task outlives its capabilities.
     */
    TASK;

    /**
     * True for objects that outlive their last capability rather than being destroyed with it: a
     * reply-pool entry returns to its pool, and a task runs on without anyone holding its capability.
     */
    public boolean isPooled() {
        return this == REPLY_POOL_ENTRY || this == TASK;
    }
}
