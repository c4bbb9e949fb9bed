package io.capipc.props.model;

import io.capipc.api.Status;
import io.capipc.props.model.Model.Cap;
import io.capipc.props.model.Model.Kind;
import io.capipc.props.model.Model.MTask;
import io.capipc.props.model.Model.Notice;
import io.capipc.props.model.Model.Ref;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * docs/semantics.md §6's system messages over a {@link Step}: which kinds an endpoint receives, posting
 * (straight to the oldest waiting receiver, else into the endpoint's queue of system messages, which
 * a receiver takes before queued senders), dropping them with their endpoint, a task's fault, and the
 * badges an endpoint counts for BADGE_DISCONNECTED.
 *
 * <p>Badge records are not state here: an endpoint's records in use are its distinct live non-zero
 * badges (read off the capabilities) plus its queued BADGE_DISCONNECTED messages, whose records stay
 * taken until they are received. One badge more than {@code Shape.badges} is NO_SPACE.
 */
final class NoticeRules {
    /** Every kind's bit (1 << label). */
    private static final int ALL = (1 << Model.CALLER_CANCELLED) | (1 << Model.BADGE_DISCONNECTED) | (1 << Model.TASK_FAULTED);

    private final Step step;

    NoticeRules(Step step) {
        this.step = step;
    }

    /** SystemMessages(cap, mask): unknown bits INVALID_ARGUMENT; then the endpoint and READ; messages queued stay. */
    Status choose(int t, int slot, int mask) {
        Status s = (mask & ~ALL) != 0 ? Status.INVALID_ARGUMENT : step.endpointCap(t, slot, Model.READ);
        if (s == Status.OK) {
            step.accepts.set(step.caps.get(new Ref(step.shape.space(t), slot)).object(), mask);
        }
        return s;
    }

    /**
     * Posts {@code n} to {@code ep}, if the endpoint still exists and accepts its kind (else it is not
     * sent at all): to the oldest waiting receiver, which runs with OK, or into the queue.
     */
    void post(int ep, Notice n) {
        boolean exists = step.caps.values().stream().anyMatch(c -> c.object() == ep);
        if (!exists || (step.accepts.get(ep) & (1 << n.kind())) == 0) {
            return;
        }
        step.posted.add(new Model.Posted(ep, n));
        if (step.eps.get(ep).kind() == Kind.RECEIVERS) {
            int r = step.popHead(ep);
            deliver(r, n);
            step.wake(r, Status.OK);
            step.contexts.noticeDone(n);
        } else {
            List<Notice> q = new ArrayList<>(step.notices.get(ep));
            q.add(n);
            step.notices.set(ep, List.copyOf(q));
        }
    }

    /** {@code t} receives the oldest system message queued on {@code ep}. */
    void receive(int t, int ep) {
        List<Notice> q = step.notices.get(ep);
        step.notices.set(ep, List.copyOf(q.subList(1, q.size())));
        deliver(t, q.get(0));
        step.contexts.noticeDone(q.get(0));
    }

    /** The endpoint was destroyed: its queued system messages go with it. */
    void dropAll(int ep) {
        List<Notice> q = step.notices.get(ep);
        step.notices.set(ep, List.of());
        q.forEach(step.contexts::noticeDone);
    }

    /**
     * A task's body threw: it ends as Exit does, then its fault endpoint hears TASK_FAULTED: the
     * capability in its TCB slot, copied there when the task was made (gone if it was revoked since).
     */
    Status fault(int t) {
        step.exit(t);
        Cap c = step.caps.get(Model.tcb(t));
        if (c != null) {
            post(c.object(), new Notice(Model.TASK_FAULTED, c.badge(), Model.taskWord(t), -1, -1));
        }
        return Status.OK;
    }

    /** True if one more capability to {@code object} with {@code badge} can be counted: not a new badge of a full endpoint. */
    boolean countable(int object, long badge) {
        if (object >= step.shape.bootEndpoints() || badge == 0) { // a made endpoint tracks any number of badges
            return true;
        }
        Set<Long> live = new HashSet<>();
        for (Cap c : step.caps.values()) {
            if (c.object() == object && c.badge() != 0) {
                live.add(c.badge());
            }
        }
        long disconnected = step.notices.get(object).stream().filter(n -> n.kind() == Model.BADGE_DISCONNECTED).count();
        return live.contains(badge) || live.size() + disconnected < step.shape.badges();
    }

    /** {@code gone}, about to be emptied, is its endpoint's last capability with its non-zero badge: BADGE_DISCONNECTED. */
    void losing(Ref gone, Cap cap) {
        if (cap.badge() == 0) {
            return;
        }
        boolean last = step.caps.entrySet().stream().noneMatch(e -> !e.getKey().equals(gone)
                && e.getValue().object() == cap.object() && e.getValue().badge() == cap.badge());
        if (last) {
            post(cap.object(), new Notice(Model.BADGE_DISCONNECTED, cap.badge(), 0, -1, -1));
        }
    }

    /** A system message arrives: kind SEND with the SYSTEM flag, its kind as label, length 1, the badge, MR0; nothing unwrapped. */
    private void deliver(int t, Notice n) {
        MTask r = step.tasks.get(t);
        List<Long> regs = new ArrayList<>(r.mr());
        regs.set(0, n.word());
        long info = ((long) n.kind() << 32) | 1 | (1L << 12) | (1L << 13);
        step.tasks.set(t, new MTask(r.state(), r.blockedOn(), r.isCall(), r.sendInfo(), r.sendBadge(), List.copyOf(regs),
                r.status(), info, n.badge(), r.count(), r.ciBadge(), r.ciLabel(), r.ciSend(), r.ciRecv(),
                r.holds(), r.call(), r.recvArea(), r.scratch()));
        step.xfer.set(t, step.xfer.get(t).nothingUnwrapped());
    }
}
