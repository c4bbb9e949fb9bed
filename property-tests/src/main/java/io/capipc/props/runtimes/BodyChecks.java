package io.capipc.props.runtimes;

import io.capipc.kernel.TaskHandle;
import io.capipc.props.runtimes.RuntimeWorld.Event;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the bodies and the runtime said, against the kernel's trace: the statuses each body got back,
 * run by run between the Restarts of its task, and the faults the runtime reports.
 */
final class BodyChecks {
    private BodyChecks() {}

    /**
     * Each body got back from its syscalls the statuses the kernel's trace gives them, in order: a
     * syscall's own outcome, or for one that blocked, its completion's status; run by run, for the
     * task bodies restart (each run's syscalls are those traced between two Restarts of it). A run
     * that was killed or restarted may miss its last (its syscall completed, and it was ended before
     * its next turn); Exit is the runtime's, not the body's.
     */
    static @Nullable String bodiesSaw(List<Runs> returned, List<Event> traced, List<Fault> faults, Replay.Control control) {
        for (int t = 0; t < RuntimeWorld.TASKS; t++) {
            List<Integer> cuts = t == RuntimeWorld.TARGET ? control.restarts() : List.of();
            int task = t;
            boolean killed = faults.stream().anyMatch(f -> f.kind() == Fault.Kind.KILL && f.target() == task)
                    || t == RuntimeWorld.TARGET && control.killed()[0];
            for (int run = 0; run <= cuts.size(); run++) {
                int from = run == 0 ? 0 : cuts.get(run - 1);
                int to = run == cuts.size() ? traced.size() : cuts.get(run);
                List<String> want = new ArrayList<>();
                for (int k = from; k < to; k++) {
                    Event e = traced.get(k);
                    boolean own = e.task() == t && e.op() != io.capipc.kernel.inspect.SyscallName.EXIT
                            && e.op() != io.capipc.kernel.inspect.SyscallName.FAULT; // the runtime's, as Exit
                    if (own && (e.op() == null ? !timedOutAtOnce(traced, k) : !e.outcome().equals("BLOCKED"))) {
                        want.add(e.outcome());
                    }
                }
                boolean ended = killed || run < cuts.size();
                List<List<String>> candidates = returned.get(t).of(run);
                if (candidates.stream().noneMatch(got -> agrees(got, want, ended))) {
                    return "task " + t + "'s body got back " + candidates + " in its run " + run + ", the kernel's trace says " + want;
                }
            }
        }
        return null;
    }

    /**
     * Whether completion {@code k} is a syscall's own TIMEOUT with timeout 0: the kernel traces it as a
     * completion too, right before the syscall's own event, which says the same (not a second status).
     */
    static boolean timedOutAtOnce(List<Event> traced, int k) {
        Event e = traced.get(k);
        Event next = k + 1 < traced.size() ? traced.get(k + 1) : null;
        return e.outcome().equals("TIMEOUT") && next != null && next.task() == e.task() && next.op() != null
                && next.outcome().equals("TIMEOUT");
    }

    /** {@code got} is {@code want}, or for a run that was ended, {@code want} but its last. */
    private static boolean agrees(List<String> got, List<String> want, boolean ended) {
        boolean prefix = got.size() <= want.size() && want.subList(0, got.size()).equals(got);
        return got.equals(want) || ended && prefix && got.size() + 1 >= want.size();
    }

    /**
     * What the runtime's failures say wrongly, or null: a body threw something but a planted fault,
     * or the bodies named are not exactly the tasks whose fault the kernel traced.
     */
    static @Nullable String onlyPlanted(java.util.Map<TaskHandle, Throwable> failures, RuntimeWorld w) {
        java.util.Set<Integer> faulted = new java.util.TreeSet<>();
        for (Event e : List.copyOf(w.events)) {
            if (e.op() == io.capipc.kernel.inspect.SyscallName.FAULT) {
                faulted.add(e.task());
            }
        }
        java.util.Set<Integer> named = new java.util.TreeSet<>();
        for (var f : failures.entrySet()) {
            if (!(f.getValue() instanceof IllegalStateException e) || !Step.PLANTED.equals(e.getMessage())) {
                return "the body of " + f.getKey() + " threw " + f.getValue();
            }
            named.add(w.index(f.getKey()));
        }
        return named.equals(faulted) ? null : "the runtime reports the bodies of tasks " + named + " threw; the kernel traced faults of " + faulted;
    }
}
