package io.capipc.kernel.object;

import io.capipc.cap.KernelObject;
import io.capipc.cap.ObjectType;

/**
 * A synchronous rendezvous point (SPEC section 1; seL4's endpoint).
 *
 * <p>States: {@link Queue#IDLE} (nobody waits), {@link Queue#SENDERS} (tasks blocked in Send or Call,
 * oldest first) or {@link Queue#RECEIVERS} (tasks blocked in Recv, oldest first): never both at once,
 * because a sender that finds a receiver waiting delivers at once, and the other way round (SPEC
 * guarantee 9). The queue is a {@link TaskQueue}, linked through the tasks: queueing allocates
 * nothing and a task is taken out of the middle in O(1) (release on Delete, cancellation).
 *
 * <p>Invariant: every queued task's state is BLOCKED_ON_SEND (SENDERS) or BLOCKED_ON_RECEIVE
 * (RECEIVERS) and names this endpoint; the queue is empty exactly when the state is IDLE.
 */
public final class Endpoint extends KernelObject {
    /** What the queue holds. */
    public enum Queue { IDLE, SENDERS, RECEIVERS }

    private final TaskQueue waiting = new TaskQueue();
    private Queue queue = Queue.IDLE;

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
        return waiting.head();
    }

    /** The task queued after {@code t}, or null. */
    public static Task next(Task t) {
        return TaskQueue.next(t);
    }

    /** The oldest queued sender, or null if no sender waits. */
    public Task firstSender() {
        return queue == Queue.SENDERS ? waiting.head() : null;
    }

    /** The oldest queued receiver, or null if no receiver waits. */
    public Task firstReceiver() {
        return queue == Queue.RECEIVERS ? waiting.head() : null;
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
        if (t.blockedOn() != this) {
            throw new AssertionError(t + " enqueued on " + this + " while blocked on " + t.blockedOn());
        }
        waiting.add(t, atHead);
        queue = kind;
    }

    /** Takes {@code t} out of the queue, wherever it is. */
    public void remove(Task t) {
        waiting.remove(t);
        if (waiting.isEmpty()) {
            queue = Queue.IDLE;
        }
    }

    @Override
    public String toString() {
        return "endpoint#" + id();
    }
}
