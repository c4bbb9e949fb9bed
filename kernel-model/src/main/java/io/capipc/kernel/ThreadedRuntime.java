package io.capipc.kernel;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Syscalls;
import io.capipc.api.TaskBody;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.run.Blocking;
import io.capipc.kernel.run.RuntimePort;
import io.capipc.kernel.run.TaskSyscalls;
import io.capipc.kernel.object.Registers;
import io.capipc.kernel.syscall.TaskKilled;
import io.capipc.kernel.syscall.TaskRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
    /*
     * Lock order: the kernel's lock, then this runtime's monitor; never the other way (a Restart
     * starts a thread from inside the kernel's transition). So nothing here calls the kernel while
     * holding this monitor.
     */
    private final Map<TaskHandle, Thread> threads = new LinkedHashMap<>();
    private final Set<TaskHandle> adopted = new HashSet<>();
    private final Map<TaskHandle, Throwable> failures = new LinkedHashMap<>();
    /** Every body this runtime started, by task id, for Restart; adopted tasks have none. */
    private final Map<Integer, TaskHandle> handles = new HashMap<>();
    private final Map<Integer, TaskBody> bodies = new HashMap<>();
    /** Every thread started here for a body, first runs and restarts, for awaitTermination. */
    private final List<Thread> bodyThreads = new ArrayList<>();

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
        port.runner(new Runner());
    }

    /** The kernel this runtime runs. */
    public Kernel kernel() {
        return kernel;
    }

    /** Starts {@code task}, which must be INACTIVE, running {@code body} on a new thread. */
    public Thread start(TaskHandle task, TaskBody body) {
        Task t;
        Thread thread;
        synchronized (this) {
            t = started(task);
            thread = newThread(task, t, body);
            threads.put(task, thread);
            handles.put(t.id(), task);
            bodies.put(t.id(), body);
        }
        blocking.register(t, thread);
        port.start(t, thread);
        thread.start();
        return thread;
    }

    /**
     * Kills {@code task} (docs/semantics.md §13): it ends as death does, and its thread runs no more
     * user code: a blocked syscall unwinds it at once, a running one at its next syscall. A dead task
     * is left as it is.
     */
    public void kill(TaskHandle task) {
        port.kill(kernel.task(task));
    }

    /** A new, unstarted thread of this runtime's kind that runs {@code body} for {@code t}. */
    private Thread newThread(TaskHandle handle, Task t, TaskBody body) {
        Thread[] box = new Thread[1];
        IpcBuffer ipc = t.ipc(); // this run's: a Restart made it before calling here, under the kernel's lock
        Runnable run = () -> runBody(handle, t, body, box[0], ipc);
        Thread thread = switch (kind) {
            case PLATFORM -> Thread.ofPlatform().daemon().name(handle.name()).unstarted(run);
            case VIRTUAL -> Thread.ofVirtual().name(handle.name()).unstarted(run);
        };
        box[0] = thread;
        bodyThreads.add(thread);
        return thread;
    }

    /**
     * Starts {@code task}, which must be INACTIVE, on the calling thread instead of a new one, and
     * returns its syscalls: for benchmarks and tests whose own thread must be the task. Only the
     * calling thread may use them; it ends the task with {@link #exit}.
     */
    public Syscalls adopt(TaskHandle task) {
        Task t;
        synchronized (this) {
            t = started(task);
            threads.put(task, Thread.currentThread());
            adopted.add(task);
        }
        blocking.register(t, Thread.currentThread());
        port.start(t, Thread.currentThread());
        return new TaskSyscalls(blocking, t, Thread.currentThread(), t.ipc());
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
        for (int seen = -1; ; ) {
            List<Thread> all = startedThreads();
            if (all.size() == seen) {
                return true; // no restart started a thread while these were joined
            }
            seen = all.size();
            for (Thread t : all) {
                if (t == Thread.currentThread()) {
                    continue; // a body cannot wait for itself
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                    return false;
                }
            }
        }
    }

    /**
     * The bodies that threw, by task, in the order they started: each task's latest throw the kernel
     * took as its fault (not one of a run that was killed or restarted before it threw).
     */
    public synchronized Map<TaskHandle, Throwable> failures() {
        return Map.copyOf(failures);
    }

    private Task started(TaskHandle task) {
        if (threads.containsKey(task)) {
            throw new IllegalArgumentException(task + " was already started");
        }
        return kernel.task(task);
    }

    /**
     * A body's thread: runs the body, then reports how it ended. A thread whose task was killed (or
     * restarted on another thread) unwinds with TaskKilled and reports nothing: the kill ended it.
     */
    private void runBody(TaskHandle handle, Task task, TaskBody body, Thread self, IpcBuffer ipc) {
        Throwable thrown = null;
        try {
            body.run(new TaskSyscalls(blocking, task, self, ipc));
        } catch (TaskKilled killed) {
            return;
        } catch (Throwable e) {
            thrown = e;
        }
        if (thrown == null) {
            try {
                var _ = port.exit(task); // Exit always completes OK
            } catch (TaskKilled killed) {
                // Killed after its body ended but before it said so: the kill ended it.
            }
            return;
        }
        faulted(handle, task, thrown);
    }

    /**
     * Reports a body's throw as its task's fault, and keeps it for {@link #failures()} unless the kernel
     * refused it: the run was killed or restarted before it said so, so the throw is no fault of the task.
     */
    private void faulted(TaskHandle handle, Task task, Throwable thrown) {
        Throwable earlier;
        synchronized (this) {
            earlier = failures.put(handle, thrown); // before the fault, so one seen DEAD is already listed
        }
        try {
            var _ = port.fault(task, thrown); // likewise OK
        } catch (TaskKilled killed) {
            synchronized (this) {
                if (earlier != null) {
                    failures.put(handle, earlier);
                } else {
                    failures.remove(handle, thrown);
                }
            }
        }
    }

    /** The threads of every body started here, first runs and restarts; adopted tasks' threads are their callers'. */
    private synchronized List<Thread> startedThreads() {
        return new ArrayList<>(bodyThreads);
    }

    /** The runtime's side of Kill and Restart; called under the kernel's lock. */
    private final class Runner implements TaskRunner {
        @Override
        public boolean canRestart(Task t) {
            synchronized (ThreadedRuntime.this) {
                return bodies.containsKey(t.id());
            }
        }

        @Override
        public void killing(Task t) {
            blocking.kill(t);
        }

        @Override
        public Registers freshIpc(Task t) {
            return Task.freshRegisters();
        }

        /** A new thread of the same kind runs the body again: registered with the fresh buffer, then started. */
        @Override
        public void restarted(Task t) {
            Thread thread;
            synchronized (ThreadedRuntime.this) {
                TaskHandle handle = handles.get(t.id());
                TaskBody body = bodies.get(t.id());
                if (handle == null || body == null) {
                    throw new AssertionError(t + " restarted with no body; canRestart said it had one");
                }
                thread = newThread(handle, t, body);
                threads.put(handle, thread);
            }
            blocking.register(t, thread);
            t.runner(thread);
            thread.start();
        }
    }
}
