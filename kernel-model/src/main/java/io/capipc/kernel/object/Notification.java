package io.capipc.kernel.object;

import org.jspecify.annotations.Nullable;

import io.capipc.cap.KernelObject;
import io.capipc.api.ObjectType;

/**
 * A notification: a 64-bit word, a pending flag and a FIFO of waiters; it may be bound to one task
 * (docs/semantics.md §1 and §5.4; seL4's notification).
 *
 * <p>Signal ORs the badge of the capability used into the word and sets pending, even for badge 0.
 * Taking it (by Wait, Poll, or Recv of the bound task) returns the word and clears both. Invariants:
 * waiters are queued only while nothing is pending; every waiter is BLOCKED_ON_NOTIFICATION on this
 * object; a bound task names this notification as its bound one, and no other task waits on it.
 */
public final class Notification extends KernelObject {
    private final TaskQueue waiters = new TaskQueue();
    private long word;
    private boolean pending;
    private @Nullable Task bound;

    public Notification(int id) {
        super(id);
    }

    @Override
    public ObjectType type() {
        return ObjectType.NOTIFICATION;
    }

    public long word() {
        return word;
    }

    public boolean isPending() {
        return pending;
    }

    /** The task bound to it, or null. */
    public @Nullable Task bound() {
        return bound;
    }

    /** The oldest waiter, or null. */
    public @Nullable Task firstWaiter() {
        return waiters.head();
    }

    /** Kernel: Signal with {@code badge}. */
    public void signal(long badge) {
        word |= badge;
        pending = true;
    }

    /** Kernel: takes the word, clearing it and the pending flag. */
    public long take() {
        long w = word;
        word = 0;
        pending = false;
        return w;
    }

    /** Kernel: {@code t}, already BLOCKED_ON_NOTIFICATION on this, waits last. */
    public void enqueue(Task t) {
        if (t.blockedOn() != this) {
            throw new AssertionError(t + " waits on " + this + " while blocked on " + t.blockedOn());
        }
        waiters.add(t);
    }

    /** Kernel: {@code t} stops waiting. */
    public void remove(Task t) {
        waiters.remove(t);
    }

    /** Kernel: binds {@code t}; both were unbound. */
    public void bind(Task t) {
        bound = t;
        t.boundTo(this);
    }

    /** Kernel: the binding ends. */
    public void unbind() {
        bound.boundTo(null);
        bound = null;
    }

    @Override
    public String toString() {
        return "notification#" + id();
    }
}
