package io.capipc.kernel.object;

import io.capipc.cap.KernelObject;
import io.capipc.cap.ObjectType;

/**
 * A synchronous rendezvous point (SPEC section 1; seL4's endpoint).
 *
 * <p>States: {@link Queue#IDLE} (nobody waits), {@link Queue#SENDERS} (tasks blocked in Send or Call,
 * oldest first) or {@link Queue#RECEIVERS} (tasks blocked in Recv, oldest first): never both at once,
 * because a sender that finds a receiver waiting delivers at once, and the other way round (SPEC
 * guarantee 9). The queue is an intrusive doubly linked list through the tasks, so queueing
 * allocates nothing and a task can be taken out of the middle in O(1) (for cancellation, later).
 *
 * <p>Invariant: every queued task's state is BLOCKED_ON_SEND (SENDERS) or BLOCKED_ON_RECEIVE
 * (RECEIVERS) and names this endpoint; the queue is empty exactly when the state is IDLE.
 */
public final class Endpoint extends KernelObject {
    /** What the queue holds. */
    public enum Queue { IDLE, SENDERS, RECEIVERS }

    private Queue queue = Queue.IDLE;
    private Task head;
    private Task tail;

    public Endpoint(int id) {
        super(id);
    }

    @Override
    public ObjectType type() {
        return ObjectType.ENDPOINT;
    }

    public Queue queue() {
        return queue;
    }

    /** The oldest queued task, or null. */
    public Task head() {
        return head;
    }

    /** The task queued after {@code t}, or null. */
    public static Task next(Task t) {
        return t.queueNext;
    }

    /** The oldest queued sender, or null if no sender waits. */
    public Task firstSender() {
        return queue == Queue.SENDERS ? head : null;
    }

    /** The oldest queued receiver, or null if no receiver waits. */
    public Task firstReceiver() {
        return queue == Queue.RECEIVERS ? head : null;
    }

    /** Appends {@code t}, whose state already names this endpoint, to the queue of its kind. */
    public void enqueue(Task t, Queue kind) {
        insert(t, kind, false);
    }

    /** Puts {@code t} at the head instead: wrong by SPEC, used only by injected faults. */
    public void enqueueAtHead(Task t, Queue kind) {
        insert(t, kind, true);
    }

    private void insert(Task t, Queue kind, boolean atHead) {
        if (queue != Queue.IDLE && queue != kind) {
            throw new AssertionError(this + " would hold senders and receivers at once");
        }
        if (t.blockedOn() != this || t.queueNext != null || t.queuePrev != null || head == t) {
            throw new AssertionError(t + " enqueued on " + this + " in a bad state");
        }
        queue = kind;
        if (head == null) {
            head = t;
            tail = t;
        } else if (atHead) {
            t.queueNext = head;
            head.queuePrev = t;
            head = t;
        } else {
            t.queuePrev = tail;
            tail.queueNext = t;
            tail = t;
        }
    }

    /** Takes {@code t} out of the queue, wherever it is. */
    public void remove(Task t) {
        if (t.queuePrev == null) {
            head = t.queueNext;
        } else {
            t.queuePrev.queueNext = t.queueNext;
        }
        if (t.queueNext == null) {
            tail = t.queuePrev;
        } else {
            t.queueNext.queuePrev = t.queuePrev;
        }
        t.queueNext = null;
        t.queuePrev = null;
        if (head == null) {
            queue = Queue.IDLE;
        }
    }

    @Override
    public String toString() {
        return "endpoint#" + id();
    }
}
