package io.capipc.props.runtimes;

import io.capipc.kernel.DeterministicDriver;
import io.capipc.api.TaskBody;
import io.capipc.kernel.SimulatedRuntime;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.Tally;
import io.capipc.props.runtimes.RuntimeWorld.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * One transition, two runtimes (docs/semantics.md §10: "both run the same transition code"), as a
 * property. Four task bodies run random scripts of syscalls ({@link Step}) on a runtime: the
 * {@link SimulatedRuntime}, whose scheduler the case's seed drives, with faults of the test's between
 * turns ({@link SimulatedRun}); or the {@link ThreadedRuntime}, on platform or on virtual threads, all
 * at once, with kills and interrupts whenever every task is blocked or dead ({@link ThreadedRun}). A
 * tracer writes down every transition the kernel took, in order (the kernel's lock orders them), and
 * checks what it is shown of each IPC buffer ({@link RuntimeWorld}). Then a second kernel, booted the
 * same way, is driven by the {@link DeterministicDriver} through the same transitions in the same
 * order ({@link Replay}); the two traces must be equal event for event, and the two kernels' views at
 * the end; each body must have got back the statuses the trace gives its syscalls ({@link BodyChecks}).
 * A runtime that took a transition of its own, lost or misdirected a wake, completed a syscall twice or
 * handed a body another status than the kernel's fails it.
 *
 * <p>Runs: {@code capipc.props.runtimeRuns} (default {@link #RUNS}; at most that many when
 * {@code capipc.props.runs} is set), {@code capipc.props.base}, {@code capipc.props.seed}. No
 * shrinking: the schedule is the seed's (or the threads'), and a shorter script is another schedule;
 * a failure names the seed and the first event that differs, with the events before it.
 */
public final class RuntimeProperty {
    private RuntimeProperty() {}

    /** Cases per search by default: each starts four threads, so fewer than the suite's thousand. */
    public static final int RUNS = 300;

    /** The situations a full run must reach (the test's minimums). */
    public static final List<String> SITUATIONS = List.of(
            "simulated: syscall blocked, completed by another task",
            "simulated: blocked task interrupted between turns",
            "simulated: dead task interrupted between turns (nothing to end)",
            "simulated: task killed between turns",
            "simulated: capability deleted between turns",
            "simulated: capability revoked between turns",
            "simulated: clock advanced between turns",
            "simulated: body threw (a fault the runtime reports)",
            "simulated: blocked syscall timed out on the virtual clock",
            "simulated: body returned (the runtime's Exit)",
            "simulated: task restarted by a body's Restart",
            "simulated: task killed by a body's Kill",
            "simulated: run ended with every task left blocked",
            "threaded: body threw (a fault the runtime reports)",
            "threaded: task adopted by a thread of the caller's",
            "threaded: task restarted by a body's Restart",
            "threaded: blocked task interrupted (Thread.interrupt)",
            "threaded: syscall blocked, completed by another task",
            "threaded: blocked task killed",
            "threaded: body returned (the runtime's Exit)",
            "threaded: run ended with every task left blocked",
            "virtual: body threw (a fault the runtime reports)",
            "virtual: task adopted by a thread of the caller's",
            "virtual: task restarted by a body's Restart",
            "virtual: blocked task interrupted (Thread.interrupt)",
            "virtual: syscall blocked, completed by another task",
            "virtual: blocked task killed",
            "virtual: body returned (the runtime's Exit)",
            "virtual: run ended with every task left blocked");

    /** A failure: its seed and what differed. */
    public record Report(long seed, String message) {
        @Override
        public String toString() {
            return "RuntimeProperty failed for seed " + seed + ": " + message + "\nreplay: -Dcapipc.props.seed=" + seed;
        }
    }

    /** Runs the property; the first failure. */
    public static Optional<Report> find(Runtime runtime, InjectedBugs bugs, Tally coverage) {
        Long only = Long.getLong("capipc.props.seed");
        Integer suite = Integer.getInteger("capipc.props.runs");
        int runs = only != null ? 1 : Integer.getInteger("capipc.props.runtimeRuns", suite != null ? Math.min(suite, RUNS) : RUNS);
        long base = only != null ? only : Long.getLong("capipc.props.base", 1L);
        for (int r = 0; r < runs; r++) {
            String problem = run(base + r, runtime, bugs, coverage);
            if (problem != null) {
                return Optional.of(new Report(base + r, problem));
            }
        }
        return Optional.empty();
    }

    /** Whether this is a full run, in which the situations must reach their minimums. */
    public static boolean fullRun() {
        return Property.fullRun() && Integer.getInteger("capipc.props.runtimeRuns", RUNS) >= RUNS;
    }

    /** The runtimes: the simulated one, and the threaded one on platform and on virtual threads. */
    public enum Runtime { SIMULATED, THREADED, VIRTUAL }

    /**
     * What a runtime's run left, taken while nothing ran: the kernel's trace, its view, and the
     * statuses each body had got back (before the test's last Kills, which complete syscalls too).
     */
    record Ran(List<Event> traced, KernelView end, List<Runs> returned) {
        Ran(List<Event> traced, KernelView end, List<Runs> returned) {
            this.traced = List.copyOf(traced);
            this.end = end;
            this.returned = returned.stream().map(Runs::copy).toList();
        }
    }

    /** One case: the run on {@code runtime}, then its replay; what differed, or null. */
    static @Nullable String run(long seed, Runtime runtime, InjectedBugs bugs, Tally coverage) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<List<Step>> scripts = scripts(rnd, runtime == Runtime.SIMULATED);
        boolean adopt = runtime != Runtime.SIMULATED && seed % 4 == 1;
        if (adopt) {
            // An adopted task's body runs on the adopting thread, which reports no fault: its script makes none
            List<Step> adopted = scripts.get(ThreadedRun.ADOPTED);
            scripts.set(ThreadedRun.ADOPTED, adopted.stream().map(x -> x.op() == Step.Op.FAULT ? x.with(Step.Op.TASK_INFO) : x).toList());
        }
        int padding = (int) (seed % 3) * 20; // tasks with ids past 16, 36, 56: the runtimes' tables grow
        RuntimeWorld w = new RuntimeWorld(bugs, padding);
        List<Fault> faults = new ArrayList<>();
        List<Runs> returned = new ArrayList<>();
        List<TaskBody> bodies = new ArrayList<>();
        List<Thread> bodyThreads = java.util.Collections.synchronizedList(new ArrayList<>());
        boolean alone = runtime == Runtime.SIMULATED;
        // No body runs before every task is started, as on the driver (a Restart of an unstarted task is refused).
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(alone ? 0 : 1);
        for (int t = 0; t < RuntimeWorld.TASKS; t++) {
            List<Step> script = scripts.get(t);
            Step.Buffers buffers = w.buffers(t);
            Runs runs = new Runs();
            returned.add(runs);
            int task = t;
            bodies.add(sys -> {
                awaitUninterruptibly(gate);
                bodyThreads.add(Thread.currentThread());
                w.started(task, sys.ipc(), alone);
                // touched by this run's body between its syscalls only
                List<String> got = runs.begin(w.kernel.inspect().tasks().get(task).restarts());
                for (Step s : script) {
                    got.add(s.run(sys, buffers).name());
                }
            });
        }
        Ran[] ran = new Ran[1];
        String problem;
        try {
            problem = runtime == Runtime.SIMULATED ? SimulatedRun.simulated(w, bodies, bodyThreads, returned, rnd, faults, coverage, ran)
                    : ThreadedRun.threaded(w, bodies, gate, adopt, returned, runtime, rnd, faults, coverage, ran);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        if (problem == null) {
            List<Event> traced = Objects.requireNonNull(ran[0]).traced();
            String name = runtime.name().toLowerCase(java.util.Locale.ROOT) + ": ";
            for (int k = 0; k < traced.size(); k++) {
                Event e = traced.get(k);
                coverage.count(name + (e.op() == null ? "syscall blocked, completed by another task" : "syscall"));
                if (e.op() == null && e.outcome().equals("TIMEOUT") && !BodyChecks.timedOutAtOnce(traced, k)) {
                    coverage.count(name + "blocked syscall timed out on the virtual clock");
                }
            }
            problem = w.tracerSawWrong();
            Replay.Control control = new Replay.Control();
            if (problem == null) {
                problem = Replay.replay(scripts, faults, traced, ran[0].end(), bugs, padding, coverage, name, control);
            }
            if (problem == null) {
                problem = BodyChecks.bodiesSaw(ran[0].returned(), traced, faults, control);
            }
        }
        return problem == null ? null : problem + (faults.isEmpty() ? "" : "\nfaults made by the test: " + faults);
    }

    /** Waits for {@code gate}; an interrupt is kept for later. */
    static void awaitUninterruptibly(java.util.concurrent.CountDownLatch gate) {
        boolean interrupted = false;
        while (true) {
            try {
                gate.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Four scripts of 3 to 16 steps; {@code timed}: some with finite timeouts (the simulated runtime's). */
    private static List<List<Step>> scripts(SplittableRandom rnd, boolean timed) {
        List<List<Step>> scripts = new ArrayList<>();
        long mr = 1;
        for (int t = 0; t < RuntimeWorld.TASKS; t++) {
            List<Step> script = new ArrayList<>();
            for (int i = 3 + rnd.nextInt(14); i > 0; i--) {
                script.add(Step.random(rnd, mr++, timed));
            }
            scripts.add(script);
        }
        return scripts;
    }

}
