package io.capipc.props.runtimes;

import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.props.harness.Tally;
import io.capipc.props.runtimes.RuntimeWorld.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@link RuntimeProperty}'s replay: a second kernel, booted the same way, driven by the
 * {@link DeterministicDriver} through the transitions the runtime's kernel traced, in that order:
 * each traced syscall is that task's next script step (or the runtime's Exit once its body returned),
 * each fault of the test's is made where it was made, and the driver's clock follows the trace's
 * stamps. The two traces, the driver's answers and the two kernels' final views must agree.
 */
final class Replay {
    private Replay() {}

    /** What the replay learnt from the kernel that the trace does not say: where bodies restarted or killed {@link RuntimeWorld#TARGET}. */
    record Control(List<Integer> restarts, boolean[] killed) {
        Control() {
            this(new ArrayList<>(), new boolean[1]);
        }
    }

    /** The same transitions, in the same order, on the deterministic driver; what differed, or null. */
    static @Nullable String replay(List<List<Step>> scripts, List<Fault> faults, List<Event> traced, KernelView end,
                                   InjectedBugs bugs, int padding, Tally coverage, String runtime, Control control) {
        RuntimeWorld w = new RuntimeWorld(bugs, padding);
        DeterministicDriver d = new DeterministicDriver(w.kernel);
        w.clock = d::now; // the threaded runtime's trace is stamped 0, and nothing here moves the driver's clock then
        for (int t = 0; t < RuntimeWorld.TASKS; t++) {
            d.start(w.tasks[t]);
        }
        int[] next = new int[RuntimeWorld.TASKS];
        int f = 0;
        while (true) {
            int i = w.events.size(); // where the driver is in the runtime's trace, while the two agree
            String differs = differ(traced, w.events);
            if (differs != null) {
                return differs;
            }
            if (f < faults.size() && faults.get(f).at() <= i) {
                apply(faults.get(f++), d, w); // its own events (a Kill's Exit, the completions it makes) follow
                continue;
            }
            if (i < traced.size() && traced.get(i).at() > d.now()) {
                var _ = d.advance(traced.get(i).at() - d.now()); // the runtime's clock jumped: what it expired follows
                continue;
            }
            int j = i;
            while (j < traced.size() && traced.get(j).op() == null) {
                j++; // the completions a syscall makes come before its own event
            }
            if (j == traced.size()) {
                break;
            }
            Event e = traced.get(j);
            int t = e.task();
            if (t >= RuntimeWorld.TASKS) {
                return "transition " + j + " is a syscall by a task the world did not start: " + e + context(traced, j);
            }
            List<Step> script = scripts.get(t);
            if (next[t] == script.size()) {
                coverage.count(runtime + "body returned (the runtime's Exit)");
            }
            Step step = next[t] < script.size() ? script.get(next[t]++) : null;
            io.capipc.kernel.inspect.Outcome answered;
            try {
                answered = step != null ? step.run(d, w.tasks[t], w.buffers(t)) : d.exit(w.tasks[t]);
            } catch (RuntimeException x) {
                return "the driver could not replay transition " + j + ", " + e + ": " + x + context(traced, j);
            }
            if (w.events.size() == i) {
                return "the driver traced nothing for transition " + j + ", " + e + context(traced, j);
            }
            if (answered == null || !answered.name().equals(w.events.getLast().outcome())) {
                return "the driver answered " + answered + " to transition " + j + ", which its kernel traced as " + w.events.getLast();
            }
            if (step != null && step.op() == Step.Op.FAULT) {
                coverage.count(runtime + "body threw (a fault the runtime reports)");
            }
            if (step != null && controlled(step, t, w, control, w.events.size() - 1)) {
                next[RuntimeWorld.TARGET] = 0; // the runtime runs its body again from the start
                coverage.count(runtime + "task restarted by a body's Restart");
            } else if (step != null && step.op() == Step.Op.KILL && control.killed()[0]) {
                coverage.count(runtime + "task killed by a body's Kill");
            }
        }
        String differs = differ(traced, w.events);
        if (differs != null) {
            return differs;
        }
        if (traced.size() != w.events.size()) {
            return "the simulated runtime's kernel took " + traced.size() + " transitions, the driver's " + w.events.size();
        }
        KernelView replayed = w.kernel.inspect();
        return Objects.equals(end, replayed) ? null
                : "the same transitions left different kernels:\n  simulated " + end + "\n  driver    " + replayed;
    }

    /**
     * Whether {@code step}, just replayed by task {@code t} as the driver's event {@code at}, was a
     * Restart of {@link RuntimeWorld#TARGET} that succeeded (then recorded in {@code control}); a Kill
     * of it that succeeded is recorded too.
     */
    private static boolean controlled(Step step, int t, RuntimeWorld w, Control control, int at) {
        if ((step.op() != Step.Op.RESTART && step.op() != Step.Op.KILL) || !w.events.get(at).outcome().equals("OK")
                || !w.namesTarget(t, step.slot())) {
            return false;
        }
        if (step.op() == Step.Op.KILL) {
            control.killed()[0] = true;
            return false;
        }
        control.restarts().add(at);
        return true;
    }

    /** The first event at which the driver's trace differs from the runtime's (as far as both go), or null. */
    private static @Nullable String differ(List<Event> traced, List<Event> replayed) {
        int n = Math.min(traced.size(), replayed.size());
        for (int i = 0; i < n; i++) {
            if (!traced.get(i).equals(replayed.get(i))) {
                return "transition " + i + ": the simulated runtime's kernel " + traced.get(i) + ", the driver's "
                        + replayed.get(i) + context(traced, i);
            }
        }
        return null;
    }

    /** The events before the {@code i}th, a few. */
    private static String context(List<Event> traced, int i) {
        return "; before it:\n  " + String.join("\n  ", traced.subList(Math.max(0, i - 10), i).stream().map(Event::toString).toList());
    }

    private static void apply(Fault f, DeterministicDriver d, RuntimeWorld w) {
        switch (f.kind()) {
            case KILL -> d.kill(w.tasks[f.target()]);
            case INTERRUPT -> {
                var _ = d.interrupt(w.tasks[f.target()]);
            }
            case DELETE -> d.delete(w.spaces[f.target() / RuntimeWorld.SLOTS], f.target() % RuntimeWorld.SLOTS);
            case REVOKE -> d.revoke(w.spaces[f.target() / RuntimeWorld.SLOTS], f.target() % RuntimeWorld.SLOTS);
            case ADVANCE -> {
                var _ = d.advance(f.target());
            }
        }
    }
}
