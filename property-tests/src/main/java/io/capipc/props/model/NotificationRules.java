package io.capipc.props.model;

import io.capipc.api.Status;
import io.capipc.props.model.Model.Cap;
import io.capipc.props.model.Model.MTask;
import io.capipc.props.model.Model.Queue;
import io.capipc.props.model.Model.Ref;
import io.capipc.props.model.Model.State;
import java.util.ArrayList;
import java.util.List;

/** docs/semantics.md §5.4's transitions over a {@link Step}: Signal, Wait, Poll, binding, and what Recv takes. */
final class NotificationRules {
    private final Step step;

    NotificationRules(Step step) {
        this.step = step;
    }

    /** Signal (WRITE): word |= badge, pending; wakes the oldest waiter, else the bound task blocked in Recv. */
    Status signal(int t, int slot) {
        Status s = notificationCap(t, slot, Model.WRITE);
        if (s != Status.OK) {
            return s;
        }
        long badge = step.caps.get(new Ref(step.shape.space(t), slot)).badge();
        step.ntfn = new Model.Ntfn(step.ntfn.word() | badge, true, step.ntfn.waiters(), step.ntfn.bound());
        int b = step.ntfn.bound();
        if (!step.ntfn.waiters().isEmpty()) {
            int w = step.ntfn.waiters().get(0);
            step.ntfn = new Model.Ntfn(step.ntfn.word(), step.ntfn.pending(), List.copyOf(step.ntfn.waiters().subList(1, step.ntfn.waiters().size())), b);
            deliverNote(w, takeWord());
            step.wake(w, Status.OK);
        } else if (b >= 0 && step.tasks.get(b).state() == State.BLOCKED_ON_RECEIVE) {
            int ep = step.tasks.get(b).blockedOn();
            Queue q = step.eps.get(ep);
            List<Integer> rest = new ArrayList<>(q.waiting());
            rest.remove(Integer.valueOf(b));
            step.eps.set(ep, rest.isEmpty() ? Queue.IDLE : new Queue(q.kind(), List.copyOf(rest)));
            deliverNote(b, takeWord());
            step.wake(b, Status.OK);
        }
        return Status.OK;
    }

    /** Wait and Poll (READ): take the word if pending; else block FIFO, or WOULD_BLOCK. */
    Status waitFor(int t, int slot, boolean blocking) {
        Status s = notificationCap(t, slot, Model.READ);
        if (s == Status.OK && step.ntfn.bound() >= 0 && step.ntfn.bound() != t) {
            s = Status.INVALID_ARGUMENT;
        }
        if (s != Status.OK) {
            return s;
        }
        if (step.ntfn.pending()) {
            deliverNote(t, takeWord());
            return Status.OK;
        }
        if (!blocking) {
            return Status.WOULD_BLOCK;
        }
        step.tasks.set(t, step.tasks.get(t).with(State.BLOCKED_ON_NOTIFICATION, step.shape.notification()));
        List<Integer> waiting = new ArrayList<>(step.ntfn.waiters());
        waiting.add(t);
        step.ntfn = new Model.Ntfn(step.ntfn.word(), step.ntfn.pending(), List.copyOf(waiting), step.ntfn.bound());
        return null;
    }

    /** BindNotification (READ): neither side bound, nobody waiting on it. */
    Status bind(int t, int slot) {
        Status s = notificationCap(t, slot, Model.READ);
        if (s == Status.OK && (step.ntfn.bound() >= 0 || !step.ntfn.waiters().isEmpty())) {
            s = Status.INVALID_ARGUMENT;
        }
        if (s == Status.OK) {
            step.ntfn = new Model.Ntfn(step.ntfn.word(), step.ntfn.pending(), step.ntfn.waiters(), t);
        }
        return s;
    }

    Status notificationCap(int t, int slot, int right) {
        if (!step.inRange(slot)) {
            return Status.INVALID_ARGUMENT;
        }
        Cap c = step.caps.get(new Ref(step.shape.space(t), slot));
        if (c == null || c.object() != step.shape.notification()) {
            return Status.INVALID_CAPABILITY;
        }
        return (c.rights() & right) == right ? Status.OK : Status.INSUFFICIENT_RIGHTS;
    }

    boolean boundPending(int t) {
        return step.ntfn.bound() == t && step.ntfn.pending();
    }

    long takeWord() {
        long w = step.ntfn.word();
        step.ntfn = new Model.Ntfn(0, false, step.ntfn.waiters(), step.ntfn.bound());
        return w;
    }

    /** The word arrives as the badge of a NOTIFICATION message with no registers; nothing is unwrapped. */
    void deliverNote(int t, long word) {
        MTask r = step.tasks.get(t);
        step.tasks.set(t, new MTask(r.state(), r.blockedOn(), r.isCall(), r.sendInfo(), r.sendBadge(), r.mr(),
                r.status(), 3L << 13, word, r.count(), r.ciBadge(), r.ciLabel(), r.ciSend(), r.ciRecv(),
                r.holds(), r.call(), r.recvArea(), r.scratch()));
        step.xfer.set(t, step.xfer.get(t).nothingUnwrapped());
    }

}
