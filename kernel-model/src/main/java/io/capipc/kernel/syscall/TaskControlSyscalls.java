package io.capipc.kernel.syscall;

import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskInfo;
import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.Registers;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskControl;

/**
 * Controlling tasks through Task capabilities (docs/semantics.md §13, seL4's TCB invocations).
 *
 * <ul>
 *   <li>Kill (WRITE) ends the task as death does ({@link Lifecycle#kill}); a dead task stays as it
 *       is. A task may kill itself.
 *   <li>Restart (WRITE) kills the task if it is alive, then starts its body again on a fresh IPC
 *       buffer in the same Space, with the same fault endpoint (its TCB slot is kept); the restart
 *       count goes up. A task cannot restart itself: the thread making the syscall would be the one
 *       it ends. The runtime must know the body ({@link TaskRunner#canRestart}).
 *   <li>TaskInfo (READ) leaves the state, restart count and last fault in registers
 *       ({@link TaskInfo}).
 * </ul>
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock.
 */
public final class TaskControlSyscalls {
    private final Lifecycle lifecycle;
    private final InjectedBugs bugs;
    private TaskRunner runner = TaskRunner.NONE;

    public TaskControlSyscalls(Lifecycle lifecycle, InjectedBugs bugs) {
        this.lifecycle = lifecycle;
        this.bugs = bugs;
    }

    /** Installs the runtime's side of kills and restarts. */
    public void runner(TaskRunner r) {
        runner = r;
        lifecycle.runner(r);
    }

    /** Kill: the task named by {@code cap} ends. */
    public Status kill(Task t, int cap) {
        Reason r = Decode.capability(t, cap, ObjectType.TASK, control());
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        lifecycle.kill(((TaskControl) t.decodedSlot().object()).task());
        return t.ipc().complete(Status.OK);
    }

    /** Restart: the task named by {@code cap} ends if alive and starts again. */
    public Status restart(Task t, int cap) {
        Reason r = Decode.capability(t, cap, ObjectType.TASK, control());
        Task target = r == Reason.NONE ? ((TaskControl) t.decodedSlot().object()).task() : null;
        if (r == Reason.NONE && target == t) {
            r = Reason.RESTART_SELF;
        }
        if (r == Reason.NONE && !runner.canRestart(target)) {
            r = Reason.NOT_RESTARTABLE;
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        lifecycle.kill(target);
        Registers fresh = runner.freshIpc(target);
        if (bugs.on(InjectedBug.RESTART_KEEPS_IPC_BUFFER)) { fresh = target.ipc(); }
        target.restart(fresh);
        runner.restarted(target);
        return t.ipc().complete(Status.OK);
    }

    /** The right Kill and Restart need: WRITE. */
    private int control() {
        if (bugs.on(InjectedBug.KILL_WITHOUT_WRITE)) { return Rights.NONE; }
        return Rights.WRITE;
    }

    /** TaskInfo: the named task's state, restart count, how its last run ended and its fault, in registers. */
    public Status taskInfo(Task t, int cap) {
        Reason r = Decode.capability(t, cap, ObjectType.TASK, Rights.READ);
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        Task target = ((TaskControl) t.decodedSlot().object()).task();
        Registers ipc = t.ipc();
        ipc.setMr(TaskInfo.STATE, target.state().ordinal());
        ipc.setMr(TaskInfo.RESTARTS, target.restarts());
        ipc.setMr(TaskInfo.ENDED, target.ended());
        ipc.setMr(TaskInfo.FAULT_KIND, target.faultKind());
        ipc.setMr(TaskInfo.FAULT_HASH, target.faultHash());
        return ipc.complete(Status.OK);
    }
}
