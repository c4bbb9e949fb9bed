package io.capipc.props.harness;

import io.capipc.api.Status;
import io.capipc.props.model.Model;
import java.util.function.Supplier;

/**
 * {@link Coverage} counters for task control in the mix of guarantees 3, 4 and 12 (docs/semantics.md
 * §13): Kill and Restart syscalls ending a caller's Call, a server's held context or a blocked
 * syscall; Restart of a dead task; TaskInfo; and Revoke and Delete of Task capabilities.
 */
public final class TaskSituations {
    private TaskSituations() {}

    /**
     * Untyped budgets in the mix: Retypes that made something or were refused for want of budget; a
     * Revoke or Delete of an untyped capability destroying what was made through it, with a task
     * waiting on a made endpoint (released), a Call queued on or received through one, and an untyped
     * made from an untyped; every budget given back whole.
     */
    private static void budgets(Check.StepRecord s, Coverage cov) {
        Action a = s.action();
        Model m = s.before();
        if (a instanceof Action.Retype r) {
            if (s.kernelStatus() == Status.OK) {
                cov.reached("Retype " + r.type());
            } else if (s.kernelStatus() == Status.NO_SPACE) {
                cov.reached("Retype refused: budget exhausted");
            }
        }
        if (!((a instanceof Action.Revoke || a instanceof Action.Delete) && s.kernelStatus() == Status.OK)) {
            return;
        }
        int slot = a instanceof Action.Revoke r ? r.slot() : ((Action.Delete) a).slot();
        Model.Cap c = m.caps().get(new Model.Ref(m.shape().space(a.task()), slot));
        if (c == null || m.shape().untypedOf(c.object()) < 0) {
            return;
        }
        java.util.Set<Integer> gone = new java.util.HashSet<>(m.control().madeFrom().keySet());
        gone.removeAll(s.after().control().madeFrom().keySet());
        if (gone.isEmpty()) {
            return;
        }
        cov.reached((a instanceof Action.Revoke ? "Revoke" : "Delete") + " of an untyped destroying what it made");
        if (gone.stream().anyMatch(o -> m.shape().untypedOf(o) >= 0)) {
            cov.reached("an untyped made from an untyped destroyed with it");
        }
        for (int t = 0; t < m.tasks().size(); t++) {
            Model.MTask was = m.task(t);
            if (gone.contains(was.blockedOn()) && was.state() != Model.State.BLOCKED_ON_REPLY) {
                cov.reached("a task waiting on a made endpoint released when its untyped went");
                if (was.isCall()) {
                    cov.reached("a Call queued on a made endpoint ended when its untyped went");
                }
            }
            if (was.state() == Model.State.BLOCKED_ON_REPLY && was.call() != null && gone.contains(was.call().on())) {
                cov.reached("a Call received through a made endpoint, when its untyped went");
            }
        }
        int k = m.shape().untypedOf(c.object());
        if (k < s.after().control().untypeds().size() && s.after().control().untypeds().get(k).used() == 0) {
            cov.reached("an untyped's whole budget given back");
        }
    }

    /** The counters, made fresh for each run. */
    public static Supplier<Coverage.Counter> control() {
        return () -> (s, cov) -> {
            Action a = s.action();
            String how = a instanceof Action.KillTask ? "Kill" : a instanceof Action.RestartTask ? "Restart" : null;
            Model m = s.before();
            if (a instanceof Action.TaskInfo && s.kernelStatus() == Status.OK) {
                cov.reached("TaskInfo");
            }
            if (how != null && s.kernelStatus() != Status.OK && s.kernelStatus() != null) {
                cov.reached(how + " refused");
            }
            int u = Kills.target(s);
            if (how != null && u >= 0) {
                Model.MTask was = m.task(u);
                if (was.state() == Model.State.DEAD) {
                    cov.reached(how + " of a dead task");
                } else if (was.state() != Model.State.RUNNING) {
                    cov.reached(how + " of a blocked task");
                }
                if (was.state() == Model.State.BLOCKED_ON_REPLY || (was.state() == Model.State.BLOCKED_ON_SEND && was.isCall())) {
                    cov.reached(how + " of a task in a Call");
                }
                if (was.holds() >= 0) {
                    cov.reached(how + " of a server holding a Call");
                }
                if (u == a.task()) {
                    cov.reached(how + " of itself");
                }
                for (World.Resumed r : s.resumed()) {
                    Model.MTask caller = m.task(r.task());
                    if (r.status() == Status.PEER_DIED && (caller.state() == Model.State.BLOCKED_ON_REPLY
                            || (caller.state() == Model.State.BLOCKED_ON_SEND && caller.isCall()))) {
                        cov.reached("a Call ended PEER_DIED by a " + how + " of its server");
                    }
                }
            }
            if ((a instanceof Action.Revoke || a instanceof Action.Delete) && s.kernelStatus() == Status.OK) {
                int slot = a instanceof Action.Revoke r ? r.slot() : ((Action.Delete) a).slot();
                Model.Cap c = m.caps().get(new Model.Ref(m.shape().space(a.task()), slot));
                if (c != null && m.shape().taskOf(c.object()) >= 0) {
                    cov.reached(a instanceof Action.Revoke ? "Revoke: a Task capability" : "Delete: a Task capability");
                }
            }
            if (!s.after().deadlocked().isEmpty() && s.after().control().restarts().stream().anyMatch(n -> n > 0)) {
                cov.reached("a deadlock reported after a Restart");
            }
            budgets(s, cov);
        };
    }
}
