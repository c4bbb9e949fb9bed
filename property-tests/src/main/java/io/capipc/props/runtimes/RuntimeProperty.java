package io.capipc.props.runtimes;

import io.capipc.kernel.DeterministicDriver;
import io.capipc.api.TaskBody;
import io.capipc.api.TaskState;
import io.capipc.kernel.SimulatedRuntime;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.Tally;
import io.capipc.props.runtimes.RuntimeWorld.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * One transition, two runtimes (docs/semantics.md §10: "both run the same transition code"), as a
 * property. Four task bodies run random scripts of syscalls on a runtime: the {@link SimulatedRuntime},
 * whose scheduler the case's seed drives, with the test killing a task, interrupting a blocked one or
 * deleting a capability between turns; or the {@link ThreadedRuntime}, on platform or on virtual
 * threads, all at once, with the test killing a task whenever every task is blocked or dead. A
 * tracer writes down every transition the kernel took, in order (the kernel's lock orders them).
 * Then a second kernel, booted the same way, is driven by the {@link DeterministicDriver} through the
 * same transitions in the same order: each syscall event of the runtime's trace is the next step of
 * that task's script (or, once the script is done, the Exit the runtime makes when a body returns),
 * each fault is made where it was made. The two traces must be equal event for event (each
 * syscall's arguments and outcome, each completion's status, what the IPC buffer shows after each),
 * each body must have got back the statuses the trace gives its syscalls, and the two kernels' views
 * must be equal at the end. A runtime that took a transition of its own, lost or misdirected a wake,
 * completed a syscall twice or handed a body another status than the kernel's fails it.
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
    public static final List<String> SITUATIONS = List.of("simulated: syscall blocked, completed by another task",
            "simulated: blocked task interrupted between turns", "simulated: dead task interrupted between turns (nothing to end)",
            "simulated: task killed between turns",
            "simulated: capability deleted between turns", "simulated: capability revoked between turns",
              "simulated: clock advanced between turns", "simulated: body threw (a fault the runtime reports)",
            "threaded: body threw (a fault the runtime reports)", "virtual: body threw (a fault the runtime reports)",
            "threaded: task adopted by a thread of the caller's", "virtual: task adopted by a thread of the caller's",
            "simulated: blocked syscall timed out on the virtual clock",
            "simulated: body returned (the runtime's Exit)", "simulated: task restarted by a body's Restart",
            "simulated: task killed by a body's Kill", "threaded: task restarted by a body's Restart",
            "virtual: task restarted by a body's Restart", "threaded: blocked task interrupted (Thread.interrupt)",
            "virtual: blocked task interrupted (Thread.interrupt)",
            "simulated: run ended with every task left blocked", "threaded: syscall blocked, completed by another task",
            "threaded: blocked task killed", "threaded: body returned (the runtime's Exit)",
            "threaded: run ended with every task left blocked", "virtual: syscall blocked, completed by another task",
            "virtual: blocked task killed", "virtual: body returned (the runtime's Exit)",
            "virtual: run ended with every task left blocked");

    /** A failure: its seed and what differed. */
    public record Report(long seed, String message) {
        @Override
        public String toString() {
            return "RuntimeProperty failed for seed " + seed + ": " + message + "\nreplay: -Dcapipc.props.seed=" + seed;
        }
    }

    /** What the test thread did between turns, after {@code at} traced events. */
    private record Fault(Kind kind, int target, int at) {
        /** ADVANCE's target is the nanoseconds the clock moved. */
        enum Kind { KILL, INTERRUPT, DELETE, REVOKE, ADVANCE }
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
    private record Ran(List<Event> traced, KernelView end, List<Runs> returned) {
        Ran(List<Event> traced, KernelView end, List<Runs> returned) {
            this.traced = List.copyOf(traced);
            this.end = end;
            this.returned = returned.stream().map(Runs::copy).toList();
        }
    }

    /**
     * The statuses one task's body got back, by run: the task's restart count when the run began,
     * and each list a body of that run kept (two, rarely, on the threaded runtime: a run restarted
     * again before its body read the count shares it with the next).
     */
    private record Runs(java.util.Map<Integer, List<List<String>>> byRun) {
        Runs() {
            this(new java.util.HashMap<>());
        }

        synchronized List<String> begin(int run) {
            List<String> got = new ArrayList<>();
            byRun.computeIfAbsent(run, r -> new ArrayList<>()).add(got);
            return got;
        }

        synchronized Runs copy() {
            java.util.Map<Integer, List<List<String>>> c = new java.util.HashMap<>();
            byRun.forEach((r, lists) -> c.put(r, lists.stream().map(List::copyOf).toList()));
            return new Runs(c);
        }

        List<List<String>> of(int run) {
            return byRun.getOrDefault(run, List.of(List.of()));
        }
    }

    /** What the replay learnt from the kernel that the trace does not say: where bodies restarted or killed {@link RuntimeWorld#TARGET}. */
    private record Control(List<Integer> restarts, boolean[] killed) {
        Control() {
            this(new ArrayList<>(), new boolean[1]);
        }
    }

    /** One case: the run on {@code runtime}, then its replay; what differed, or null. */
    static @Nullable String run(long seed, Runtime runtime, InjectedBugs bugs, Tally coverage) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<List<Step>> scripts = scripts(rnd, runtime == Runtime.SIMULATED);
        boolean adopt = runtime != Runtime.SIMULATED && seed % 4 == 1;
        if (adopt) {
            // An adopted task's body runs on the adopting thread, which reports no fault: its script makes none
            scripts.set(ADOPTED, scripts.get(ADOPTED).stream().map(x -> x.op() == Step.Op.FAULT ? x.with(Step.Op.TASK_INFO) : x).toList());
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
            problem = runtime == Runtime.SIMULATED ? simulated(w, bodies, bodyThreads, returned, rnd, faults, coverage, ran)
                    : threaded(w, bodies, gate, adopt, returned, runtime, rnd, faults, coverage, ran);
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
                if (e.op() == null && e.outcome().equals("TIMEOUT") && !timedOutAtOnce(traced, k)) {
                    coverage.count(name + "blocked syscall timed out on the virtual clock");
                }
            }
            problem = w.tracerMismatch();
            Control control = new Control();
            if (problem == null) {
                problem = replay(scripts, faults, traced, ran[0].end(), bugs, padding, coverage, name, control);
            }
            if (problem == null) {
                problem = bodiesSaw(ran[0].returned(), traced, faults, control);
            }
        }
        return problem == null ? null : problem + (faults.isEmpty() ? "" : "\nfaults made by the test: " + faults);
    }

    private static @Nullable String simulated(RuntimeWorld w, List<TaskBody> bodies, List<Thread> bodyThreads, List<Runs> returned,
                                              SplittableRandom rnd, List<Fault> faults, Tally coverage, Ran[] ran) throws InterruptedException {
        long seed = rnd.nextLong();
        String problem = simulated(w, bodies, returned, rnd, faults, coverage, ran, seed);
        for (Thread t : List.copyOf(bodyThreads)) { // close ends every body's thread, killed ones too, blocked or not
            if (!t.join(Duration.ofSeconds(10))) {
                return problem != null ? problem : "the body thread " + t.getName() + " was left running after the runtime closed";
            }
        }
        return problem;
    }

    private static @Nullable String simulated(RuntimeWorld w, List<TaskBody> bodies, List<Runs> returned, SplittableRandom rnd,
                                              List<Fault> faults, Tally coverage, Ran[] ran, long seed) throws InterruptedException {
        try (SimulatedRuntime rt = new SimulatedRuntime(w.kernel, seed, Duration.ofSeconds(30))) {
            if (rt.kernel() != w.kernel || rt.seed() != seed) {
                return "the simulated runtime names another kernel or seed: " + rt.kernel() + ", " + rt.seed();
            }
            w.clock = rt::now;
            for (int t = 0; t < RuntimeWorld.TASKS; t++) {
                rt.start(w.tasks[t], bodies.get(t));
            }
            String stuck = simulate(rt, w, rnd, faults, coverage);
            if (stuck != null) {
                return stuck;
            }
            String threw = onlyPlanted(rt.failures(), w);
            if (threw != null) {
                return threw;
            }
            ran[0] = new Ran(w.events, w.kernel.inspect(), returned);
            return null;
        }
    }

    /**
     * The bodies on the threaded runtime's platform or virtual threads, all at once. Whenever every task is blocked or dead, nothing
     * more can happen (no syscall has a timeout), so the trace is complete so far; then the test
     * may kill a task, which wakes nothing but what the kill completes, and waits for the next such
     * moment.
     */
    private static @Nullable String threaded(RuntimeWorld w, List<TaskBody> bodies, java.util.concurrent.CountDownLatch gate,
                                             boolean adopt, List<Runs> returned, Runtime kind, SplittableRandom rnd, List<Fault> faults, Tally coverage, Ran[] ran) throws InterruptedException {
        // A blocked syscall spins, then parks (docs/semantics.md §10): parking at once, after 2 us, or after the default spin
        Duration spin = switch (rnd.nextInt(3)) {
            case 0 -> Duration.ZERO;
            case 1 -> Duration.ofNanos(2_000);
            default -> ThreadedRuntime.DEFAULT_SPIN;
        };
        ThreadedRuntime rt = new ThreadedRuntime(w.kernel,
                kind == Runtime.VIRTUAL ? ThreadedRuntime.Threads.VIRTUAL : ThreadedRuntime.Threads.PLATFORM, spin);
        if (rt.kernel() != w.kernel) {
            return "the threaded runtime names another kernel: " + rt.kernel();
        }
        String name = kind.name().toLowerCase(java.util.Locale.ROOT) + ": ";
        Thread[] threads = new Thread[RuntimeWorld.TASKS];
        for (int t = 0; t < RuntimeWorld.TASKS; t++) {
            if (adopt && t == ADOPTED) {
                TaskHandle task = w.tasks[t];
                TaskBody body = bodies.get(t);
                threads[t] = Thread.ofPlatform().daemon().name("adopter").start(() -> adopted(rt, task, body));
                coverage.count(name + "task adopted by a thread of the caller's");
            } else {
                threads[t] = rt.start(w.tasks[t], bodies.get(t));
            }
        }
        gate.countDown();
        String problem;
        try {
            problem = drive(rt, w, threads, returned, name, rnd, faults, coverage, ran);
        } finally {
            for (int t = 0; t < RuntimeWorld.TASKS; t++) {
                rt.kill(w.tasks[t]);
            }
            if (!rt.awaitTermination(Duration.ofSeconds(10)) || !threads[ADOPTED].join(Duration.ofSeconds(10))) {
                throw new IllegalStateException("the threaded runtime's bodies did not end after Kill");
            }
        }
        return problem != null ? problem : onlyPlanted(rt.failures(), w);
    }

    /** Settles, kills or interrupts, settles again, until the budget of faults is spent; what went wrong, or null. */
    private static @Nullable String drive(ThreadedRuntime rt, RuntimeWorld w, Thread[] threads, List<Runs> returned, String name,
                                          SplittableRandom rnd, List<Fault> faults, Tally coverage, Ran[] ran) {
        for (int budget = rnd.nextInt(3); ; budget--) {
            KernelView still = settle(w);
            if (still == null) {
                return "the threaded run did not settle within 10 s: " + w.kernel.inspect().tasks();
            }
            List<Integer> alive = new ArrayList<>();
            for (int t = 0; t < RuntimeWorld.TASKS; t++) {
                if (still.tasks().get(t).state() != TaskState.DEAD) {
                    alive.add(t);
                }
            }
            if (budget == 0 || alive.isEmpty()) {
                if (!alive.isEmpty()) {
                    coverage.count(name + "run ended with every task left blocked");
                }
                ran[0] = new Ran(w.events, still, returned);
                return null;
            }
            int t = alive.get(rnd.nextInt(alive.size()));
            if (t != RuntimeWorld.TARGET && rnd.nextBoolean() && still.tasks().get(t).state().isBlocked()) {
                // A Java interrupt of the blocked body's thread (task 3's may be a restarted run's, so not it)
                int at = w.events.size();
                faults.add(new Fault(Fault.Kind.INTERRUPT, t, at));
                threads[t].interrupt();
                coverage.count(name + "blocked task interrupted (Thread.interrupt)");
                if (!traced(w, at)) {
                    return "the interrupted task's syscall did not end within 10 s: " + w.kernel.inspect().tasks();
                }
                continue;
            }
            faults.add(new Fault(Fault.Kind.KILL, t, w.events.size()));
            rt.kill(w.tasks[t]);
            coverage.count(name + "blocked task killed");
        }
    }

    /**
     * Whether the kernel traced a transition after the first {@code at} within 10 s: the interrupted
     * thread's own expiry, the only thing that can happen while every other task is blocked.
     */
    private static boolean traced(RuntimeWorld w, int at) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            var _ = w.kernel.inspect(); // takes the kernel's lock, so the events written under it are seen
            if (w.events.size() > at) {
                return true;
            }
            LockSupport.parkNanos(50_000);
        }
        return false;
    }

    /**
     * The task an adopting thread runs in a quarter of the threaded cases (docs/semantics.md §10:
     * {@code ThreadedRuntime.adopt} and {@code exit}); never {@link RuntimeWorld#TARGET}, which the
     * runtime could not restart.
     */
    private static final int ADOPTED = 2;

    /** An adopting thread: the task's body on this thread, then Exit, as a started body's thread does. */
    private static void adopted(ThreadedRuntime rt, TaskHandle task, TaskBody body) {
        try {
            body.run(rt.adopt(task));
            rt.exit(task);
        } catch (Throwable killed) {
            // Killed (the kernel's TaskKilled unwinds the thread): the kill ended the task, as for a started body
        }
    }

    /**
     * What the runtime's failures say wrongly, or null: a body threw something but a planted fault,
     * or the bodies named are not exactly the tasks whose fault the kernel traced.
     */
    private static @Nullable String onlyPlanted(java.util.Map<TaskHandle, Throwable> failures, RuntimeWorld w) {
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

    /** Waits for {@code gate}; an interrupt is kept for later. */
    private static void awaitUninterruptibly(java.util.concurrent.CountDownLatch gate) {
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

    /** The kernel's view once every task is blocked or dead, or null if that did not happen within 10 s. */
    private static @Nullable KernelView settle(RuntimeWorld w) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            KernelView v = w.kernel.inspect();
            if (v.tasks().stream().allMatch(t -> t.state() == TaskState.DEAD || t.state().isBlocked())) {
                return v;
            }
            LockSupport.parkNanos(50_000);
        }
        return null;
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

    /** Runs a few turns at a time, with a fault between some of them, until nothing more can happen. */
    private static @Nullable String simulate(SimulatedRuntime rt, RuntimeWorld w, SplittableRandom rnd, List<Fault> faults,
                                             Tally coverage) throws InterruptedException {
        int budget = rnd.nextInt(5);
        for (int rounds = 0; rounds < 1000; rounds++) {
            int turns = rnd.nextInt(8);
            int before = w.events.size();
            SimulatedRuntime.Result r = rt.run(turns);
            String wrong = howItEnded(r, turns, w, rt.now());
            long taken = w.events.subList(before, w.events.size()).stream().filter(e -> e.op() != null).count();
            if (wrong == null && (r.turns() < 0 || taken > r.turns())) {
                wrong = "the simulated run reported " + r.turns() + " turns, in which bodies made " + taken + " syscalls";
            }
            if (wrong != null) {
                return wrong;
            }
            if (r.end() == SimulatedRuntime.End.ALL_ENDED) {
                return null;
            }
            if (r.end() == SimulatedRuntime.End.ALL_BLOCKED && budget == 0) {
                coverage.count("simulated: run ended with every task left blocked");
                return null;
            }
            if (budget > 0 && (r.end() == SimulatedRuntime.End.ALL_BLOCKED || rnd.nextInt(3) == 0)) {
                budget--;
                String answer = fault(rt, w, rnd, faults, coverage);
                if (answer != null) {
                    return answer;
                }
            }
        }
        return "the simulation did not end in 1000 rounds";
    }

    /**
     * What a simulated run reports agrees with the kernel: ALL_ENDED when every task is dead, ALL_BLOCKED
     * when every task left is blocked (none has a deadline here), and those tasks as its blocked ones;
     * STEP_LIMIT after exactly the turns asked for, and never more turns than that.
     */
    private static @Nullable String howItEnded(SimulatedRuntime.Result r, int asked, RuntimeWorld w, long now) {
        List<io.capipc.kernel.inspect.KernelView.TaskView> tasks = w.kernel.inspect().tasks();
        List<String> blocked = new ArrayList<>();
        boolean allDead = true;
        boolean timed = false;
        for (int t = 0; t < RuntimeWorld.TASKS; t++) {
            TaskState state = tasks.get(t).state();
            allDead &= state == TaskState.DEAD;
            if (state.isBlocked()) {
                blocked.add(w.tasks[t].name());
                timed |= tasks.get(t).deadline() != io.capipc.api.Syscalls.FOREVER;
            }
        }
        List<String> reported = r.blocked().stream().map(io.capipc.kernel.TaskHandle::name).toList();
        boolean right = switch (r.end()) {
            case ALL_ENDED -> allDead;
            case ALL_BLOCKED -> !allDead && !timed && blocked.size() == tasks.stream().filter(t -> t.state() != TaskState.DEAD).count()
                    && reported.equals(blocked);
            case STEP_LIMIT -> r.turns() == asked;
        };
        return right && r.turns() <= asked && r.now() == now ? null
                : "the simulated run ended " + r.end() + " after " + r.turns() + " of " + asked + " turns, reporting " + reported
                        + " blocked at " + r.now() + " ns (the clock: " + now + "), while the kernel has " + blocked + " blocked"
                        + (timed ? ", one with a deadline" : "") + (allDead ? " and every task dead" : "");
    }

    /** One fault between turns; what the runtime answered wrongly, or null. */
    private static @Nullable String fault(SimulatedRuntime rt, RuntimeWorld w, SplittableRandom rnd, List<Fault> faults, Tally coverage) {
        int t = rnd.nextInt(RuntimeWorld.TASKS);
        if (rnd.nextInt(6) == 0) {
            int nanos = 500 * (1 + rnd.nextInt(8));
            int at = w.events.size();
            faults.add(new Fault(Fault.Kind.ADVANCE, nanos, at));
            int expired = rt.advance(nanos);
            long timedOut = w.events.subList(at, w.events.size()).stream().filter(e -> e.op() == null && e.outcome().equals("TIMEOUT")).count();
            coverage.count("simulated: clock advanced between turns");
            return expired == timedOut ? null : "advancing the clock " + nanos + " ns answered " + expired + " expired, the trace shows " + timedOut;
        }
        int roll = rnd.nextInt(10);
        if (roll < 5 && rt.state(w.tasks[t]) == TaskState.DEAD) {
            if (rt.interrupt(w.tasks[t])) {
                return "interrupting dead task " + t + " answered true";
            }
            coverage.count("simulated: dead task interrupted between turns (nothing to end)");
        } else if (roll < 5 && rt.state(w.tasks[t]).isBlocked()) {
            faults.add(new Fault(Fault.Kind.INTERRUPT, t, w.events.size()));
            if (!rt.interrupt(w.tasks[t])) {
                return "interrupting blocked task " + t + " answered false";
            }
            coverage.count("simulated: blocked task interrupted between turns");
        } else if (roll < 6) {
            faults.add(new Fault(Fault.Kind.KILL, t, w.events.size()));
            rt.kill(w.tasks[t]);
            coverage.count("simulated: task killed between turns");
        } else {
            boolean revoke = roll >= 8;
            // a Revoke mostly of a boot capability, which the bodies' copies and mints descend from
            int target = t % 2 * RuntimeWorld.SLOTS + rnd.nextInt(revoke && rnd.nextInt(4) > 0 ? RuntimeWorld.FREE : RuntimeWorld.SLOTS);
            faults.add(new Fault(revoke ? Fault.Kind.REVOKE : Fault.Kind.DELETE, target, w.events.size()));
            int space = target / RuntimeWorld.SLOTS;
            int slot = target % RuntimeWorld.SLOTS;
            if (revoke) {
                rt.revoke(w.spaces[space], slot);
                coverage.count("simulated: capability revoked between turns");
            } else {
                rt.delete(w.spaces[space], slot);
                coverage.count("simulated: capability deleted between turns");
            }
            return left(w, space, slot, revoke);
        }
        return null;
    }

    /**
     * What a Delete or Revoke from outside left wrongly, or null: after a Delete the slot is empty,
     * after a Revoke no capability in any Space descends from it (checked here, against the kernel
     * itself: the replay runs the same code, so it could not tell).
     */
    private static @Nullable String left(RuntimeWorld w, int space, int slot, boolean revoke) {
        KernelView v = w.kernel.inspect();
        int id = w.spaces[space].id();
        java.util.Map<List<Integer>, List<Integer>> parent = new java.util.HashMap<>();
        for (KernelView.SpaceView sv : v.spaces()) {
            for (KernelView.SlotView x : sv.slots()) {
                parent.put(List.of(sv.id(), x.index()), List.of(x.parentSpace(), x.parentSlot()));
            }
        }
        List<Integer> root = List.of(id, slot);
        if (!revoke) {
            return parent.containsKey(root) ? "slot " + slot + " of space " + space + " still holds a capability after Delete" : null;
        }
        for (List<Integer> at : parent.keySet()) {
            for (List<Integer> p = parent.get(at); p != null; p = parent.get(p)) {
                if (p.equals(root)) {
                    return "after Revoke of slot " + slot + " of space " + space + ", " + at + " still descends from it";
                }
            }
        }
        return null;
    }

    /** The same transitions, in the same order, on the deterministic driver; what differed, or null. */
    private static @Nullable String replay(List<List<Step>> scripts, List<Fault> faults, List<Event> traced, KernelView end,
                                           InjectedBugs bugs, int padding, Tally coverage, String runtime, Control control) {
        RuntimeWorld w = new RuntimeWorld(bugs, padding);
        DeterministicDriver d = new DeterministicDriver(w.kernel);
        if (runtime.startsWith("simulated")) {
            w.clock = d::now;
        }
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

    /**
     * Each body got back from its syscalls the statuses the kernel's trace gives them, in order: a
     * syscall's own outcome, or for one that blocked, its completion's status; run by run, for the
     * task bodies restart (each run's syscalls are those traced between two Restarts of it). A run
     * that was killed or restarted may miss its last (its syscall completed, and it was ended before
     * its next turn); Exit is the runtime's, not the body's.
     */
    private static @Nullable String bodiesSaw(List<Runs> returned, List<Event> traced, List<Fault> faults, Control control) {
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
    private static boolean timedOutAtOnce(List<Event> traced, int k) {
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
