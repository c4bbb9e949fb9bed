package io.capipc.kernel.syscall;

import org.jspecify.annotations.Nullable;

import io.capipc.api.Status;
import io.capipc.kernel.jfr.FlightEvents;
import io.capipc.kernel.object.Courier;
import io.capipc.kernel.object.Task;

/**
 * Completes blocked tasks' syscalls: the one place a transition makes another task run again. The
 * kernel's own carriers of async port entries have no runtime: their completions go to the port.
 */
public final class Wakeups {
    /** Where the completion of an async port entry's carrier goes. */
    public interface CarrierSink {
        void completed(Courier c, Status status);
    }

    private Waker waker = task -> { };
    private CarrierSink carriers = (c, s) -> {
        throw new AssertionError(c + " completed with no async port syscalls installed");
    };
    private @Nullable TraceSink tracer;
    private final FlightEvents flight = new FlightEvents();
    /** Set between {@link #hold} and {@link #release}: the transition's first wake waits for its end. */
    private final HeldWake hold = new HeldWake();

    /** Installs where carriers' completions go. */
    public void carriers(CarrierSink sink) {
        carriers = sink;
    }

    /** Installs the runtime's waker. */
    public void waker(Waker w) {
        waker = w;
    }

    /** Installs a trace sink (null: none). */
    public void tracer(TraceSink t) {
        tracer = t;
    }

    /** The Flight Recorder events (each syscall class's type is off unless a recording enables it). */
    public FlightEvents flight() {
        return flight;
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
        flight.completed(task, status);
    }

    /**
     * {@code task}'s blocked syscall completes with {@code status}; its runtime wakes it, at once or,
     * for the first task a syscall's transition completes, when that transition ends ({@link #hold}).
     */
    public void complete(Task task, Status status) {
        Courier c = task.courier();
        if (c != null) {
            carriers.completed(c, status);
            return;
        }
        task.complete(status);
        if (tracer != null) {
            tracer.completed(task, status);
        }
        flight.completed(task, status);
        HeldWake h = hold;
        if (h.holding && h.held == null) {
            h.held = task;
            return;
        }
        waker.wake(task);
    }

    /**
     * Dispatch, as a syscall's transition begins: the first task it completes is woken when it ends
     * ({@link #release}), not in its middle. The woken thread's next step is a syscall, which needs the
     * kernel's lock: woken early, it would only contend for the lock while the rest of this transition
     * runs (on a Call+ReplyWait round trip, all of the server's re-queueing; docs/benchmarks.md, "The
     * line budget"). The order of wakes inside one transition changes nothing a task can see: each
     * result is written before its wake, and nothing else is looked at without the lock. Only the
     * threaded runtime's waker does anything; the driver and the simulated runtime read who may run
     * from the tasks' states. A wake still held from a transition that threw is given now. (A fast
     * path, holding only its endpoint's lock, does not hold its wakes: see KernelLock.)
     */
    public void hold() {
        release();
        hold.holding = true;
    }

    /**
     * As a syscall's transition ends, and before any other transition under the lock that completes
     * tasks (so a wake left held by a transition that threw is given then): the held wake, if any.
     */
    public void release() {
        HeldWake h = hold;
        h.holding = false;
        Task t = h.held;
        if (t != null) {
            h.held = null;
            waker.wake(t);
        }
    }
}
