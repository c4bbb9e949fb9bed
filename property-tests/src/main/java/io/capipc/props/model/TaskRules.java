package io.capipc.props.model;

import io.capipc.api.Status;
import io.capipc.api.TaskInfo;
import io.capipc.api.TaskState;
import io.capipc.props.harness.Action;
import io.capipc.props.model.Model.Cap;
import io.capipc.props.model.Model.MTask;
import io.capipc.props.model.Model.Ref;
import io.capipc.props.model.Model.State;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * docs/semantics.md §13's task control through Task capabilities: Kill, Restart and TaskInfo, and
 * what each task's last run ended with. A Task capability names object {@link Shape#taskObject}.
 *
 * <ul>
 *   <li>Each syscall decodes its capability as every other does (§7): the slot's range
 *       (INVALID_ARGUMENT), then a Task capability in it (INVALID_CAPABILITY), then the right, WRITE
 *       for Kill and Restart, READ for TaskInfo (INSUFFICIENT_RIGHTS).
 *   <li>Kill ends the task as the driver's kill does ({@link ExpiryRules#kill}); a dead one stays as it
 *       is. A task may kill itself.
 *   <li>Restart of itself is INVALID_ARGUMENT. Otherwise the task is killed if alive, then RUNNING
 *       again from the start of its body, on a fresh IPC buffer (registers, status, message words,
 *       caller fields, capability and receive slots, handle: all as at boot), with no deadline and no
 *       cancelled context; its Space, capabilities, TCB slot and memory stay; its restart count goes up.
 *   <li>TaskInfo leaves, in the caller's MR0..MR4, the task's state, restart count, how its last run
 *       ended, and the fault's kind and hash (0: the generator's faults have no cause).
 * </ul>
 */
final class TaskRules {
    private final Step step;
    private final List<Integer> restarts;
    private final List<Integer> ended;

    TaskRules(Step step, Control c) {
        this.step = step;
        this.restarts = new ArrayList<>(c.restarts());
        this.ended = new ArrayList<>(c.ended());
    }

    Control freeze(BudgetRules budgets) {
        return new Control(List.copyOf(restarts), List.copyOf(ended), budgets.untypeds(), budgets.madeEndpoints(), budgets.madeFrom());
    }

    /** The task named by a Task capability in {@code t}'s {@code slot} with {@code right}, or a refusal (as -1 - status ordinal). */
    private int target(int t, int slot, int right, Status[] refusal) {
        if (!step.inRange(slot)) {
            refusal[0] = Status.INVALID_ARGUMENT;
            return -1;
        }
        Cap c = step.caps.get(new Ref(step.shape.space(t), slot));
        int u = c == null ? -1 : step.shape.taskOf(c.object());
        if (u < 0) {
            refusal[0] = Status.INVALID_CAPABILITY;
            return -1;
        }
        if ((c.rights() & right) != right) {
            refusal[0] = Status.INSUFFICIENT_RIGHTS;
            return -1;
        }
        return u;
    }

    Status kill(int t, int slot) {
        Status[] refusal = new Status[1];
        int u = target(t, slot, Model.WRITE, refusal);
        if (u < 0) {
            return refusal[0];
        }
        killed(u);
        return Status.OK;
    }

    Status restart(int t, int slot) {
        Status[] refusal = new Status[1];
        int u = target(t, slot, Model.WRITE, refusal);
        if (u < 0) {
            return refusal[0];
        }
        if (u == t) {
            return Status.INVALID_ARGUMENT;
        }
        killed(u);
        MTask old = step.tasks.get(u);
        step.tasks.set(u, new MTask(State.RUNNING, -1, false, 0, 0, Collections.nCopies(64, 0L), Status.OK, 0, 0, 0,
                0, 0, 0, 0, -1, null, old.recvArea(), old.scratch()));
        step.xfer.set(u, Model.Xfer.INITIAL);
        step.deadlines.set(u, Model.NEVER);
        step.cancelled.set(u, false);
        step.handles.set(u, 0L);
        restarts.set(u, restarts.get(u) + 1);
        ended.set(u, TaskInfo.ALIVE);
        return Status.OK;
    }

    Status info(int t, int slot) {
        Status[] refusal = new Status[1];
        int u = target(t, slot, Model.READ, refusal);
        if (u < 0) {
            return refusal[0];
        }
        MTask me = step.tasks.get(t);
        List<Long> regs = new ArrayList<>(me.mr());
        regs.set(TaskInfo.STATE, (long) TaskState.valueOf(step.tasks.get(u).state().name()).ordinal());
        regs.set(TaskInfo.RESTARTS, (long) restarts.get(u));
        regs.set(TaskInfo.ENDED, (long) ended.get(u));
        regs.set(TaskInfo.FAULT_KIND, 0L);
        regs.set(TaskInfo.FAULT_HASH, 0L);
        step.tasks.set(t, new MTask(me.state(), me.blockedOn(), me.isCall(), me.sendInfo(), me.sendBadge(), List.copyOf(regs),
                me.status(), me.info(), me.badge(), me.count(), me.ciBadge(), me.ciLabel(), me.ciSend(), me.ciRecv(),
                me.holds(), me.call(), me.recvArea(), me.scratch()));
        return Status.OK;
    }

    /** {@code u} is killed, as the driver kills it; a dead task stays as it is. */
    private void killed(int u) {
        if (step.tasks.get(u).state() != State.DEAD) {
            step.expiry.kill(u);
            ended.set(u, TaskInfo.KILLED);
        }
    }

    /** After any other action of {@code before}: how a run that ended in it ended (Exit, a fault, the driver's kill). */
    void after(Model before, Action a) {
        switch (a) {
            case Action.Exit e -> ended.set(e.task(), TaskInfo.EXITED);
            case Action.Fault f -> ended.set(f.task(), TaskInfo.FAULTED);
            case Action.Kill k -> {
                if (before.task(k.task()).state() != State.DEAD) {
                    ended.set(k.task(), TaskInfo.KILLED);
                }
            }
            default -> { }
        }
    }
}
