package io.capipc.props.runtimes;

import io.capipc.api.TaskBody;
import io.capipc.api.TaskState;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.props.harness.Tally;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * {@link RuntimeProperty}'s run on the {@link ThreadedRuntime}, platform or virtual threads: every body
 * at once (one, now and then, on a thread of the test's that adopts its task); whenever every task is
 * blocked or dead the test may kill one or interrupt one's thread; then every task is killed and
 * the runtime's failures must be exactly the faults the kernel traced.
 */
final class ThreadedRun {
    private ThreadedRun() {}

    /**
     * The task an adopting thread runs in a quarter of the threaded cases (docs/semantics.md §10:
     * {@code ThreadedRuntime.adopt} and {@code exit}); never {@link RuntimeWorld#TARGET}, which the
     * runtime could not restart.
     */
    static final int ADOPTED = 2;

    /**
     * The bodies on the threaded runtime's platform or virtual threads, all at once. Whenever every
     * task is blocked or dead, nothing more can happen (no syscall has a timeout here), so the trace
     * is complete so far; then the test may kill a task or interrupt one's thread, which wakes nothing
     * but what that completes, and waits for the next such moment.
     */
    static @Nullable String threaded(RuntimeWorld w, List<TaskBody> bodies, java.util.concurrent.CountDownLatch gate,
                                     boolean adopt, List<Runs> returned, RuntimeProperty.Runtime kind, SplittableRandom rnd,
                                     List<Fault> faults, Tally coverage, RuntimeProperty.Ran[] ran) throws InterruptedException {
        // A blocked syscall spins, then parks (docs/semantics.md §10): parking at once, after 2 us, or after the default spin
        Duration spin = switch (rnd.nextInt(3)) {
            case 0 -> Duration.ZERO;
            case 1 -> Duration.ofNanos(2_000);
            default -> ThreadedRuntime.DEFAULT_SPIN;
        };
        ThreadedRuntime rt = new ThreadedRuntime(w.kernel,
                kind == RuntimeProperty.Runtime.VIRTUAL ? ThreadedRuntime.Threads.VIRTUAL : ThreadedRuntime.Threads.PLATFORM, spin);
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
        return problem != null ? problem : BodyChecks.onlyPlanted(rt.failures(), w);
    }

    /** Settles, kills or interrupts, settles again, until the budget of faults is spent; what went wrong, or null. */
    private static @Nullable String drive(ThreadedRuntime rt, RuntimeWorld w, Thread[] threads, List<Runs> returned, String name,
                                          SplittableRandom rnd, List<Fault> faults, Tally coverage, RuntimeProperty.Ran[] ran) {
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
                ran[0] = new RuntimeProperty.Ran(w.events, still, returned);
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

    /** An adopting thread: the task's body on this thread, then Exit, as a started body's thread does. */
    private static void adopted(ThreadedRuntime rt, TaskHandle task, TaskBody body) {
        try {
            body.run(rt.adopt(task));
            rt.exit(task);
        } catch (Throwable killed) {
            // Killed (the kernel's TaskKilled unwinds the thread): the kill ended the task, as for a started body
        }
    }
}
