package io.capipc.props.runtimes;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.Tracer;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallName;
import io.capipc.props.harness.TracerView;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * A kernel booted the same way for each runtime: two Spaces of {@link #SLOTS} slots and two tasks
 * each; in each Space, slot 0 holds the endpoint (all rights), slot 1 a badged capability to it,
 * slot 2 the notification, slot 3 a Task capability (all rights) to task {@link #TARGET}, the one
 * task the bodies can Kill and Restart (so restarts cannot chase each other for ever), and the rest
 * are free. A tracer writes every transition down, in the order the kernel took them: each syscall
 * with its arguments, outcome and what the task's IPC buffer then shows, and each completion of a
 * blocked syscall; and it checks what it is shown of a task's IPC buffer against the buffer the
 * task's body holds ({@link TracerView}).
 */
final class RuntimeWorld {
    static final int SLOTS = 7;
    static final int NOTIFICATION = 2;
    static final int TASK = 3;
    static final int FREE = 4;
    static final int TASKS = 4;
    /** The task the Task capabilities name. */
    static final int TARGET = 3;

    /**
     * One transition a tracer saw: a syscall, or ({@code op} null) the completion of a blocked one;
     * its outcome (a status, or BLOCKED) and what the task's IPC buffer then showed.
     */
    record Event(int task, @Nullable SyscallName op, long a, long b, String outcome, String shows, long at) {
        @Override
        public String toString() {
            return "t" + task + " " + (op == null ? "completed" : op + "(" + a + ", " + b + ")") + " -> " + outcome + shows
                    + (at == 0 ? "" : " at " + at + " ns");
        }
    }

    /** The clock the events are stamped with: the simulated runtime's or the driver's (the threaded runtime's: none, 0). */
    volatile java.util.function.LongSupplier clock = () -> 0;

    final Kernel kernel;
    final SpaceHandle[] spaces = new SpaceHandle[2];
    final TaskHandle[] tasks = new TaskHandle[TASKS];
    /** The transitions, in order; written under the kernel's lock, read once the runtime is still. */
    final List<Event> events = new ArrayList<>();
    private final Step.Buffers[] buffers = new Step.Buffers[TASKS];
    /** The id of the object Task capabilities to {@link #TARGET} name. */
    private final int targetObject;
    /** Each task's IPC buffer as its body's latest run holds it (set by the body as it starts). */
    private final AtomicReferenceArray<IpcBuffer> own = new AtomicReferenceArray<>(TASKS);
    /**
     * The IPC buffer each body's thread holds: a syscall is compared on its own thread against this,
     * since on the threaded runtime a run restarted twice may start after the run that replaced it.
     */
    private final java.util.Map<Thread, IpcBuffer> byThread = new java.util.concurrent.ConcurrentHashMap<>();
    /** Whether a completion may be compared too: not while other tasks' threads run at once. */
    private volatile boolean compareCompletions;
    /** The first thing the tracer saw wrong: a view unlike the body's buffer, or TaskInfo misreporting a fault. */
    private volatile @Nullable String wrong;

    /**
     * A world whose kernel first makes {@code padding} notifications nothing names, so its tasks' ids
     * start past the runtimes' first per-task tables (16 entries), which then grow.
     */
    RuntimeWorld(InjectedBugs bugs, int padding) {
        kernel = bugs == InjectedBugs.NONE ? new Kernel() : InjectedBugs.with(bugs, Kernel::new);
        for (int i = 0; i < padding; i++) {
            kernel.createNotification();
        }
        ObjectHandle ep = kernel.createEndpoint(4);
        ObjectHandle ntfn = kernel.createNotification();
        for (int s = 0; s < 2; s++) {
            spaces[s] = kernel.createSpace("s" + s, SLOTS, 2);
            kernel.install(spaces[s], 0, ep, Rights.ALL, 0);
            kernel.install(spaces[s], 1, ep, s == 0 ? Rights.ALL : Rights.WRITE | Rights.GRANT, 5 + s);
            kernel.install(spaces[s], NOTIFICATION, ntfn, Rights.ALL, 0);
        }
        for (int t = 0; t < TASKS; t++) {
            // tasks 1 and 3 report their faults to the endpoint in their slot 0 (TASK_FAULTED)
            tasks[t] = kernel.createTask(spaces[t / 2], "t" + t, t % 2 == 1 ? 0 : -1);
            Arena arena = Arena.ofAuto();
            buffers[t] = new Step.Buffers(arena.allocate(16), arena.allocate(16), arena.allocate(16));
        }
        ObjectHandle target = kernel.taskObject(tasks[TARGET]);
        targetObject = target.id();
        for (int s = 0; s < 2; s++) {
            kernel.install(spaces[s], TASK, target, Rights.ALL, 0);
        }
        kernel.tracer(new Tracer() {
            @Override
            public void syscall(TaskHandle task, IpcBuffer ipc, SyscallName op, long a, long b, Outcome outcome) {
                compare(byThread.get(Thread.currentThread()), ipc); // in its own syscall: its body is not running
                if (op == SyscallName.TASK_INFO && outcome == Outcome.OK) {
                    faultReported(ipc);
                }
                events.add(new Event(index(task), op, a, b, outcome.name(), shows(ipc, outcome != Outcome.BLOCKED),
                        clock.getAsLong()));
            }

            @Override
            public void completed(TaskHandle task, IpcBuffer ipc, Status status) {
                int t = index(task);
                if (compareCompletions && t < TASKS) {
                    compare(own.get(t), ipc);
                }
                events.add(new Event(t, null, 0, 0, status.name(), shows(ipc, true), clock.getAsLong()));
            }
        });
    }

    /**
     * Task {@code t}'s body began a run holding {@code ipc}; {@code alone}: no other body's thread
     * runs at the same time (the simulated runtime), so completions are compared too.
     */
    void started(int t, IpcBuffer ipc, boolean alone) {
        own.set(t, ipc);
        byThread.put(Thread.currentThread(), ipc);
        compareCompletions = alone;
    }

    private void compare(@Nullable IpcBuffer mine, IpcBuffer shown) {
        if (mine != null && wrong == null) {
            String m = TracerView.mismatch(shown, mine, false);
            if (m != null) {
                wrong = m;
            }
        }
    }

    /**
     * TaskInfo of a task whose last run faulted names the fault the way docs/semantics.md §13 says:
     * the only faults here are the planted IllegalStateExceptions (kind 1, a RuntimeException; the
     * hash of the class name). Checked here, against the docs: the replay reads the same fields.
     */
    private void faultReported(IpcBuffer ipc) {
        if (ipc.mr(io.capipc.api.TaskInfo.ENDED) == io.capipc.api.TaskInfo.FAULTED && wrong == null
                && (ipc.mr(io.capipc.api.TaskInfo.FAULT_KIND) != io.capipc.api.TaskInfo.RUNTIME_EXCEPTION
                        || ipc.mr(io.capipc.api.TaskInfo.FAULT_HASH) != IllegalStateException.class.getName().hashCode())) {
            wrong = "TaskInfo of a task whose planted fault ended it reports kind " + ipc.mr(io.capipc.api.TaskInfo.FAULT_KIND)
                    + " and hash " + ipc.mr(io.capipc.api.TaskInfo.FAULT_HASH);
        }
    }

    /** The first thing the tracer saw wrong (a view unlike the body's buffer, a fault misreported by TaskInfo), or null. */
    @Nullable String tracerSawWrong() {
        return wrong;
    }

    /** Whether {@code slot} of task {@code t}'s Space holds a Task capability to {@link #TARGET}. */
    boolean namesTarget(int t, int slot) {
        int space = spaces[t / 2].id();
        for (KernelView.SpaceView sv : kernel.inspect().spaces()) {
            if (sv.id() == space) {
                return sv.slots().stream().anyMatch(x -> x.index() == slot && x.objectId() == targetObject);
            }
        }
        return false;
    }

    /** The task's number in the world, or for a task the kernel made (an async port's carrier) 1000 + its id. */
    int index(TaskHandle task) {
        for (int t = 0; t < TASKS; t++) {
            if (tasks[t].equals(task)) {
                return t;
            }
        }
        return 1000 + task.id();
    }

    /** Task {@code t}'s segments, made once per world (shared arenas: any thread, and the kernel, may touch them). */
    Step.Buffers buffers(int t) {
        return buffers[t];
    }

    /** What a completed syscall left in the IPC buffer: info word, badge, five registers (TaskInfo's), reason, caps arrived. */
    private static String shows(IpcBuffer ipc, boolean completed) {
        return !completed ? "" : " [info " + ipc.info() + ", badge " + ipc.badge() + ", mr " + ipc.mr(0) + " " + ipc.mr(1)
                + " " + ipc.mr(2) + " " + ipc.mr(3) + " " + ipc.mr(4)
                + ", " + ipc.reason() + ", handle " + ipc.handle() + ", count " + ipc.count() + "]";
    }
}
