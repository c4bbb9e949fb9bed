package io.capipc.kernel;

import io.capipc.api.Syscalls;
import io.capipc.api.TaskBody;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.run.Blocking;
import io.capipc.kernel.run.RuntimePort;
import io.capipc.kernel.run.TaskSyscalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The threaded runtime (docs/semantics.md §10): each task runs its body on its own Java thread, platform or
 * virtual. A syscall is the kernel's transition, taken under the kernel's lock; if it leaves the task
 * blocked, the thread spins for a bounded time (a few microseconds by default), then parks, until the
 * transition that completes it wakes it. Nothing else is added to the kernel's semantics.
 *
 * <p>A body is given only its task's {@link Syscalls}; they may be used from that task's thread
 * alone. A body that returns or throws ends its task (Exit): a caller whose context it held gets
 * PEER_DIED. A throw is also kept, for {@link #failures()}, and sends a TASK_FAULTED system message
 * to the task's fault endpoint, if it has one. Threads are daemons, so a task left blocked for ever
 * does not keep the JVM alive.
 *
 * <p>A Java interrupt of a task's thread ends its blocking syscall with INTERRUPTED and clears the
 * interrupt status; a timeout ends it with TIMEOUT (deadlines are on System.nanoTime).
 */
public final class ThreadedRuntime {
    /** Which kind of thread runs each task. */
    public enum Threads {
        /** A platform thread per task: the zero-allocation guarantee holds. */
        PLATFORM,
        /** A virtual thread per task: cheap in numbers; parking allocates inside the JDK. */
        VIRTUAL
    }

    /** The default bounded spin before parking. */
    public static final Duration DEFAULT_SPIN = Duration.ofNanos(20_000);

    private final Kernel kernel;
    private final Threads kind;
    private final RuntimePort port;
    private final Blocking blocking;
    private final Map<TaskHandle, Thread> threads = new LinkedHashMap<>();
    private final Set<TaskHandle> adopted = new HashSet<>();
    private final Map<TaskHandle, Throwable> failures = new LinkedHashMap<>();

    /** A runtime with the default spin, for {@code kernel}, which must not have a runtime yet. */
    public ThreadedRuntime(Kernel kernel, Threads kind) {
        this(kernel, kind, DEFAULT_SPIN);
    }

    /**
     * @param spin how long a blocked thread spins before it parks; zero parks at once
     */
    public ThreadedRuntime(Kernel kernel, Threads kind, Duration spin) {
        if (spin.isNegative()) {
            throw new IllegalArgumentException("spin must be >= 0, was " + spin);
        }
        this.kernel = kernel;
        this.kind = kind;
        this.port = kernel.attach("a ThreadedRuntime of " + kind.name().toLowerCase(java.util.Locale.ROOT) + " threads");
        this.blocking = new Blocking(port, spin.toNanos());
    }

    /** The kernel this runtime runs. */
    public Kernel kernel() {
        return kernel;
    }

    /** Starts {@code task}, which must be INACTIVE, running {@code body} on a new thread. */
    public synchronized Thread start(TaskHandle task, TaskBody body) {
        Task t = started(task);
        Thread[] box = new Thread[1];
        Runnable run = () -> runBody(task, t, body, box[0]);
        Thread thread = switch (kind) {
            case PLATFORM -> Thread.ofPlatform().daemon().name(task.name()).unstarted(run);
            case VIRTUAL -> Thread.ofVirtual().name(task.name()).unstarted(run);
        };
        box[0] = thread;
        blocking.register(t, thread);
        threads.put(task, thread);
        port.start(t);
        thread.start();
        return thread;
    }

    /**
     * Starts {@code task}, which must be INACTIVE, on the calling thread instead of a new one, and
     * returns its syscalls: for benchmarks and tests whose own thread must be the task. Only the
     * calling thread may use them; it ends the task with {@link #exit}.
     */
    public synchronized Syscalls adopt(TaskHandle task) {
        Task t = started(task);
        blocking.register(t, Thread.currentThread());
        threads.put(task, Thread.currentThread());
        adopted.add(task);
        port.start(t);
        return new TaskSyscalls(blocking, t, Thread.currentThread());
    }

    /**
     * Ends an adopted task as if its body had returned; only the thread that adopted it may, as only
     * that thread may make its syscalls.
     *
     * @throws IllegalStateException if the calling thread did not adopt {@code task}
     */
    public void exit(TaskHandle task) {
        Task t = kernel.task(task);
        synchronized (this) {
            if (threads.get(task) != Thread.currentThread() || !adopted.contains(task)) {
                throw new IllegalStateException(task + " can be ended only by the thread that adopted it");
            }
        }
        port.exit(t);
    }

    /**
     * Waits until the body of every task {@link #start started} here has ended; false if
     * {@code timeout} passed first. Adopted tasks are not waited for: their threads are their
     * callers', and they end with {@link #exit}.
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : startedThreads()) {
            if (t == Thread.currentThread()) {
                continue; // a body cannot wait for itself
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    /** The bodies that threw, by task, in the order they started. */
    public synchronized Map<TaskHandle, Throwable> failures() {
        return Map.copyOf(failures);
    }

    private Task started(TaskHandle task) {
        if (threads.containsKey(task)) {
            throw new IllegalArgumentException(task + " was already started");
        }
        return kernel.task(task);
    }

    private void runBody(TaskHandle handle, Task task, TaskBody body, Thread self) {
        try {
            body.run(new TaskSyscalls(blocking, task, self));
        } catch (Throwable e) {
            synchronized (this) {
                failures.put(handle, e);
            }
            port.fault(task);
            return;
        }
        port.exit(task);
    }

    /** The threads of the tasks this runtime started; an adopted task's thread is its caller's own. */
    private synchronized List<Thread> startedThreads() {
        List<Thread> out = new ArrayList<>();
        for (Map.Entry<TaskHandle, Thread> e : threads.entrySet()) {
            if (!adopted.contains(e.getKey())) {
                out.add(e.getValue());
            }
        }
        return out;
    }
}
