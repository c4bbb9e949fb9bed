package io.capipc.kernel.syscall;

import io.capipc.api.Status;
import io.capipc.kernel.object.Task;

/** Completes blocked tasks' syscalls: the one place a transition makes another task run again. */
public final class Wakeups {
    private Waker waker = task -> { };
    private Tracer tracer;

    public void waker(Waker w) {
        waker = w;
    }

    public void tracer(Tracer t) {
        tracer = t;
    }

    public Tracer tracer() {
        return tracer;
    }

    /**
     * {@code task}'s blocked syscall completes with {@code status}, by its own thread's doing (a
     * timeout or an interrupt it noticed itself): traced, but no runtime is told to wake it.
     */
    public void completeSelf(Task task, Status status) {
        task.complete(status);
        if (tracer != null) {
            tracer.resumed(task, status);
        }
    }

    /** {@code task}'s blocked syscall completes with {@code status}. */
    public void complete(Task task, Status status) {
        task.complete(status);
        if (tracer != null) {
            tracer.resumed(task, status);
        }
        waker.wake(task);
    }
}
