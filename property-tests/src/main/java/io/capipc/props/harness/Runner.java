package io.capipc.props.harness;

import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.model.Model;
import io.capipc.props.model.Shape;
import io.capipc.props.model.Step;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs one list of actions on a fresh kernel and a fresh model side by side. A syscall whose task is
 * not RUNNING in the model is skipped (its precondition failed, which shrinking can cause); a driver
 * action (advance, interrupt, kill) has none. After
 * each step the property's check, then the kernel's own invariants, are asked.
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
        World world = new World(shape, faults);
        Model model = Model.boot(shape);
        Check check = checks.get();
        for (int i = 0; i < actions.size(); i++) {
            Action a = actions.get(i);
            boolean syscall = !(a instanceof Action.Driver);
            if (syscall && model.task(a.task()).state() != Model.State.RUNNING) {
                continue;
            }
            if (syscall && world.state(a.task()) != io.capipc.api.TaskState.RUNNING) {
                return new Failure(i, "the model has t" + a.task() + " RUNNING, the kernel " + world.state(a.task()));
            }
            KernelView before = world.view();
            Status kernelStatus;
            try {
                kernelStatus = world.apply(a);
            } catch (Throwable e) {
                return new Failure(i, "the kernel threw " + e);
            }
            Step.Outcome out = Step.apply(model, a);
            String v = check.check(new Check.StepRecord(i, a, model, out.next(), out.status(), kernelStatus, before,
                    world.view(), world.resumed(), world));
            if (v != null) {
                return new Failure(i, v);
            }
            List<String> broken = invariants ? world.kernel().invariantViolations() : List.of();
            if (!broken.isEmpty()) {
                return new Failure(i, "kernel invariant broken: " + broken);
            }
            model = out.next();
        }
        return null;
    }
}
