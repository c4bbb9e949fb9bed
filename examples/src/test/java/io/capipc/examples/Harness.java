package io.capipc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.TaskBody;
import io.capipc.api.TaskState;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.SimulatedRuntime;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One test body, either runtime: the same task bodies run on the threaded runtime (real threads) and
 * on the simulated one (one at a time, in a seeded order, on a virtual clock). A test builds its
 * system on {@link #kernel()}, starts bodies, then waits for the tasks it names to end.
 */
public abstract class Harness implements AutoCloseable {
    /** The runtimes every example test runs on: threads, and three seeds of the simulation. */
    public static List<String> runtimes() {
        return List.of("threaded", "simulated:1", "simulated:2", "simulated:3");
    }

    final Kernel kernel = new Kernel();

    /** A harness for {@code name}, one of {@link #runtimes()}. */
    public static Harness of(String name) {
        return name.equals("threaded") ? new Threaded() : new Simulated(Long.parseLong(name.substring("simulated:".length())));
    }

    public Kernel kernel() {
        return kernel;
    }

    public abstract void start(TaskHandle task, TaskBody body);

    /** Runs until every task in {@code tasks} has ended, and checks that no body threw. */
    public abstract void awaitEnded(TaskHandle... tasks) throws InterruptedException;

    /** Interrupts a task: its blocked syscall ends with INTERRUPTED. */
    public abstract void interrupt(TaskHandle task);

    /** Runs until {@code task} is blocked (in a Call, waiting for its reply, typically). */
    public abstract void awaitBlocked(TaskHandle task) throws InterruptedException;

    /** Kills a task (simulated only: a threaded test has no way to kill a thread at a chosen point). */
    public void kill(TaskHandle task) {
        throw new UnsupportedOperationException("kills are injected by the simulated runtime");
    }

    static final class Threaded extends Harness {
        private final ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        private final Map<TaskHandle, Thread> threads = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void start(TaskHandle task, TaskBody body) {
            threads.put(task, rt.start(task, body));
        }

        /** The threaded harness checks failures at the end; a task meant to fail is left out. */
        static void expectFailure(Harness h, TaskHandle task) {
            if (h instanceof Threaded t) {
                t.expected.add(task);
            }
        }

        private final java.util.Set<TaskHandle> expected = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void interrupt(TaskHandle task) {
            java.util.Objects.requireNonNull(threads.get(task), "not started here").interrupt();
        }

        @Override
        public void awaitBlocked(TaskHandle task) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!kernel.inspect().task(task.id()).state().isBlocked()) {
                assertTrue(System.nanoTime() < deadline, task + " did not block");
                Thread.sleep(1);
            }
        }

        @Override
        public void awaitEnded(TaskHandle... tasks) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (TaskHandle t : tasks) {
                while (kernel.inspect().task(t.id()).state() != TaskState.DEAD) {
                    assertTrue(System.nanoTime() < deadline, t + " did not end");
                    Thread.sleep(1);
                }
            }
            Map<TaskHandle, Throwable> failures = new java.util.HashMap<>(rt.failures());
            failures.keySet().removeAll(expected);
            assertEquals(Map.of(), failures);
        }

        @Override
        public void close() {
            // the server threads are daemons, blocked in Recv; nothing to wait for
        }
    }

    static final class Simulated extends Harness {
        final SimulatedRuntime rt;

        Simulated(long seed) {
            rt = new SimulatedRuntime(kernel, seed);
        }

        @Override
        public void start(TaskHandle task, TaskBody body) {
            rt.start(task, body);
        }

        @Override
        public void awaitEnded(TaskHandle... tasks) throws InterruptedException {
            SimulatedRuntime.Result r = rt.run();
            for (TaskHandle t : tasks) {
                assertEquals(TaskState.DEAD, rt.state(t), t + " did not end; the run ended " + r);
            }
            Map<TaskHandle, Throwable> failures = new java.util.HashMap<>(rt.failures());
            failures.keySet().removeIf(t -> failures.get(t).getMessage().contains("on purpose"));
            assertEquals(Map.of(), failures);
        }

        @Override
        public void kill(TaskHandle task) {
            rt.kill(task);
        }

        @Override
        public void interrupt(TaskHandle task) {
            rt.interrupt(task);
        }

        @Override
        public void awaitBlocked(TaskHandle task) throws InterruptedException {
            SimulatedRuntime.Result r = rt.run();
            assertTrue(rt.state(task).isBlocked(), task + " is " + rt.state(task) + "; the run ended " + r);
        }

        @Override
        public void close() throws InterruptedException {
            rt.close();
        }
    }
}
