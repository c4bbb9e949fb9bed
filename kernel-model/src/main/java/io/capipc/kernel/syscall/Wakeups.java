package io.capipc.kernel.syscall;

import org.jspecify.annotations.Nullable;

import io.capipc.api.Status;
import io.capipc.kernel.object.Task;

/** Completes blocked tasks' syscalls: the one place a transition makes another task run again. */
public final class Wakeups {
    private Waker waker = task -> { };
    private @Nullable TraceSink tracer;

    /** Installs the runtime's waker. */
    public void waker(Waker w) {
        waker = w;
    }

    /** Installs a trace sink (null: none). */
    public void tracer(TraceSink t) {
        tracer = t;
    }

    /** The trace sink, or null. */
    public TraceSink tracer() {
        return tracer;
    }

    /**
     * {@code task}'s blocked syscall completes with {@code status}, by its own thread's doing (a
     * timeout or an interrupt it noticed itself): traced, but no runtime is told to wake it.
     */
    public void completeSelf(Task task, Status status) {
        task.complete(status);
        if (tracer != null) {
            tracer.completed(task, status);
        }
    }

    /** {@code task}'s blocked syscall completes with {@code status}; its runtime wakes it. */
    public void complete(Task task, Status status) {
        task.complete(status);
        if (tracer != null) {
            tracer.completed(task, status);
        }
        waker.wake(task);
    }
}
