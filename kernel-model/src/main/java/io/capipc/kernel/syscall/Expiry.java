package io.capipc.kernel.syscall;

import io.capipc.api.Status;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.ReplyPoolEntry;
import io.capipc.kernel.object.Task;

/**
 * Ending a blocked syscall early, by timeout or interruption (SPEC section 6): one transition that
 * takes the task out of whatever it waits in, so it leaves no trace in any queue, and completes its
 * syscall with TIMEOUT or INTERRUPTED. A Call whose message was already taken leaves its server a
 * CANCELLED context: the Reply is dropped, Read, Write and CallerInfo return CANCELLED.
 * Killing a task takes it out the same way first.
 */
public final class Expiry {
    private final Wakeups wakeups;
    private final SystemMessages systemMessages;

    public Expiry(Wakeups wakeups, SystemMessages systemMessages) {
        this.wakeups = wakeups;
        this.systemMessages = systemMessages;
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
