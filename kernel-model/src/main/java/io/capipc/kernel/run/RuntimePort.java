package io.capipc.kernel.run;

import io.capipc.api.Status;
import io.capipc.api.TaskInfo;
import io.capipc.api.TaskState;
import io.capipc.kernel.inspect.SyscallName;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.state.Registry;
import io.capipc.kernel.syscall.Dispatch;
import io.capipc.kernel.syscall.TaskRunner;
import io.capipc.kernel.syscall.Waker;
import java.util.function.LongSupplier;

/**
 * What a runtime may do to a kernel beyond making syscalls for its tasks: start a task, install its
 * waker and clock, end a blocked syscall early, expire deadlines, kill a task, and report that a
 * task's body returned or threw. A kernel hands out one port, to the first runtime that asks (see
 * {@code Kernel}); a task body never sees it, so none of this is within a task's reach.
 *
 * <p>Every hook takes the kernel's lock (the dispatch's monitor), so each is one transition.
 */
public final class RuntimePort {
    private final Dispatch dispatch;
    private final Registry registry;

    public RuntimePort(Dispatch dispatch, Registry registry) {
        this.dispatch = dispatch;
        this.registry = registry;
    }

    /** The syscalls, one transition each. */
    public Dispatch syscalls() {
        return dispatch;
    }

    /** The kernel's injected bugs (tests only: InjectedBugs.NONE otherwise). */
    public InjectedBugs bugs() {
        return dispatch.bugs();
    }

    /** INACTIVE becomes RUNNING. */
    public void start(Task task) {
        start(task, null);
    }

    /** INACTIVE becomes RUNNING, run by {@code thread} (the threaded runtime; null: the driver). */
    public void start(Task task, Thread thread) {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                if (task.state() != TaskState.INACTIVE) {
                    throw new IllegalArgumentException(task + " is " + task.state() + ", not INACTIVE");
                }
                task.runner(thread);
                task.start();
            }
        }
    }

    /**
     * The runtime makes one transition at a time (the driver; the simulated runtime, whose tasks run
     * by turns): a tracer then does not keep Calls and ReplyWaits off their fast path.
     */
    public void sequential() {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                dispatch.sequential();
            }
        }
    }

    /** Installs the runtime's side of Kill and Restart. */
    public void runner(TaskRunner runner) {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                dispatch.runner(runner);
            }
        }
    }

    /** Installs the runtime's waker. */
    public void waker(Waker waker) {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                dispatch.wakeups().waker(waker);
            }
        }
    }

    /** Installs the clock deadlines are measured on (nanoseconds). */
    public void clock(LongSupplier nanos) {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                dispatch.clock(nanos);
            }
        }
    }

    /**
     * Ends {@code t}'s blocked syscall early with TIMEOUT or INTERRUPTED (docs/semantics.md §6): it leaves
     * every queue; a Call already taken leaves its server a CANCELLED context. False, and nothing
     * changed, if {@code t} is not blocked (its syscall completed first).
     */
    public boolean expire(Task t, Status why) {
        if (why != Status.TIMEOUT && why != Status.INTERRUPTED) {
            throw new IllegalArgumentException("a blocked syscall ends early with TIMEOUT or INTERRUPTED, not " + why);
        }
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                dispatch.wakeups().release(); // one a transition that threw left held
                return dispatch.expiry().expire(t, why);
            }
        }
    }

    /** Expires, with TIMEOUT, every blocked task whose deadline has come, earliest first; returns how many. */
    public int expireDue() {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                dispatch.wakeups().release(); // one a transition that threw left held
                return dispatch.expiry().expireDue(registry.tasks(), dispatch.now());
            }
        }
    }

    /** Kills {@code t} wherever it is (see {@code Lifecycle.kill}); a dead task is left as it is. */
    public void kill(Task t) {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                dispatch.wakeups().release(); // one a transition that threw left held
                if (dispatch.lifecycle().kill(t)) {
                    dispatch.trace(t, SyscallName.EXIT, 0, 0, Status.OK);
                }
            }
        }
    }

    /**
     * Deletes ({@code revoke} false) or revokes the capability in {@code slot} of {@code space}, from
     * outside any task: an injected revocation, with the syscalls' effects on IPC.
     */
    public void deleteOrRevoke(Space space, int slot, boolean revoke) {
        dispatch.deleteOrRevoke(space.cspace(), slot, revoke);
    }

    /** The task's body returned. */
    public Status exit(Task t) {
        return dispatch.exit(t);
    }

    /** The task's body threw: its fault endpoint hears TASK_FAULTED. */
    public Status fault(Task t) {
        return dispatch.fault(t);
    }

    /** The task's body threw {@code thrown}: TaskInfo and the TASK_FAULTED message carry its kind. */
    public Status fault(Task t, Throwable thrown) {
        return dispatch.fault(t, TaskInfo.kindOf(thrown), TaskInfo.hashOf(thrown));
    }
}
