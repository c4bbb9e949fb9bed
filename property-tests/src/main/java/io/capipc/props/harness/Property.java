package io.capipc.props.harness;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a property over many generated cases, shrinks the first failure and reports it with its seed.
 *
 * <p>System properties: {@code capipc.props.runs} (cases per property, default {@value #RUNS}),
 * {@code capipc.props.steps} (actions per case, default 60), {@code capipc.props.base} (the first
 * seed, default 1; a deep run picks another), {@code capipc.props.seed} (replay exactly one seed).
 */
public final class Property {
    /** A shrunk failure. */
    public record Report(String property, long seed, io.capipc.props.model.Shape shape, Runner.Failure failure, List<Action> trace) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(property).append(" failed for seed ").append(seed).append(": ").append(failure.message()).append('\n');
            sb.append("world: ").append(shape.tasks()).append(" tasks in spaces ").append(shape.spaceOf())
                    .append(" of ").append(shape.slots()).append(" slots; endpoints 0..").append(shape.endpoints() - 1).append(", notification ").append(shape.notification())
                    .append("; boot capabilities ").append(shape.boot()).append('\n');
            sb.append("minimal trace (").append(trace.size()).append(" actions; the last one shows it):\n");
            for (int i = 0; i < trace.size(); i++) {
                sb.append(String.format("  %3d  %s%s%n", i, Action.show(trace.get(i)), i == failure.step() ? "   <-- here" : ""));
            }
            sb.append("replay: mvn -pl property-tests -am test -Dtest=<this class> -Dcapipc.props.seed=").append(seed);
            return sb.toString();
        }
    }

    /**
     * Cases per property by default. A thousand cases of 60 steps take about a second per property
     * on the build machine, and are what the situation minimums ({@link Coverage}) are set against:
     * some situations a property needs come a few times per thousand cases.
     */
    public static final int RUNS = 1000;

    private Property() {}

    /**
     * True when properties run over the default number of cases or more, not one replayed seed: only
     * then may a property also require that its runs reached the behaviour it is about.
     */
    public static boolean fullRun() {
        return Long.getLong("capipc.props.seed") == null && Integer.getInteger("capipc.props.runs", RUNS) >= RUNS
                && Integer.getInteger("capipc.props.steps", 60) >= 60;
    }

    /**
     * Checks the property on a correct kernel, or on one with the bug {@code capipc.props.injectBug}
     * names (how {@code property-tests/injected-bug-run.sh} shows which properties of the suite, as
     * it is, catch a planted bug by their own checks); throws AssertionError with the report on failure.
     */
    public static void check(String name, Generator.Config gen, Supplier<Check> checks) {
        InjectedBugs planted = planted();
        // With a planted bug, as InjectedFaultsTest does: without the kernel's invariant checker, so
        // only the property's own check can fail it.
        find(name, gen, planted, checks, planted == InjectedBugs.NONE).ifPresent(r -> {
            throw new AssertionError(r.toString());
        });
    }

    /** The bug {@code capipc.props.injectBug} names, if any. */
    private static InjectedBugs planted() {
        String bug = System.getProperty("capipc.props.injectBug", "");
        return bug.isEmpty() ? InjectedBugs.NONE : InjectedBugs.of(InjectedBug.valueOf(bug));
    }

    /** Runs the property on a kernel with {@code faults}; the shrunk first failure, if any. */
    public static Optional<Report> find(String name, Generator.Config gen, InjectedBugs faults, Supplier<Check> checks) {
        return find(name, gen, faults, checks, true);
    }

    /**
     * As {@link #find}; {@code invariants} false leaves the kernel's own invariant checker out and
     * ignores runs in which the kernel threw (a broken kernel may trip its own assertions) or the
     * runner saw a task's state diverge before the check could, so a
     * failure can only come from the property's check: how the injected-fault test proves each check
     * can fail by itself.
     */
    public static Optional<Report> find(String name, Generator.Config gen, InjectedBugs faults, Supplier<Check> checks,
                                        boolean invariants) {
        Long only = Long.getLong("capipc.props.seed");
        int runs = only != null ? 1 : Integer.getInteger("capipc.props.runs", RUNS);
        long base = only != null ? only : Long.getLong("capipc.props.base", 1L);
        int steps = Integer.getInteger("capipc.props.steps", gen.steps());
        Generator.Config config = new Generator.Config(steps, gen.minLength());
        for (int r = 0; r < runs; r++) {
            Generator.Case c = Generator.generate(base + r, config);
            Runner.Failure f = Runner.run(c.shape(), c.actions(), faults, checks, invariants);
            if (counts(f, invariants)) {
                List<Action> minimal = Shrinker.shrink(c.actions(),
                        as -> counts(Runner.run(c.shape(), as, faults, checks, invariants), invariants));
                Runner.Failure last = Runner.run(c.shape(), minimal, faults, checks, invariants);
                return Optional.of(new Report(name, c.seed(), c.shape(), last, minimal));
            }
        }
        return Optional.empty();
    }

    /** In check-only mode, a failure counts only if the property's check found it (not a throw or a divergence). */
    private static boolean counts(Runner.Failure f, boolean invariants) {
        return f != null && (invariants || !(f.message().startsWith("the kernel threw") || f.message().startsWith("the model has")));
    }
}
