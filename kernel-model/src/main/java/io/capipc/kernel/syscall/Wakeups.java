package io.capipc.kernel.syscall;

import io.capipc.api.Status;
import io.capipc.kernel.object.Task;

/**
 * Completes blocked tasks' syscalls: the one place a transition makes another task run again.
 *
 * <p>Waking after the lock. A transition completes a task under the kernel's lock, but tells the
 * runtime to wake it only when the syscall that did so has released the lock ({@link #flush}): a
 * woken thread that goes straight into its next syscall then finds the lock free instead of
 * contending with the thread that woke it. Up to {@link Task#DEFERRED_WAKES} wakes per syscall are
 * deferred like this, in fields of the task making the syscall (no allocation); more, or a wake
 * outside a syscall (kill, expiry), are delivered at once. Either way the woken task's state is
 * complete before it is woken, so the order of wakes does not matter.
 *
 * <p>KEY ASSUMPTION: only the thread making {@code t}'s syscall calls {@link #flush}{@code (t, ...)},
 * right after the transition, so {@code t}'s deferred wakes are never read by two threads.
 */
public final class Wakeups {
    private Waker waker = task -> { };
    private Tracer tracer;
    private Task current;

    public void waker(Waker w) {
        waker = w;
    }

    public void tracer(Tracer t) {
        tracer = t;
    }

    public Tracer tracer() {
        return tracer;
    }

    /** Under the lock: {@code t}'s syscall begins; wakes it causes are deferred to {@code t}. */
    public void enter(Task t) {
        current = t;
    }

    /** Under the lock: the syscall ends, or a transition that is no syscall begins; wakes go at once. */
    public void leave() {
        current = null;
    }

    /**
     * After the lock: wakes the tasks {@code t}'s syscall completed.
     *
     * @return {@code result}, for the caller to return
     */
    public Status flush(Task t, Status result) {
        for (Task w = t.takeDeferredWake(); w != null; w = t.takeDeferredWake()) {
            waker.wake(w);
        }
        return result;
    }

    /**
     * {@code task}'s blocked syscall completes with {@code status}, by its own thread's doing (a
     * timeout or an interrupt it noticed itself): traced, but no runtime is told to wake it.
     */
    public void completeOwn(Task task, Status status) {
        task.resume(status);
        if (tracer != null) {
            tracer.resumed(task, status);
        }
    }

    /** {@code task}'s blocked syscall completes with {@code status}. */
    public void resume(Task task, Status status) {
        task.resume(status);
        if (tracer != null) {
            tracer.resumed(task, status);
        }
        Task by = current;
        if (by == null || !by.deferWake(task)) {
            waker.wake(task);
        }
    }
}
