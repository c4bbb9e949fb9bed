package io.capipc.kernel;

import io.capipc.api.Syscalls;
import io.capipc.api.TaskBody;
import io.capipc.api.TaskState;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.run.RuntimePort;
import io.capipc.kernel.run.SimulatedSyscalls;
import io.capipc.kernel.run.Turns;
import io.capipc.kernel.object.Registers;
import io.capipc.kernel.syscall.TaskRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The simulated runtime (docs/semantics.md §10): ordinary task bodies, the same {@link TaskBody}s the
 * {@link ThreadedRuntime} runs, run one at a time in an order a seed chooses, on a virtual clock, so a
 * run is reproducible from its seed (deterministic simulation, as FoundationDB and TigerBeetle test
 * their servers).
 *
 * <p><b>Design.</b> Each body runs on its own thread, but only the thread holding the turn runs
 * ({@code run.Turns}). Every syscall is a scheduling point: the kernel's transition is taken (the
 * very transition the threaded runtime takes; this runtime adds only the turn-passing), then the
 * task gives the turn back, and the scheduler, on the thread that called {@link #run}, picks the next
 * task to run with a {@link SplittableRandom} seeded by the seed, among the tasks the kernel says
 * are RUNNING, in the order they were started. A task whose syscall blocked is not picked until a
 * transition completes it. When no task can run, the virtual clock jumps to the earliest deadline of
 * a blocked syscall and expires it (timeouts cost no real time); when there is none, every task left
 * is blocked for ever and the run ends {@link End#ALL_BLOCKED}, with the kernel's deadlock report.
 *
 * <p>Between runs, the test injects what a real system would suffer: {@link #kill}, {@link #interrupt}
 * (a blocked syscall ends with INTERRUPTED; a running task's stays pending until its next syscall
 * that blocks), {@link #advance} (timeouts), and {@link #revoke}/{@link #delete} of any capability.
 * {@link #run(long)} stops after a number of turns, so that faults land at a point the seed chose.
 *
 * <p>Determinism holds for bodies that talk to each other only through their syscalls (or through
 * plain Java state they touch only between syscalls) and that do not read the real clock, start
 * threads or block outside their syscalls; a turn that lasts longer than the turn limit in real time
 * is reported as a body that blocks outside its syscalls. The runtime's methods other than
 * {@link #start} are for the thread that drives the simulation, not for task bodies.
 */
public final class SimulatedRuntime implements AutoCloseable {
    /** The default real time one turn may take before the run is declared stuck. */
    public static final Duration DEFAULT_TURN_LIMIT = Duration.ofSeconds(60);

    /** How a run ended. */
    public enum End {
        /** Every started task's body returned, threw, or was killed. */
        ALL_ENDED,
        /** Tasks are left, and each is blocked with no deadline: nothing can happen any more. */
        ALL_BLOCKED,
        /** The run reached its turn limit with tasks still able to run. */
        STEP_LIMIT
    }

    /**
     * What a run did.
     *
     * @param turns the turns this run gave
     * @param now the virtual clock at the end
     * @param blocked the tasks still blocked, in start order
     * @param deadlocked the kernel's deadlock report (docs/semantics.md guarantee 12) at the end
     */
    public record Result(End end, long turns, long now, List<TaskHandle> blocked, List<TaskHandle> deadlocked) {
        public Result {
            blocked = List.copyOf(blocked);
            deadlocked = List.copyOf(deadlocked);
        }
    }

    private final Kernel kernel;
    private final long seed;
    private final SplittableRandom random;
    private final RuntimePort port;
    private final Turns turns;
    private final List<Sim> tasks = new ArrayList<>();
    private final List<TaskHandle> schedule = new ArrayList<>();
    private final Map<TaskHandle, Throwable> failures = new LinkedHashMap<>();
    /** The virtual clock, in nanoseconds. */
    private long now;

    /**
     * One started task: its handle, its kernel object, its body, the thread of its current run,
     * whether that run's body ended, and whether a Restart waits for it to end to start the next.
     */
    private static final class Sim {
        final TaskHandle handle;
        final Task task;
        final TaskBody body;
        @Nullable Thread thread;
        boolean ended;
        boolean restartPending;

        Sim(TaskHandle handle, Task task, TaskBody body) {
            this.handle = handle;
            this.task = task;
            this.body = body;
        }
    }

    /** A simulated runtime for {@code kernel} (which must not have a runtime yet), scheduled by {@code seed}. */
    public SimulatedRuntime(Kernel kernel, long seed) {
        this(kernel, seed, DEFAULT_TURN_LIMIT);
    }

    /** As {@link #SimulatedRuntime(Kernel, long)}, with the real time one turn may take. */
    public SimulatedRuntime(Kernel kernel, long seed, Duration turnLimit) {
        if (turnLimit.isNegative() || turnLimit.isZero()) {
            throw new IllegalArgumentException("the turn limit must be positive, was " + turnLimit);
        }
        this.kernel = kernel;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.port = kernel.attach("a SimulatedRuntime (seed " + seed + ")");
        port.sequential();
        this.turns = new Turns(port, turnLimit.toNanos());
        port.waker(task -> { }); // who may run is read from the tasks' states at each turn
        port.clock(() -> now);
        port.runner(new TaskRunner() {
            @Override
            public boolean canRestart(Task t) {
                return simOf(t) != null; // every task started here has its body; an unstarted one does not
            }

            @Override
            public void killing(Task t) {
                turns.kill(t); // a Kill syscall: the body unwinds at its next turn, as after kill()
                Sim s = simOf(t);
                if (s != null) {
                    s.restartPending = false; // killed again before its restart began: it stays dead
                }
            }

            @Override
            public @Nullable Registers freshIpc(Task t) {
                return null; // cleared in place: the old run's thread makes no syscall again, and only one thread runs
            }

            @Override
            public void restarted(Task t) {
                Sim s = java.util.Objects.requireNonNull(simOf(t), "canRestart said it had a body");
                if (s.ended) {
                    begin(s); // its last run is over: the next starts now, and runs when the scheduler picks it
                } else {
                    s.restartPending = true; // its last run unwinds at its next turn; then the next begins
                }
            }
        });
    }

    /** The kernel this runtime runs. */
    public Kernel kernel() {
        return kernel;
    }

    /** The seed that chooses the order. */
    public long seed() {
        return seed;
    }

    /** Now, on the virtual clock, in nanoseconds. */
    public long now() {
        return now;
    }

    /**
     * Starts {@code task}, which must be INACTIVE, running {@code body}; it runs only when the
     * scheduler gives it a turn. A body may start other tasks.
     */
    public void start(TaskHandle task, TaskBody body) {
        for (Sim s : tasks) {
            if (s.handle.equals(task)) {
                throw new IllegalArgumentException(task + " was already started");
            }
        }
        Task t = kernel.task(task);
        Sim sim = new Sim(task, t, body);
        turns.register(t);
        port.start(t);
        tasks.add(sim);
        sim.thread = Thread.ofPlatform().daemon().name(task.name()).unstarted(() -> runBody(sim, body));
        sim.thread.start();
    }

    /**
     * A Restart's new run of {@code s}'s body (docs/semantics.md §13): the task is RUNNING again in the
     * kernel; a new thread, waiting for its first turn like any started task's, runs the body from
     * the start. Only once the old run's thread has ended, so the two never share the task's turns.
     */
    private void begin(Sim s) {
        s.restartPending = false;
        s.ended = false;
        turns.reset(s.task);
        Thread thread = Thread.ofPlatform().daemon().name(s.handle.name() + "#" + s.task.restarts())
                .unstarted(() -> runBody(s, s.body));
        s.thread = thread;
        thread.start();
    }

    private @Nullable Sim simOf(Task t) {
        for (Sim s : tasks) {
            if (s.task == t) {
                return s;
            }
        }
        return null;
    }

    /** Runs until every task has ended or every task left is blocked for ever. */
    public Result run() throws InterruptedException {
        return run(Long.MAX_VALUE);
    }

    /**
     * Runs at most {@code maxTurns} turns (a turn: one task runs up to its next syscall, and takes it).
     *
     * @throws IllegalStateException if called from a task body, or if a turn outlasts the turn limit
     */
    public Result run(long maxTurns) throws InterruptedException {
        if (maxTurns < 0) {
            throw new IllegalArgumentException("maxTurns must be >= 0, was " + maxTurns);
        }
        requireDriver("run");
        long turnsGiven = 0;
        while (true) {
            List<Sim> ready = ready();
            long next = ready.isEmpty() ? earliestDeadline() : 0;
            if (ready.isEmpty() && !anyAlive()) {
                return result(End.ALL_ENDED, turnsGiven);
            }
            if (ready.isEmpty() && next == Syscalls.FOREVER) {
                return result(End.ALL_BLOCKED, turnsGiven);
            }
            if (turnsGiven == maxTurns) {
                return result(End.STEP_LIMIT, turnsGiven); // a jump of the clock, too, waits for the next run
            }
            if (ready.isEmpty()) {
                now = Math.max(now, next); // nothing can run before the earliest deadline: time jumps to it
                int expired = port.expireDue();
                assert expired > 0 : "the earliest deadline expired nothing";
                continue;
            }
            Sim pick = ready.get(random.nextInt(ready.size()));
            schedule.add(pick.handle);
            turns.runTurn(pick.task);
            if (pick.ended && pick.restartPending) {
                begin(pick); // the killed run has unwound; the restarted one waits for its first turn
            }
            turnsGiven++;
        }
    }

    /** Moves the virtual clock forward by {@code nanos} and expires what is due; returns how many. */
    public int advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time only moves forward, was " + nanos);
        }
        requireDriver("advance");
        now += nanos;
        return port.expireDue();
    }

    /**
     * Kills {@code task} wherever it is (docs/semantics.md §6): it leaves every queue and dies; its body
     * unwinds at its next turn (its syscall throws, and no fault is reported).
     */
    public void kill(TaskHandle task) {
        Sim s = sim(task);
        port.kill(s.task);
        if (!s.ended) {
            turns.kill(s.task);
        }
    }

    /**
     * Interrupts {@code task}: a blocked syscall ends with INTERRUPTED (true); a running task's
     * interrupt stays pending and ends its next syscall that blocks (false), as on the threaded
     * runtime.
     */
    public boolean interrupt(TaskHandle task) {
        Sim s = sim(task);
        if (s.task.state().isBlocked()) {
            return port.expire(s.task, io.capipc.api.Status.INTERRUPTED);
        }
        if (s.task.state() == TaskState.RUNNING) {
            turns.interruptLater(s.task);
        }
        return false;
    }

    /** Revokes the capability in {@code slot} of {@code space}: every descendant goes, as Revoke does. */
    public void revoke(SpaceHandle space, int slot) {
        port.deleteOrRevoke(kernel.space(space), slot, true);
    }

    /** Deletes the capability in {@code slot} of {@code space}, as Delete does. */
    public void delete(SpaceHandle space, int slot) {
        port.deleteOrRevoke(kernel.space(space), slot, false);
    }

    /** {@code task}'s state now. */
    public TaskState state(TaskHandle task) {
        return kernel.task(task).state();
    }

    /** Which task had each turn so far, in order: the interleaving the seed chose. */
    public List<TaskHandle> schedule() {
        return Collections.unmodifiableList(new ArrayList<>(schedule));
    }

    /** The bodies that threw (not those killed), by task, in the order they threw. */
    public Map<TaskHandle, Throwable> failures() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /** Kills every task still alive and lets their bodies unwind, so no thread is left behind. */
    @Override
    public void close() throws InterruptedException {
        requireDriver("close");
        for (Sim s : tasks) {
            if (!s.ended) {
                kill(s.handle);
            }
        }
        for (Sim s : tasks) {
            if (!s.ended) {
                turns.runTurn(s.task);
            }
        }
    }

    private void runBody(Sim sim, TaskBody body) {
        try {
            turns.awaitFirstTurn(sim.task);
        } catch (InterruptedException e) {
            return; // nobody will ever give it a turn
        }
        Throwable failure = null;
        try {
            if (!turns.isKilled(sim.task)) {
                body.run(new SimulatedSyscalls(turns, sim.task, Thread.currentThread()));
            }
        } catch (Turns.Killed killed) {
            // the kill was the transition; the body only had to unwind
        } catch (Throwable e) {
            failure = e;
        }
        if (!turns.isKilled(sim.task)) {
            if (failure == null) {
                var unused = port.exit(sim.task); // the end of a body is not refused
            } else {
                failures.put(sim.handle, failure);
                var unused = port.fault(sim.task, failure); // its kind in TaskInfo and TASK_FAULTED, as on threads
            }
        }
        sim.ended = true;
        turns.endTurns();
    }

    /** The tasks that may take a turn: RUNNING (or killed, to unwind), in start order. */
    private List<Sim> ready() {
        List<Sim> ready = new ArrayList<>();
        for (Sim s : tasks) {
            if (!s.ended && (s.task.state() == TaskState.RUNNING || turns.isKilled(s.task))) {
                ready.add(s);
            }
        }
        return ready;
    }

    private boolean anyAlive() {
        for (Sim s : tasks) {
            if (!s.ended) {
                return true;
            }
        }
        return false;
    }

    private long earliestDeadline() {
        long next = Syscalls.FOREVER;
        for (Sim s : tasks) {
            if (!s.ended && s.task.state().isBlocked()) {
                next = Math.min(next, s.task.deadline());
            }
        }
        return next;
    }

    private Result result(End end, long turnsGiven) {
        List<TaskHandle> blocked = new ArrayList<>();
        for (Sim s : tasks) {
            if (!s.ended && s.task.state().isBlocked()) {
                blocked.add(s.handle);
            }
        }
        List<TaskHandle> deadlocked = new ArrayList<>();
        for (int id : kernel.deadlocked()) {
            for (Sim s : tasks) {
                if (s.task.id() == id) {
                    deadlocked.add(s.handle);
                }
            }
        }
        return new Result(end, turnsGiven, now, blocked, deadlocked);
    }

    private Sim sim(TaskHandle task) {
        Task t = kernel.task(task);
        for (Sim s : tasks) {
            if (s.task == t) {
                return s;
            }
        }
        throw new IllegalArgumentException(task + " was not started on this runtime");
    }

    /** The driving calls are not for task bodies: a body that ran the scheduler would wait for itself. */
    private void requireDriver(String what) {
        Thread current = Thread.currentThread();
        for (Sim s : tasks) {
            if (s.thread == current) {
                throw new IllegalStateException(what + " was called from the body of " + s.handle
                        + "; only the thread driving the simulation may call it");
            }
        }
    }
}
