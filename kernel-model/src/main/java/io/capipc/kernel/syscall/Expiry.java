package io.capipc.kernel.syscall;

import static io.capipc.kernel.bugs.InjectedBug.TIMEOUT_STAYS_QUEUED;

import io.capipc.api.Status;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.ReplyPoolEntry;
import io.capipc.kernel.object.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ending a blocked syscall early, by timeout or interruption (docs/semantics.md §6): one transition that
 * takes the task out of whatever it waits in, so it leaves no trace in any queue, and completes its
 * syscall with TIMEOUT or INTERRUPTED. A Call whose message was already taken leaves its server a
 * CANCELLED context: the Reply is dropped, Read, Write and CallerInfo return CANCELLED. Killing a
 * task takes it out the same way first. Also the deadlines: a blocking syscall's timeout becomes one
 * here, and {@link #expireDue} ends those that have come.
 */
public final class Expiry {
    /** A timeout that never expires. */
    public static final long FOREVER = io.capipc.api.Syscalls.FOREVER;

    private final Wakeups wakeups;
    private final SystemMessages systemMessages;
    private final InjectedBugs bugs;

    public Expiry(Wakeups wakeups, SystemMessages systemMessages, InjectedBugs bugs) {
        this.wakeups = wakeups;
        this.systemMessages = systemMessages;
        this.bugs = bugs;
    }

    /**
     * A blocking syscall's result under a timeout (decode refused a negative one): when it blocked, a
     * timeout of 0 ends it at once (docs/semantics.md §6: TIMEOUT at once if it would block), else it gets its
     * deadline, {@code now + timeout} on the kernel's clock (saturating at never).
     */
    public Status timed(Task t, Status result, long timeout, long now) {
        if (result != null || timeout == FOREVER) {
            return result;
        }
        if (timeout == 0) {
            expire(t, Status.TIMEOUT);
            return Status.TIMEOUT;
        }
        t.deadline(now + timeout < now ? FOREVER : now + timeout);
        return null;
    }

    /**
     * Ends {@code t}'s blocked syscall with {@code why}; false (nothing changed) if it is not blocked.
     * The runtime is not told to wake it: its own thread (or the driver) asked for this.
     */
    public boolean expire(Task t, Status why) {
        if (!leaveWaiting(t)) {
            return false;
        }
        wakeups.completeSelf(t, why);
        return true;
    }

    /** Expires, with TIMEOUT, every blocked task whose deadline is {@code now} or earlier, earliest first; how many. */
    public int expireDue(List<Task> tasks, long now) {
        List<Task> due = new ArrayList<>();
        for (Task t : tasks) {
            if (t.state().isBlocked() && t.deadline() <= now) {
                due.add(t);
            }
        }
        due.sort(Comparator.comparingLong((Task t) -> t.deadline()).thenComparingInt(Task::id));
        for (Task t : due) {
            if (bugs.on(TIMEOUT_STAYS_QUEUED)) { wakeups.completeSelf(t, Status.TIMEOUT); continue; }
            expire(t, Status.TIMEOUT);
        }
        return due.size();
    }

    /**
     * Takes a blocked {@code t} out of whatever it waits in (a queue, or its server's hands, which
     * then hold a cancelled context); false if it is not blocked.
     */
    public boolean leaveWaiting(Task t) {
        switch (t.state()) {
            case BLOCKED_ON_SEND, BLOCKED_ON_RECEIVE -> ((Endpoint) t.blockedOn()).remove(t);
            case BLOCKED_ON_NOTIFICATION -> ((Notification) t.blockedOn()).remove(t);
            case BLOCKED_ON_REPLY -> cancel(t.ownContext());
            case RUNNING, INACTIVE, DEAD -> {
                return false;
            }
        }
        t.ownContext().buffers().clear();
        return true;
    }

    /**
     * The caller of {@code context} gives up after its message was taken. A suspended context's
     * entry keeps its capability, answering CANCELLED, and its endpoint hears of it by a
     * CALLER_CANCELLED system message carrying the handle, if it chose to. A current context's holder
     * learns it from CANCELLED at its next Read, Write or CallerInfo.
     */
    private void cancel(CallerContext context) {
        ReplyPoolEntry entry = context.suspendedIn();
        long handle = entry == null ? 0 : entry.handle();
        context.cancel();
        if (entry != null) {
            systemMessages.post(context.receivedOn(), entry.cancelledNotice(), context.badge(), handle);
        }
    }
}
