package io.capipc.kernel.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The queue is defensive where a kernel bug could spread: a remove of a task it does not hold changes nothing. */
class TaskQueueTest {
    private final Space space = new Space(1, "s", 2, 0, 10);
    private final Task a = new Task(20, "a", space);
    private final Task b = new Task(21, "b", space);
    private final Task stranger = new Task(22, "stranger", space);

    @Test
    void remove_taskNotInThisQueue_failsLoudlyUnderAssertionsAndLeavesTheQueueWhole() {
        TaskQueue q = new TaskQueue();
        TaskQueue other = new TaskQueue();
        q.add(a);
        q.add(b);
        other.add(stranger);
        assertThrows(AssertionError.class, () -> q.remove(stranger));
        assertThrows(AssertionError.class, () -> q.remove(new Task(23, "unqueued", space)));
        assertEquals(a, q.head());
        assertEquals(b, TaskQueue.next(a));
        assertNull(TaskQueue.next(b));
        assertEquals(stranger, other.head());
    }

    @Test
    void remove_middleThenHead_linksStayConsistent() {
        TaskQueue q = new TaskQueue();
        q.add(a);
        q.add(b);
        q.add(stranger);
        q.remove(b);
        assertEquals(stranger, TaskQueue.next(a));
        q.remove(a);
        assertEquals(stranger, q.head());
        q.remove(stranger);
        assertNull(q.head());
        q.add(a);
        assertEquals(a, q.head());
    }
}
