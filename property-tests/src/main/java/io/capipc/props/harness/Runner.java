package io.capipc.props.harness;

import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.model.Shape;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs one list of actions on a fresh kernel and a fresh model side by side. A syscall whose task is
 * not RUNNING in the model is skipped (its precondition failed, which shrinking can cause); a driver
 * action (advance, interrupt, kill) has none. A {@link Stepper} takes each step.
 */
public final class Runner {
    /** Why a run failed: the step (in the list given) and what was wrong. */
    public record Failure(int step, String message) {}

    private Runner() {}

    public static Failure run(Shape shape, List<Action> actions, InjectedBugs faults, Supplier<Check> checks) {
        return run(shape, actions, faults, checks, true);
    }

    /** As {@link #run}; {@code invariants} false leaves the kernel's invariant checker out. */
    public static Failure run(Shape shape, List<Action> actions, InjectedBugs faults, Supplier<Check> checks, boolean invariants) {
        Stepper stepper = new Stepper(shape, faults, checks.get(), invariants);
        for (int i = 0; i < actions.size(); i++) {
            Action a = actions.get(i);
            if (!stepper.enabled(a)) {
                continue;
            }
            Failure f = stepper.step(a);
            if (f != null) {
                return new Failure(i, f.message());
            }
        }
        return null;
    }
}
