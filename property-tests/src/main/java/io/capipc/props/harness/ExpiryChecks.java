package io.capipc.props.harness;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.api.TaskState;
import io.capipc.props.model.Model;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The checks of docs/semantics.md §6 and §7 that Guarantee12Liveness runs besides guarantee 12's own: the
 * ways a blocked syscall ends other than being served leave no trace, and timeouts and interrupts
 * end exactly the syscalls they should.
 */
final class ExpiryChecks {
    private ExpiryChecks() {}

    /**
     * docs/semantics.md §7: a blocked syscall that ends with an error (TIMEOUT, INTERRUPTED, REVOKED,
     * PEER_DIED, NO_REPLY) leaves no trace in any queue: its task is in no endpoint's queue and no
     * notification's waiters, names no object it waits on or slot it sends through, and no task
     * holds its context. The same for a syscall that timed out at once (timeout 0), and for a killed
     * task, which is then DEAD.
     */
    static Supplier<Check> blockedErrorsLeaveNoTrace() {
        return () -> s -> {
            KernelView v = s.viewAfter();
            for (World.Resumed r : s.resumed()) {
                String trace = ERRORS.contains(r.status()) ? trace(v, s.world().task(r.task()).id()) : null;
                if (trace != null) {
                    return "t" + r.task() + "'s blocked syscall ended with " + r.status() + ", but " + trace;
                }
            }
            Action a = s.action();
            if (!(a instanceof Action.Driver) && s.kernelStatus() == Status.TIMEOUT) {
                String trace = trace(v, s.world().task(a.task()).id());
                if (trace != null) {
                    return "t" + a.task() + " timed out at once, but " + trace;
                }
            }
            int killed = Kills.killed(s);
            if (killed >= 0) {
                // A dead task's record may still name the slot its last send went through (the
                // kernel clears it only when a syscall completes): that is no queue, so not a trace.
                // A restarted one is RUNNING again, with nothing of its killed run left.
                int id = s.world().task(killed).id();
                KernelView.TaskView dead = v.task(id);
                String trace = trace(v, new KernelView.TaskView(dead.id(), dead.name(), dead.spaceId(), dead.state(),
                        dead.blockedOn(), false, dead.holdsContextOf(), -1, -1, dead.faultCap(), dead.deadline(),
                        dead.holdsCancelled()));
                TaskState expected = Kills.restarted(s) ? TaskState.RUNNING : TaskState.DEAD;
                if (trace == null && dead.state() != expected) {
                    trace = "it is " + dead.state();
                }
                if (trace != null) {
                    return "t" + killed + " was " + (Kills.restarted(s) ? "restarted" : "killed") + ", but " + trace;
                }
            }
            return null;
        };
    }

    /** The errors a blocked syscall may end with (docs/semantics.md §7). */
    private static final Set<Status> ERRORS = Set.of(Status.TIMEOUT, Status.INTERRUPTED, Status.REVOKED, Status.PEER_DIED,
            Status.NO_REPLY);

    /** What is left of task {@code id} in a queue, a wait or another task's hands, described; null if nothing. */
    private static String trace(KernelView v, int id) {
        return trace(v, v.task(id));
    }

    private static String trace(KernelView v, KernelView.TaskView me) {
        int id = me.id();
        for (KernelView.EndpointView e : v.endpoints()) {
            if (e.queued().contains(id)) {
                return "it is still queued on endpoint " + e.id() + " " + e.queued();
            }
        }
        for (KernelView.NotificationView n : v.notifications()) {
            if (n.waiters().contains(id)) {
                return "it still waits on notification " + n.id() + " " + n.waiters();
            }
        }
        if (me.blockedOn() >= 0 || me.sendSlot() >= 0) {
            return "it still names object " + me.blockedOn() + " and slot " + me.sendSpace() + ":" + me.sendSlot();
        }
        return Checks.held(v, id);
    }

    /**
     * docs/semantics.md §6: a timeout fires exactly once, when the clock reaches it: a clock advance ends
     * with TIMEOUT exactly the blocked syscalls whose deadline (now + timeout when they blocked, on the
     * check's own clock) has come, earliest first, ties by task, and nothing else; no syscall times out
     * while the clock stands still. An interrupt ends exactly its task's blocked syscall with
     * INTERRUPTED, and of a task not blocked changes nothing. A receiver woken by the CALLER_CANCELLED
     * system message a timeout or an interrupt posts is not the timeout's or the interrupt's doing.
     */
    static Supplier<Check> timeoutsFireOnce() {
        return () -> new Check() {
            private final Map<Integer, Long> deadlines = new HashMap<>();
            private long clock;

            @Override
            public String check(StepRecord s) {
                Action a = s.action();
                String v = switch (a) {
                    case Action.Advance d -> advanced(d.nanos(), s);
                    case Action.Interrupt i -> interrupted(i.task(), s);
                    default -> s.resumed().stream().filter(r -> r.status() == Status.TIMEOUT).findFirst()
                            .map(r -> "t" + r.task() + " timed out, but the clock stands still at " + clock).orElse(null);
                };
                if (v != null) {
                    return v;
                }
                for (World.Resumed r : s.resumed()) {
                    deadlines.remove(r.task());
                }
                deadlines.remove(Kills.killed(s));
                long timeout = Action.timeoutOf(a);
                if (!(a instanceof Action.Driver) && s.kernelStatus() == null && timeout > 0 && timeout != Action.FOREVER
                        && timeout <= Long.MAX_VALUE - clock) {
                    deadlines.put(a.task(), clock + timeout);
                }
                return null;
            }

            private String advanced(long nanos, StepRecord s) {
                clock += nanos;
                List<World.Resumed> resumed = withoutSystemDeliveries(s);
                // A due receiver that an earlier expiry's CALLER_CANCELLED reached first got a message.
                Set<Integer> delivered = new HashSet<>(s.resumed().stream().map(World.Resumed::task).toList());
                resumed.forEach(r -> delivered.remove(r.task()));
                List<Integer> due = deadlines.entrySet().stream().filter(e -> e.getValue() <= clock)
                        .filter(e -> !delivered.contains(e.getKey()))
                        .sorted(Map.Entry.<Integer, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                        .map(Map.Entry::getKey).toList();
                List<Integer> fired = resumed.stream().filter(r -> r.status() == Status.TIMEOUT).map(World.Resumed::task).toList();
                if (fired.size() != resumed.size()) {
                    return "advancing the clock to " + clock + " completed " + resumed + ", not only timeouts";
                }
                return fired.equals(due) ? null : "advancing the clock to " + clock + " timed out " + fired + ", but due were "
                        + due + " (deadlines " + deadlines + ")";
            }

            private String interrupted(int t, StepRecord s) {
                TaskState was = s.viewBefore().task(s.world().task(t).id()).state();
                boolean blocked = was != TaskState.RUNNING && was != TaskState.DEAD && was != TaskState.INACTIVE;
                if (blocked && !withoutSystemDeliveries(s).equals(List.of(new World.Resumed(t, Status.INTERRUPTED)))) {
                    return "interrupting t" + t + " (" + was + ") completed " + s.resumed();
                }
                if (!blocked && (!s.resumed().isEmpty() || !s.viewBefore().equals(s.viewAfter()))) {
                    return "interrupting t" + t + ", which was " + was + ", changed the kernel";
                }
                return null;
            }
        };
    }

    /** The step's completed syscalls, less the receivers woken by a system message (docs/semantics.md §6). */
    static List<World.Resumed> withoutSystemDeliveries(Check.StepRecord s) {
        return s.resumed().stream().filter(r -> !(r.status() == Status.OK
                && s.before().task(r.task()).state() == Model.State.BLOCKED_ON_RECEIVE
                && MessageInfo.isSystem(s.world().ipc(r.task()).info()))).toList();
    }

}
