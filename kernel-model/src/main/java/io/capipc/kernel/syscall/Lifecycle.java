package io.capipc.kernel.syscall;

import static io.capipc.kernel.bugs.InjectedBug.LAST_TASK_KEEPS_SUSPENDED;

import io.capipc.api.Status;
import io.capipc.api.TaskInfo;
import io.capipc.api.TaskState;
import io.capipc.cap.Slot;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notice;
import io.capipc.kernel.object.Task;

/**
 * The end of a task (docs/semantics.md §6): its body returned (Exit), threw (a fault), or it was killed.
 * All three end as Exit does: the caller whose context it held gets PEER_DIED, its binding ends, it is
 * DEAD; if it was its Space's last live task, the callers of the Space's suspended contexts get
 * PEER_DIED too, since nobody is left to answer. Only a throw sends TASK_FAULTED, to the fault
 * endpoint fixed in the task's TCB slot when it was made.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock.
 */
public final class Lifecycle {
    private final Wakeups wakeups;
    private final MessageSyscalls messages;
    private final Expiry expiry;
    private final SystemMessages systemMessages;
    private final InjectedBugs bugs;
    private TaskRunner runner = TaskRunner.NONE;

    public Lifecycle(Wakeups wakeups, MessageSyscalls messages, Expiry expiry, SystemMessages systemMessages,
                     InjectedBugs bugs) {
        this.wakeups = wakeups;
        this.messages = messages;
        this.expiry = expiry;
        this.systemMessages = systemMessages;
        this.bugs = bugs;
    }

    /** Installs the runtime's side of kills. */
    void runner(TaskRunner r) {
        runner = r;
    }

    /** The running task's body returned: it becomes DEAD. */
    public Status exit(Task t) {
        Status s = end(t);
        t.ended(TaskInfo.EXITED, 0, 0);
        return s;
    }

    private Status end(Task t) {
        messages.dropCurrent(t, Status.PEER_DIED);
        if (t.boundNotification() != null) {
            t.boundNotification().unbind();
        }
        if (t.die() && !bugs.on(LAST_TASK_KEEPS_SUSPENDED)) {
            for (int i = 0; i < t.space().replyPoolSize(); i++) {
                CallerContext context = t.space().entry(i).context();
                if (context != null) {
                    context.detach();
                    wakeups.complete(context.caller(), Status.PEER_DIED);
                }
            }
        }
        return t.ipc().complete(Status.OK);
    }

    /**
     * The running task's body threw ({@code kind} and {@code hash} say what, see {@link TaskInfo}):
     * it ends as Exit does, then its fault endpoint hears TASK_FAULTED, MR0 naming the task and the
     * kind. A task restarted while its previous TASK_FAULTED still waits to be received has only one
     * queued at a time: the waiting one is updated to the newest fault, never lost, never twice.
     */
    public Status fault(Task t, int kind, int hash) {
        Status s = end(t);
        t.ended(TaskInfo.FAULTED, kind, hash);
        Slot fault = t.faultCap();
        Notice n = t.faultedNotice();
        long word = TaskInfo.faultedWord(t.id(), kind);
        if (n.isQueued()) {
            n.fill(fault.badge(), word);
        } else if (fault.object() instanceof Endpoint ep) {
            systemMessages.post(ep, n, fault.badge(), word);
        }
        return s;
    }

    /**
     * Kills {@code t} wherever it is (docs/semantics.md §6 and §10): a blocked task first leaves every queue
     * (a Call already taken leaves its server a cancelled context), then it ends as Exit does. An
     * INACTIVE task just becomes DEAD; killing a dead task changes nothing. True if it was alive.
     */
    public boolean kill(Task t) {
        if (t.state() == TaskState.DEAD) {
            return false;
        }
        runner.killing(t);
        switch (t.state()) {
            case INACTIVE, DEAD -> end(t);
            case RUNNING, BLOCKED_ON_SEND, BLOCKED_ON_RECEIVE, BLOCKED_ON_REPLY, BLOCKED_ON_NOTIFICATION -> {
                expiry.leaveWaiting(t);
                end(t);
            }
        }
        wakeups.flight().forget(t); // a blocked syscall's event, never to complete
        t.ended(TaskInfo.KILLED, 0, 0);
        return true;
    }
}
