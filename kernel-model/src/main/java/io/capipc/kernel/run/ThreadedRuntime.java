package io.capipc.kernel.run;

import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.api.TaskBody;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.object.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The threaded runtime (SPEC section 10): each task runs its body on its own Java thread, platform or
 * virtual. A syscall is the kernel's transition, taken under the kernel's lock; if it leaves the task
 * blocked, the thread spins for a bounded time (a few microseconds by default), then parks, until the
 * transition that completes it wakes it. Nothing else is added to the kernel's semantics.
 *
 * <p>A body that returns or throws ends its task (Exit): a caller whose context it held gets
 * PEER_DIED. A throw is also kept, for {@link #failures()}, and sends a TASK_FAULTED system message
 * to the task's fault endpoint, if it has one. Threads are daemons, so a task left
 * blocked for ever does not keep the JVM alive.
 *
 * <p>A Java interrupt of a task's thread ends its blocking syscall with INTERRUPTED and clears the
 * interrupt status; a timeout ends it with TIMEOUT (deadlines are on System.nanoTime).
 */
public final class ThreadedRuntime {
    /** Which kind of thread runs each task. */
    public enum Threads { PLATFORM, VIRTUAL }

    /** The default bounded spin before parking. */
    public static final Duration DEFAULT_SPIN = Duration.ofNanos(20_000);

    private final Kernel kernel;
    private final Threads kind;
    private final long spinNanos;
    private final Map<Task, Thread> threads = new LinkedHashMap<>();
    private final Map<Task, Throwable> failures = new LinkedHashMap<>();
    /** Parkers by task id; replaced whole when it grows, so the waker reads it without a lock. */
    private volatile Parker[] parkers = new Parker[16];

    /** A runtime with the default spin. */
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
        this.spinNanos = spin.toNanos();
        kernel.waker(this::wake);
        kernel.clock(System::nanoTime);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** Starts {@code task}, which must be INACTIVE, running {@code body} on a new thread. */
    public synchronized Thread start(Task task, TaskBody body) {
        if (threads.containsKey(task)) {
            throw new IllegalArgumentException(task + " was already started");
        }
        Runnable run = () -> runBody(task, body);
        Thread thread = switch (kind) {
            case PLATFORM -> Thread.ofPlatform().daemon().name(task.name()).unstarted(run);
            case VIRTUAL -> Thread.ofVirtual().name(task.name()).unstarted(run);
        };
        register(task, new Parker(thread, task.ipc()));
        threads.put(task, thread);
        kernel.start(task);
        thread.start();
        return thread;
    }

    /**
     * Starts {@code task}, which must be INACTIVE, on the calling thread instead of a new one, and
     * returns its syscalls: for benchmarks and tests whose own thread must be the task. Only the
     * calling thread may use them; it ends the task with {@link Kernel#exit}.
     */
    public synchronized Syscalls adopt(Task task) {
        if (threads.containsKey(task)) {
            throw new IllegalArgumentException(task + " was already started");
        }
        register(task, new Parker(Thread.currentThread(), task.ipc()));
        threads.put(task, Thread.currentThread());
        kernel.start(task);
        return new TaskSyscalls(this, task);
    }

    /** Waits until every started task has ended; false if {@code timeout} passed first. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : startedThreads()) {
            if (t == Thread.currentThread()) {
                continue; // an adopted task's own thread cannot wait for itself
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    /** The bodies that threw, by task, in the order they started. */
    public synchronized Map<Task, Throwable> failures() {
        return Map.copyOf(failures);
    }

    /**
     * Completes a kernel syscall result: a null (blocked) result waits for the wake, then reads it. A
     * deadline that passes, or a Java interrupt, expires the syscall (TIMEOUT, INTERRUPTED) unless
     * its completion won the race, in which case the completion stands and an interrupt is kept.
     */
    Status complete(Task task, Status result) {
        return complete(task, result, 0);
    }

    /**
     * As {@link #complete(Task, Status)}, spinning longer by {@code extraSpinNanos}: a Call with large
     * buffers waits at least as long as the server copies them, and waking from a park costs tens of
     * microseconds here, so it spins for about the copy's time before it parks.
     */
    Status complete(Task task, Status result, long extraSpinNanos) {
        if (result != null) {
            return result;
        }
        Parker parker = parkers[task.id()];
        int how = parker.await(spinNanos == 0 ? 0 : spinNanos + extraSpinNanos, task.deadline());
        if (how != Parker.WOKEN) {
            Status why = how == Parker.TIMED_OUT ? Status.TIMEOUT : Status.INTERRUPTED;
            if (!kernel.expire(task, why)) {
                parker.consumeSignal();
                if (how == Parker.INTERRUPTED) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return task.ipc().status();
    }

    private void wake(Task task) {
        parkers[task.id()].wake();
    }

    private void runBody(Task task, TaskBody body) {
        try {
            body.run(new TaskSyscalls(this, task));
        } catch (Throwable e) {
            synchronized (this) {
                failures.put(task, e);
            }
            kernel.fault(task);
            return;
        }
        kernel.exit(task);
    }

    private void register(Task task, Parker parker) {
        Parker[] current = parkers;
        if (task.id() >= current.length) {
            Parker[] grown = new Parker[Math.max(task.id() + 1, current.length * 2)];
            System.arraycopy(current, 0, grown, 0, current.length);
            current = grown;
        }
        current[task.id()] = parker;
        parkers = current;
    }

    private synchronized List<Thread> startedThreads() {
        return new ArrayList<>(threads.values());
    }
}
