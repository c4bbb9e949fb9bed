package io.capipc.props.harness;

import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.props.model.Model;
import io.capipc.props.model.Shape;
import io.capipc.props.model.Step;
import java.util.List;

/**
 * A fresh kernel and a fresh model stepped side by side, one action at a time: what {@link Runner}
 * does over a whole list, and what the interleaving explorer does one choice at a time. After each
 * step the check, then (if asked) the kernel's own invariants, are asked.
 */
public final class Stepper {
    private final World world;
    private final Check check;
    private final boolean invariants;
    private Model model;
    private int index;

    public Stepper(Shape shape, InjectedBugs faults, Check check, boolean invariants) {
        this.world = new World(shape, faults);
        this.model = Model.boot(shape);
        this.check = check;
        this.invariants = invariants;
    }

    /** The model's state after the steps so far. */
    public Model model() {
        return model;
    }

    /** True if {@code a} can run now: a driver action always can, a syscall only if its task is RUNNING in the model. */
    public boolean enabled(Action a) {
        return a instanceof Action.Driver || model.task(a.task()).state() == Model.State.RUNNING;
    }

    /**
     * Runs {@code a} (which must be {@link #enabled}) on both; the violation it shows, or null. The
     * failure's step is this stepper's count of steps taken, starting at 0.
     */
    public Runner.Failure step(Action a) {
        int i = index++;
        if (!(a instanceof Action.Driver) && world.state(a.task()) != TaskState.RUNNING) {
            return new Runner.Failure(i, "the model has t" + a.task() + " RUNNING, the kernel " + world.state(a.task()));
        }
        KernelView before = world.view();
        Status kernelStatus;
        try {
            kernelStatus = world.apply(a);
        } catch (Throwable e) {
            return new Runner.Failure(i, "the kernel threw " + e);
        }
        if (world.tracerMismatch() != null) {
            return new Runner.Failure(i, world.tracerMismatch());
        }
        Step.Outcome out = Step.apply(model, a);
        String v = check.check(new Check.StepRecord(i, a, model, out.next(), out.status(), kernelStatus, before,
                world.view(), world.resumed(), world));
        if (v != null) {
            return new Runner.Failure(i, v);
        }
        List<String> broken = invariants ? world.kernel().invariantViolations() : List.of();
        if (!broken.isEmpty()) {
            return new Runner.Failure(i, "kernel invariant broken: " + broken);
        }
        model = out.next();
        return null;
    }
}
