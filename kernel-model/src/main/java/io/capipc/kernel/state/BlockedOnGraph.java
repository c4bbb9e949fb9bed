package io.capipc.kernel.state;

import io.capipc.api.Rights;
import io.capipc.cap.CSpace;
import io.capipc.cap.KernelObject;
import io.capipc.kernel.inspect.WaitEdge;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.api.TaskState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who waits on whom, through which object, and the deadlock report of docs/semantics.md guarantee 12, as data.
 *
 * <p>A blocked task waits for the tasks that could unblock it:
 * <ul>
 *   <li>BLOCKED_ON_REPLY: the holder of its caller context, or every live task of the Space whose reply
 *       pool holds it suspended (or nobody, if none holds it);
 *   <li>BLOCKED_ON_SEND: every live task with READ on the endpoint (a receiver);
 *   <li>BLOCKED_ON_RECEIVE: every live task with WRITE on the endpoint, and with WRITE on its bound
 *       notification (a sender or signaller);
 *   <li>BLOCKED_ON_NOTIFICATION: every live task with WRITE on the notification.
 * </ul>
 * A <em>deadlock</em> is a set of blocked tasks such that every task that could unblock one of them
 * is itself in the set. The largest such set is found as a greatest fixed point: start from every
 * blocked task and drop, until nothing changes, any task that some task outside the set could
 * unblock. A live task's capability counts through every slot of its space, and through its fault
 * endpoint capability (its fault posts TASK_FAULTED there).
 */
public final class BlockedOnGraph {
    private BlockedOnGraph() {}

    /** Every edge of the graph, by waiter in task order. */
    public static List<WaitEdge> edges(List<Task> tasks) {
        List<WaitEdge> out = new ArrayList<>();
        for (Task t : tasks) {
            for (Task u : unblockers(t, tasks)) {
                KernelObject via = t.blockedOn();
                out.add(new WaitEdge(t.id(), via == null ? -1 : via.id(), u.id()));
            }
        }
        return out;
    }

    /** The ids of the deadlocked tasks, in task order; empty when there is no deadlock. */
    public static List<Integer> deadlocked(List<Task> tasks) {
        Set<Task> set = new LinkedHashSet<>();
        for (Task t : tasks) {
            if (t.state().isBlocked()) {
                set.add(t);
            }
        }
        boolean changed = true;
        while (changed) {
            changed = set.removeIf(t -> !set.containsAll(unblockers(t, tasks)));
        }
        return set.stream().map(Task::id).toList();
    }

    /** The tasks that could unblock {@code t}; empty if it is not blocked. */
    static List<Task> unblockers(Task t, List<Task> tasks) {
        return switch (t.state()) {
            case BLOCKED_ON_REPLY -> {
                CallerContext own = t.ownContext();
                if (own.suspendedIn() != null) {
                    yield liveTasksOf(tasks, own.suspendedIn().space());
                }
                yield own.holder() == null ? List.of() : List.of(own.holder());
            }
            case BLOCKED_ON_SEND -> holders(tasks, t.blockedOn(), Rights.READ, null);
            case BLOCKED_ON_RECEIVE -> holders(tasks, t.blockedOn(), Rights.WRITE, t.boundNotification());
            case BLOCKED_ON_NOTIFICATION -> holders(tasks, t.blockedOn(), Rights.WRITE, null);
            case RUNNING, INACTIVE, DEAD -> List.of();
        };
    }

    /** A suspended context can be answered by any live task of its Space. */
    private static List<Task> liveTasksOf(List<Task> tasks, Space space) {
        List<Task> out = new ArrayList<>();
        for (Task u : tasks) {
            if (u.space() == space && u.state() != TaskState.DEAD && u.state() != TaskState.INACTIVE) {
                out.add(u);
            }
        }
        return out;
    }

    /** Live tasks holding {@code right} on {@code object}, or on {@code also} if it is not null. */
    private static List<Task> holders(List<Task> tasks, KernelObject object, int right, KernelObject also) {
        List<Task> out = new ArrayList<>();
        for (Task u : tasks) {
            if (u.state() != TaskState.DEAD && u.state() != TaskState.INACTIVE
                    && (holds(u, object, right) || (also != null && holds(u, also, right)))) {
                out.add(u);
            }
        }
        return out;
    }

    /** True if a slot of {@code u}'s Space, or its TCB's fault slot (it can fault), holds {@code right} on {@code object}. */
    private static boolean holds(Task u, KernelObject object, int right) {
        CSpace cs = u.space().cspace();
        for (int i = 0; i < cs.size(); i++) {
            if (cs.slot(i).object() == object && Rights.has(cs.slot(i).rights(), right)) {
                return true;
            }
        }
        return u.faultCap().object() == object && Rights.has(u.faultCap().rights(), right);
    }
}
