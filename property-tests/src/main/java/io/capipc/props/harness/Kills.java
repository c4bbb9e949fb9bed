package io.capipc.props.harness;

import io.capipc.api.Status;
import io.capipc.props.model.Model;

/**
 * Which task a step killed, for the checks that follow a task's blocked syscall or Call and must
 * forget it when its task dies without its syscall completing: the driver's kill, or a Kill or
 * Restart syscall (docs/semantics.md §13) that succeeded on a live task. A restarted task is RUNNING
 * again at once, with nothing left of its killed run.
 */
final class Kills {
    private Kills() {}

    /** The task {@code s} killed, or -1. */
    static int killed(Check.StepRecord s) {
        Action a = s.action();
        if (a instanceof Action.Kill k) {
            return k.task();
        }
        int u = target(s);
        return u >= 0 && s.before().task(u).state() != Model.State.DEAD ? u : -1;
    }

    /** True if {@code s} was a Restart that succeeded (whether or not its task was alive). */
    static boolean restarted(Check.StepRecord s) {
        return s.action() instanceof Action.RestartTask && s.kernelStatus() == Status.OK;
    }

    /** The task a Kill or Restart syscall that succeeded in {@code s} named, or -1. */
    static int target(Check.StepRecord s) {
        Action a = s.action();
        int slot = a instanceof Action.KillTask k ? k.slot() : a instanceof Action.RestartTask r ? r.slot() : -1;
        if (slot < 0 || s.kernelStatus() != Status.OK) {
            return -1;
        }
        Model m = s.before();
        Model.Cap c = m.caps().get(new Model.Ref(m.shape().space(a.task()), slot));
        return c == null ? -1 : m.shape().taskOf(c.object());
    }
}
