package io.capipc.kernel.object;

import org.jspecify.annotations.Nullable;

import io.capipc.api.SystemMessage;

/**
 * A system message (docs/semantics.md §6), preallocated inside the object it is about, so that posting one
 * allocates nothing and none is ever lost for want of memory: a task's TASK_FAULTED notice (a task
 * faults once), a reply-pool entry's CALLER_CANCELLED notice (the entry is not reused while its notice
 * waits), an endpoint's badge record's BADGE_DISCONNECTED notice (likewise).
 *
 * <p>States: idle, or queued on one endpoint's notice queue (intrusive, FIFO). When it leaves the
 * queue, received or dropped with its endpoint, its {@link Owner} hears of it and may reuse what it
 * belongs to.
 */
public final class Notice {
    /** What a notice belongs to; told when the notice is no longer queued. */
    public interface Owner {
        void noticeDone(Notice notice);
    }

    private final SystemMessage kind;
    private final Owner owner;
    private long badge;
    private long word;
    private @Nullable Endpoint queuedOn;
    @Nullable Notice next;
    @Nullable Notice prev;

    public Notice(SystemMessage kind, Owner owner) {
        this.kind = kind;
        this.owner = owner;
    }

    public SystemMessage kind() {
        return kind;
    }

    public Owner owner() {
        return owner;
    }

    /** The badge concerned. */
    public long badge() {
        return badge;
    }

    /** MR0 of the message. */
    public long word() {
        return word;
    }

    /** The endpoint whose queue holds this notice, or null. */
    public @Nullable Endpoint queuedOn() {
        return queuedOn;
    }

    /** True while queued. */
    public boolean isQueued() {
        return queuedOn != null;
    }

    /** Kernel: fills in the message before it is posted. */
    public void fill(long badge, long word) {
        this.badge = badge;
        this.word = word;
    }

    void queuedOn(Endpoint ep) {
        queuedOn = ep;
    }
}
