package io.capipc.props.model;

import io.capipc.api.Status;
import io.capipc.props.harness.Action;
import io.capipc.props.model.Model.MTask;
import io.capipc.props.model.Model.Queue;
import io.capipc.props.model.Model.State;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * docs/semantics.md §6's transitions over a {@link Step}: timeouts on the model's own virtual clock,
 * interruption, and a kill from outside.
 *
 * <p>A blocked syscall that ends early leaves no trace: the task leaves the endpoint queue or the
 * notification's waiters it is in; a Call already taken is cancelled, so its server no longer holds
 * the context but remembers that it was cancelled (its Reply is then dropped, Read, Write, CallerInfo
 * and Forward return CANCELLED). A deadline belongs to the blocked syscall: it is set when the task
 * blocks, survives the step from a queued Call to its reply phase and a Forward, and is gone when the
 * syscall completes however it does.
 */
final class ExpiryRules {
    private final Step step;

    ExpiryRules(Step step) {
        this.step = step;
    }

    /**
     * The driver moves the clock, interrupts or kills a task (docs/semantics.md §6 and §10), or a hostile
     * thread rewrites a task's IPC buffer (section 7: only what the task's next syscalls read changes);
     * its status is always OK.
     */
    Status drive(Action.Driver d) {
        switch (d) {
            case Action.Advance v -> advance(v.nanos());
            case Action.Interrupt i -> expire(i.task(), Status.INTERRUPTED);
            case Action.Kill k -> kill(k.task());
            case Action.Tamper m -> step.xfer.set(m.task(), step.xfer.get(m.task()).withBuffer(m.caps(), m.receive()));
        }
        return Status.OK;
    }

    /**
     * A negative timeout is an argument out of range, refused before anything else (docs/semantics.md
     * §6 and §7); the registers a sending task wrote before the syscall are written all the same.
     */
    Status refuseTimeout(Action a) {
        switch (a) {
            case Action.Send s -> step.setRegisters(s.task(), s.mr());
            case Action.Call c -> step.setRegisters(c.task(), c.mr());
            case Action.ReplyWait r -> step.setRegisters(r.task(), r.mr());
            default -> { }
        }
        return Status.INVALID_ARGUMENT;
    }

    /**
     * A syscall's status under its timeout: one that did not block, or blocks for ever, is left as
     * it is; with 0, a syscall that blocked ends at once with TIMEOUT (whatever it already did
     * stands: a Call taken by a waiting receiver leaves it a cancelled context); otherwise it gets
     * the deadline now + timeout (never, if that is past the end of time).
     */
    Status timed(Action a, Status result) {
        long timeout = Action.timeoutOf(a);
        if (result != null || timeout == Action.FOREVER) {
            return result;
        }
        int t = a.task();
        if (timeout == 0) {
            expire(t, Status.TIMEOUT);
            return Status.TIMEOUT;
        }
        step.deadlines.set(t, timeout > Model.NEVER - step.now ? Model.NEVER : step.now + timeout);
        return null;
    }

    /** The clock moves; every blocked syscall whose deadline came ends with TIMEOUT, earliest deadline first, then by task. */
    void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("the clock only moves forward, was " + nanos);
        }
        step.now += nanos;
        List<Integer> due = new ArrayList<>();
        for (int t = 0; t < step.tasks.size(); t++) {
            if (blocked(t) && step.deadlines.get(t) <= step.now) {
                due.add(t);
            }
        }
        due.sort(Comparator.<Integer>comparingLong(step.deadlines::get).thenComparingInt(t -> t));
        for (int t : due) {
            expire(t, Status.TIMEOUT);
        }
    }

    /** Ends {@code t}'s blocked syscall with {@code why} (TIMEOUT or INTERRUPTED); a task not blocked is left alone. */
    void expire(int t, Status why) {
        if (leave(t)) {
            step.wake(t, why);
        }
    }

    /**
     * Kills {@code t} wherever it is: a blocked task first leaves what it waits in, as on a
     * timeout; then it ends as Exit does (the caller whose context it held gets PEER_DIED). Its own
     * status reads OK, as after Exit. A dead task stays as it is.
     */
    void kill(int t) {
        if (step.tasks.get(t).state() == State.DEAD) {
            return;
        }
        leave(t);
        step.exit(t);
        step.deadlines.set(t, Model.NEVER);
        step.setStatus(t, Status.OK);
    }

    private boolean blocked(int t) {
        State s = step.tasks.get(t).state();
        return s != State.RUNNING && s != State.DEAD;
    }

    /** Takes a blocked {@code t} out of whatever it waits in; false, and nothing changed, if it is not blocked. */
    private boolean leave(int t) {
        MTask me = step.tasks.get(t);
        switch (me.state()) {
            case BLOCKED_ON_SEND, BLOCKED_ON_RECEIVE -> {
                Queue q = step.eps.get(me.blockedOn());
                List<Integer> rest = new ArrayList<>(q.waiting());
                rest.remove(Integer.valueOf(t));
                step.eps.set(me.blockedOn(), rest.isEmpty() ? Queue.IDLE : new Queue(q.kind(), List.copyOf(rest)));
                step.via.remove(t);
            }
            case BLOCKED_ON_NOTIFICATION -> {
                List<Integer> rest = new ArrayList<>(step.ntfn.waiters());
                rest.remove(Integer.valueOf(t));
                step.ntfn = new Model.Ntfn(step.ntfn.word(), step.ntfn.pending(), List.copyOf(rest), step.ntfn.bound());
            }
            case BLOCKED_ON_REPLY -> cancel(t);
            case RUNNING, DEAD -> {
                return false;
            }
        }
        MTask now = step.tasks.get(t);
        step.tasks.set(t, Step.copy(now, now.holds(), null));
        return true;
    }

    /**
     * The server holding {@code caller}'s context loses it and keeps the mark that it was cancelled;
     * or, if the context is suspended, its entry answers CANCELLED and CALLER_CANCELLED is posted.
     */
    private void cancel(int caller) {
        for (int s = 0; s < step.tasks.size(); s++) {
            MTask server = step.tasks.get(s);
            if (server.holds() == caller) {
                step.tasks.set(s, Step.copy(server, -1, server.call()));
                step.cancelled.set(s, true);
                return;
            }
        }
        if (step.contexts.cancel(caller)) {
            return;
        }
        throw new AssertionError("t" + caller + " waits for a reply, but no task holds its context");
    }
}
