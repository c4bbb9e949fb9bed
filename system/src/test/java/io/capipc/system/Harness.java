package io.capipc.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.TaskBody;
import io.capipc.api.TaskState;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.SimulatedRuntime;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One test body on either runtime: real threads, or the simulated runtime (seeded order, virtual
 * clock). A test builds its system on {@link #kernel()}, starts bodies, then waits for the tasks it
 * names to end; bodies that are meant to throw are named with {@link #expectFailure}.
 */
public abstract class Harness implements AutoCloseable {
    /** The runtimes every system test runs on: threads, and three seeds of the simulation. */
    public static List<String> runtimes() {
        return List.of("threaded", "simulated:1", "simulated:2", "simulated:3");
    }

    final Kernel kernel = new Kernel();
    final Set<TaskHandle> expected = ConcurrentHashMap.newKeySet();

    /** A harness for {@code name}, one of {@link #runtimes()}. */
    public static Harness of(String name) {
        return name.equals("threaded") ? new Threaded() : new Simulated(Long.parseLong(name.substring("simulated:".length())));
    }

    public Kernel kernel() {
        return kernel;
    }

    public abstract void start(TaskHandle task, TaskBody body);

    /** Runs until every task in {@code tasks} has ended; checks that no body threw but those expected to. */
    public abstract void awaitEnded(TaskHandle... tasks) throws InterruptedException;

    /** Runs until {@code task} is blocked. */
    public abstract void awaitBlocked(TaskHandle task) throws InterruptedException;

    /**
     * Waits until {@code condition} holds: on the simulated runtime, runs until nothing can run and
     * checks once; on threads, polls for up to 30 s.
     */
    public boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        if (this instanceof Simulated sim) {
            var _ = sim.rt.run();
            return condition.getAsBoolean();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** Kills a task from outside (the runtime's kill). */
    public abstract void kill(TaskHandle task);

    /** The clock a supervisor should time restarts by (virtual on the simulated runtime). */
    public abstract LongSupplier clock();

    /** Failures of bodies, by task. */
    public abstract Map<TaskHandle, Throwable> failures();

    /** {@code task}'s body is meant to throw. */
    public void expectFailure(TaskHandle task) {
        expected.add(task);
    }

    /** Bodies that throw a {@code type} are meant to. */
    public void expectFailures(Class<? extends Throwable> type) {
        expectedTypes.add(type);
    }

    final Set<Class<? extends Throwable>> expectedTypes = ConcurrentHashMap.newKeySet();

    void checkFailures() {
        Map<TaskHandle, Throwable> f = new HashMap<>(failures());
        f.keySet().removeAll(expected);
        f.values().removeIf(t -> expectedTypes.stream().anyMatch(c -> c.isInstance(t)));
        assertEquals(Map.of(), f);
    }

    static final class Threaded extends Harness {
        private final ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);

        @Override
        public void start(TaskHandle task, TaskBody body) {
            rt.start(task, body);
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
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (TaskHandle t : tasks) {
                while (kernel.inspect().task(t.id()).state() != TaskState.DEAD) {
                    assertTrue(System.nanoTime() < deadline, t + " did not end");
                    Thread.sleep(1);
                }
            }
            checkFailures();
        }

        @Override
        public void kill(TaskHandle task) {
            rt.kill(task);
        }

        @Override
        public LongSupplier clock() {
            return System::nanoTime;
        }

        @Override
        public Map<TaskHandle, Throwable> failures() {
            return rt.failures();
        }

        @Override
        public void close() {
            // server threads are daemons blocked in Recv; nothing to wait for
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
            checkFailures();
        }

        @Override
        public void awaitBlocked(TaskHandle task) throws InterruptedException {
            SimulatedRuntime.Result r = rt.run();
            assertTrue(rt.state(task).isBlocked(), task + " is " + rt.state(task) + "; the run ended " + r);
        }

        @Override
        public void kill(TaskHandle task) {
            rt.kill(task);
        }

        @Override
        public LongSupplier clock() {
            return rt::now;
        }

        @Override
        public Map<TaskHandle, Throwable> failures() {
            return rt.failures();
        }

        @Override
        public void close() throws InterruptedException {
            rt.close();
        }
    }
}
