package io.capipc.props.explore;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.harness.Action;
import io.capipc.props.harness.Check;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Runner;
import io.capipc.props.harness.Stepper;
import io.capipc.props.model.Model;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Breadth-first search over every interleaving of a {@link Scenario}. A state is the model's state,
 * how far each task has got through its program and which faults have struck; one reached before is
 * not expanded again. The kernel cannot be copied, so each transition replays its path from boot on
 * a fresh kernel and model (paths are short), which also reruns the stateful checks over the whole
 * path. What pruning misses: a check's memory of how a state was reached (two paths to one state
 * are checked along the first only), and kernel state the model does not have, which refinement
 * compares at every step of the paths explored.
 */
public final class Explorer {
    /** What one exploration found: its size, its time, and the first violation (null: none). */
    public record Result(Scenario scenario, long states, long transitions, int depth, long nanos, @Nullable Violation violation,
                         boolean complete) {
        public double statesPerSecond() {
            return states / Math.max(1e-9, nanos / 1e9);
        }

        @Override
        public String toString() {
            return String.format("%s: %d states, %d transitions, depth %d, %.2f s (%.0f states/s)%s%s", scenario.name(), states,
                    transitions, depth, nanos / 1e9, statesPerSecond(), complete ? "" : ", CUT SHORT at the state limit",
                    violation == null ? ", no violation" : "\n" + violation);
        }
    }

    /** A shortest path to a state that breaks a check, as choices and as actions. */
    public record Violation(Scenario scenario, @Nullable InjectedBug bug, List<Integer> choices, List<Action> trace,
                            Runner.Failure failure) {
        /** The path in the replay notation, e.g. {@code t0,t1,f0}. */
        public String path() {
            return choices.stream().map(scenario::show).collect(Collectors.joining(","));
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("violation at step " + failure.step() + ": " + failure.message() + "\n");
            for (int i = 0; i < trace.size(); i++) {
                out.append(String.format("  %2d  %s%n", i, Action.show(trace.get(i))));
            }
            return out.append("replay: ").append(ExploreScenarios.replayCommand(scenario, bug, path())).toString();
        }
    }

    /** Every guarantee's check of the shared model, and refinement. */
    @SuppressWarnings("unchecked")
    public static Supplier<Check> everyCheck() {
        return Checks.all(Checks.refinement(), Checks.unforgeableIdentity(), Checks.authorityOnlyShrinks(),
                Checks.revocationIsComplete(), Checks.callsAreReliable(), Checks.repliesAtMostOnce(), Checks.sendsAreOrdered(),
                Checks.sendsAreSemiReliable(), Checks.repliesAreUnreliable(), Checks.queuesAreConsistent(),
                Checks.buffersAreBounded(), Checks.blockedErrorsLeaveNoTrace(), Checks.timeoutsFireOnce(), Checks.liveness(),
                Checks.readOnce());
    }

    /** The state key: the model, each task's progress, the faults that struck. */
    private record Key(Model model, List<Integer> progress, long struck) {}

    private record Node(Model model, int[] pc, long struck, int[] path) {}

    private final Scenario scenario;
    private final @Nullable InjectedBug bug;
    private final InjectedBugs bugs;
    private final Supplier<Check> checks;
    private final long maxStates;

    /** An explorer of {@code scenario} on a kernel with {@code bug} planted (null: none), stopping after {@code maxStates}. */
    public Explorer(Scenario scenario, @Nullable InjectedBug bug, Supplier<Check> checks, long maxStates) {
        if (scenario.faults().size() > 63) {
            throw new IllegalArgumentException("at most 63 faults");
        }
        this.scenario = scenario;
        this.bug = bug;
        this.bugs = bug == null ? InjectedBugs.NONE : InjectedBugs.of(bug);
        this.checks = checks;
        this.maxStates = maxStates;
    }

    /** Explores every check and the kernel's invariants over the scenario, on a kernel with {@code bug} (null: none). */
    public static Result explore(Scenario scenario, @Nullable InjectedBug bug) {
        return new Explorer(scenario, bug, everyCheck(), 1_000_000).run();
    }

    public Result run() {
        long start = System.nanoTime();
        int tasks = scenario.programs().size();
        Node root = new Node(new Stepper(scenario.shape(), bugs, checks.get(), true).model(), new int[tasks], 0, new int[0]);
        Set<Key> seen = new HashSet<>();
        seen.add(key(root));
        ArrayDeque<Node> frontier = new ArrayDeque<>();
        frontier.add(root);
        long transitions = 0;
        int depth = 0;
        while (!frontier.isEmpty()) {
            Node node = frontier.poll();
            for (int c = 0; c < scenario.choices(); c++) {
                Action a = next(node.pc(), node.struck(), c);
                if (a == null || !(a instanceof Action.Driver || node.model().task(a.task()).state() == Model.State.RUNNING)) {
                    continue;
                }
                transitions++;
                int[] path = Arrays.copyOf(node.path(), node.path().length + 1);
                path[path.length - 1] = c;
                Stepper stepper = new Stepper(scenario.shape(), bugs, checks.get(), true);
                Runner.Failure f = replay(stepper, path);
                if (f != null) {
                    return new Result(scenario, seen.size(), transitions, path.length, System.nanoTime() - start,
                            violation(path, f), true);
                }
                Node child = advance(node, c, stepper.model(), path);
                if (seen.add(key(child))) {
                    depth = Math.max(depth, path.length);
                    if (seen.size() >= maxStates) {
                        return new Result(scenario, seen.size(), transitions, depth, System.nanoTime() - start, null, false);
                    }
                    frontier.add(child);
                }
            }
        }
        return new Result(scenario, seen.size(), transitions, depth, System.nanoTime() - start, null, true);
    }

    /** Replays a path given in the {@code t0,t1,f0} notation; its violation, or null. */
    public @Nullable Violation replay(String path) {
        int[] choices = Arrays.stream(path.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(scenario::parse)
                .toArray();
        Runner.Failure f = replay(new Stepper(scenario.shape(), bugs, checks.get(), true), choices);
        return f == null ? null : violation(choices, f);
    }

    /** Takes the path's steps; the first failure, or null. A choice not enabled where it is taken is a failure too. */
    private Runner.@Nullable Failure replay(Stepper stepper, int[] path) {
        int[] pc = new int[scenario.programs().size()];
        long struck = 0;
        for (int c : path) {
            Action a = next(pc, struck, c);
            if (a == null || !stepper.enabled(a)) {
                return new Runner.Failure(-1, "the path takes " + scenario.show(c) + " where it cannot be taken");
            }
            Runner.Failure f = stepper.step(a);
            if (f != null) {
                return f;
            }
            struck = take(pc, struck, c);
        }
        return null;
    }

    /**
     * The action choice {@code c} takes where each task is at {@code pc} and the faults {@code struck}
     * have struck: a task's next syscall, or a fault not yet struck; null if none.
     */
    private @Nullable Action next(int[] pc, long struck, int c) {
        int tasks = scenario.programs().size();
        if (c < tasks) {
            List<Action> program = scenario.programs().get(c);
            return pc[c] < program.size() ? program.get(pc[c]) : null;
        }
        return (struck & (1L << (c - tasks))) == 0 ? scenario.faults().get(c - tasks) : null;
    }

    /** Choice {@code c} was taken: its task moves on in {@code pc} (in place); returns the faults struck now. */
    private static long take(int[] pc, long struck, int c) {
        if (c < pc.length) {
            pc[c]++;
            return struck;
        }
        return struck | 1L << (c - pc.length);
    }

    private Node advance(Node node, int c, Model model, int[] path) {
        int[] pc = node.pc().clone();
        return new Node(model, pc, take(pc, node.struck(), c), path);
    }

    /** The violation {@code f} at the end of {@code path}; its trace stops at a choice that cannot be taken. */
    private Violation violation(int[] path, Runner.Failure f) {
        List<Integer> choices = Arrays.stream(path).boxed().toList();
        int[] pc = new int[scenario.programs().size()];
        long struck = 0;
        List<Action> trace = new ArrayList<>();
        for (int c : path) {
            Action a = next(pc, struck, c);
            if (a == null) {
                break;
            }
            trace.add(a);
            struck = take(pc, struck, c);
        }
        return new Violation(scenario, bug, choices, trace, f);
    }

    private static Key key(Node n) {
        return new Key(n.model(), Arrays.stream(n.pc()).boxed().toList(), n.struck());
    }
}
