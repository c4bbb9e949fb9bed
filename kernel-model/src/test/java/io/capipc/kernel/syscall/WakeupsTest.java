package io.capipc.kernel.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first wake of a syscall's transition is held until it ends; the others, and wakes outside syscalls, are given at once. */
class WakeupsTest {
    private final Space space = new Space(1, "s", 2, 0, 10);
    private final Task a = new Task(20, "a", space);
    private final Task b = new Task(21, "b", space);
    private final Task c = new Task(22, "c", space);
    private final List<Task> woken = new ArrayList<>();
    private final Wakeups wakeups = new Wakeups();

    WakeupsTest() {
        wakeups.waker(woken::add);
    }

    @Test
    void insideATransition_theFirstWakeWaitsForItsEnd_theOthersGoAtOnce() {
        wakeups.hold();
        wakeups.complete(a, Status.OK);
        wakeups.complete(b, Status.NO_REPLY);
        wakeups.complete(c, Status.OK);
        assertEquals(List.of(b, c), woken);
        // The held task's result is already written: only the wake waits.
        assertEquals(TaskState.RUNNING, a.state());
        assertEquals(Status.OK, a.ipc().status());
        wakeups.release();
        assertEquals(List.of(b, c, a), woken);
        wakeups.release();
        assertEquals(List.of(b, c, a), woken, "a release gives a held wake once");
    }

    @Test
    void outsideATransition_everyWakeGoesAtOnce() {
        wakeups.complete(a, Status.OK);
        assertEquals(List.of(a), woken);
        wakeups.hold();
        wakeups.release();
        wakeups.complete(b, Status.OK);
        assertEquals(List.of(a, b), woken, "after release, nothing is held");
    }

    @Test
    void aWakeLeftHeldByATransitionThatThrew_isGivenWhenTheNextBegins() {
        wakeups.hold();
        wakeups.complete(a, Status.OK);
        // The transition threw: no release. The next syscall's transition begins.
        wakeups.hold();
        assertEquals(List.of(a), woken);
        wakeups.complete(b, Status.OK);
        assertEquals(List.of(a), woken);
        wakeups.release();
        assertEquals(List.of(a, b), woken);
    }
}
