package io.capipc.props.model;

import io.capipc.api.Handles;
import io.capipc.api.Status;
import io.capipc.props.harness.Action;
import io.capipc.props.model.Model.Cap;
import io.capipc.props.model.Model.Entry;
import io.capipc.props.model.Model.MTask;
import io.capipc.props.model.Model.Ref;

/**
 * docs/semantics.md §5.2's transitions over a {@link Step}: Suspend, Resume, and Reply, Forward, Read,
 * Write and CallerInfo by handle; and what becomes of a suspended context when its reply capability
 * is deleted, its caller gives up, or the last live task of its Space dies.
 *
 * <p>The reply pool is a count: a space has {@code replyPool} entries, those in {@code entries} are
 * in use and the rest are free. An entry is in use from the Suspend that takes it until its
 * capability is gone (consumed by Resume, Reply or Forward, or deleted) <em>and</em> its
 * CALLER_CANCELLED message, if one was posted, is no longer queued. A space's generation advances
 * with every Suspend there, and a handle is that generation and the slot, so a handle names one use
 * of one entry: once that use ends it names nothing, whatever takes the slot next.
 */
final class ContextRules {
    private final Step step;

    ContextRules(Step step) {
        this.step = step;
    }

    /** Suspend: NO_CALLER (or CANCELLED) without a context; NO_SPACE without a free entry or an empty slot. */
    Status suspend(int t) {
        MTask me = step.tasks.get(t);
        if (me.holds() < 0) {
            return step.buffers.noCaller(t);
        }
        int space = step.shape.space(t);
        int slot = -1;
        for (int i = step.shape.slots() - 1; i >= 0; i--) {
            slot = step.caps.containsKey(new Ref(space, i)) ? slot : i;
        }
        long used = step.entries.stream().filter(e -> e.space() == space).count();
        if (slot < 0 || used >= step.shape.replyPool().get(space)) {
            return Status.NO_SPACE;
        }
        long gen = step.gens.get(space) + 1;
        step.gens.set(space, gen);
        int caller = me.holds();
        Entry e = new Entry(space, slot, gen, caller, step.xfer.get(t).contextGrant(), step.tasks.get(caller).call().on(),
                Handles.width(step.shape.slots()));
        step.entries.add(e);
        step.caps.put(new Ref(space, slot), new Cap(step.shape.replyObject(), 0, 0, null));
        step.tasks.set(t, Step.copy(me, -1, me.call()));
        step.handles.set(t, e.handle());
        step.issued.add(new Model.Issued(space, e.handle()));
        return Status.OK;
    }

    /** Resume: a stale handle INVALID_CAPABILITY, then a context already held INVALID_ARGUMENT; one whose caller has gone is held cancelled. */
    Status resume(int t, long handle) {
        int i = lookup(t, handle);
        if (i < 0) {
            return Status.INVALID_CAPABILITY;
        }
        if (step.tasks.get(t).holds() >= 0) {
            return Status.INVALID_ARGUMENT;
        }
        Entry e = step.entries.get(i);
        step.cancelled.set(t, e.caller() < 0);
        if (e.caller() >= 0) {
            MTask me = step.tasks.get(t);
            step.tasks.set(t, Step.copy(me, e.caller(), me.call()));
            step.contextGrant(t, e.grant());
        }
        consume(i);
        return Status.OK;
    }

    /** Reply by handle: Reply's checks with the handle among the lookups; to a caller that has gone, OK and dropped. */
    Status reply(Action.ReplyHandle r, long handle) {
        int t = r.task();
        step.setRegisters(t, r.mr());
        step.latchSend(t, r.info());
        if (!Step.sendable(r.info()) || !step.transferInRange(t, r.info())) {
            return Status.INVALID_ARGUMENT;
        }
        int i = lookup(t, handle);
        if (i < 0 || !step.transferFull(t, r.info())) {
            return Status.INVALID_CAPABILITY;
        }
        Entry e = step.entries.get(i);
        if (e.caller() >= 0 && Step.capCount(r.info()) > 0 && !e.grant()) {
            return Status.INSUFFICIENT_RIGHTS;
        }
        if (e.caller() >= 0) {
            step.deliver(t, e.caller(), r.info(), 0, Step.KIND_REPLY, -1);
            step.endCall(e.caller(), Status.OK);
        }
        consume(i);
        return Status.OK;
    }

    /** Forward by handle: the word and slot, the handle, the endpoint and WRITE, then CANCELLED; as Forward. */
    Status forward(Action.ForwardHandle f, long handle) {
        int t = f.task();
        step.setRegisters(t, f.mr());
        if (Step.capCount(f.info()) != 0 || !step.inRange(f.slot()) || !Step.sendable(f.info())) {
            return Status.INVALID_ARGUMENT;
        }
        int i = lookup(t, handle);
        if (i < 0) {
            return Status.INVALID_CAPABILITY;
        }
        Status s = step.message(t, f.slot(), f.info(), Model.WRITE);
        if (s != Status.OK) {
            return s;
        }
        Entry e = step.entries.get(i);
        if (e.caller() < 0) {
            return Status.CANCELLED;
        }
        step.entries.set(i, e.withoutCaller());
        step.pass(t, e.caller(), f.slot(), f.info());
        consume(i);
        return Status.OK;
    }

    Status read(Action.ReadHandle r, long handle) {
        int i = lookup(r.task(), handle);
        return step.buffers.read(r.task(), caller(i), absent(i), r.offset(), r.len());
    }

    Status write(Action.WriteHandle w, long handle) {
        int i = lookup(w.task(), handle);
        return step.buffers.write(w.task(), caller(i), absent(i), w.offset(), w.len(), w.fill());
    }

    Status callerInfo(int t, long handle) {
        int i = lookup(t, handle);
        return step.buffers.callerInfo(t, caller(i), absent(i));
    }

    private int caller(int i) {
        return i < 0 ? -1 : step.entries.get(i).caller();
    }

    /** Why a handle gives no context: it names nothing (INVALID_CAPABILITY), or its caller has gone (CANCELLED). */
    private static Status absent(int i) {
        return i < 0 ? Status.INVALID_CAPABILITY : Status.CANCELLED;
    }

    /** The index of the entry {@code handle} names in {@code t}'s Space as it is now, or -1 (stale, forged, or not there). */
    int lookup(int t, long handle) {
        int space = step.shape.space(t);
        for (int i = 0; i < step.entries.size(); i++) {
            Entry e = step.entries.get(i);
            if (e.space() == space && e.slot() >= 0 && e.handle() == handle) {
                return i;
            }
        }
        return -1;
    }

    /** The entry's capability is gone; the entry is free again unless its CALLER_CANCELLED message is still queued. */
    private void consume(int i) {
        Entry e = step.entries.get(i);
        step.caps.remove(new Ref(e.space(), e.slot()));
        Entry gone = e.withoutSlot();
        boolean queued = step.notices.stream().flatMap(java.util.List::stream)
                .anyMatch(n -> n.kind() == Model.CALLER_CANCELLED && n.space() == e.space() && n.gen() == e.gen());
        if (queued) {
            step.entries.set(i, gone);
        } else {
            step.entries.remove(i);
        }
    }

    /** Delete of a reply capability: its caller, if still waiting, gets NO_REPLY; the entry is consumed. */
    void deleted(Ref slot) {
        for (int i = 0; i < step.entries.size(); i++) {
            Entry e = step.entries.get(i);
            if (e.space() == slot.space() && e.slot() == slot.slot()) {
                if (e.caller() >= 0) {
                    step.endCall(e.caller(), Status.NO_REPLY);
                }
                consume(i);
                return;
            }
        }
        throw new AssertionError("reply capability in " + slot + " names no entry");
    }

    /**
     * The caller of a suspended context gave up or was killed: the entry answers CANCELLED, and the
     * endpoint the Call was received through hears of it, with the caller's badge and the handle.
     * False if {@code caller}'s context is suspended nowhere.
     */
    boolean cancel(int caller) {
        for (int i = 0; i < step.entries.size(); i++) {
            Entry e = step.entries.get(i);
            if (e.slot() >= 0 && e.caller() == caller) {
                step.entries.set(i, e.withoutCaller());
                long badge = step.tasks.get(caller).call().badge();
                step.system.post(e.on(), new Model.Notice(Model.CALLER_CANCELLED, badge, e.handle(), e.space(), e.gen()));
                return true;
            }
        }
        return false;
    }

    /** The last live task of {@code space} died: every caller of a context suspended there gets PEER_DIED. */
    void spaceDied(int space) {
        for (int i = 0; i < step.entries.size(); i++) {
            Entry e = step.entries.get(i);
            if (e.space() == space && e.slot() >= 0 && e.caller() >= 0) {
                step.entries.set(i, e.withoutCaller());
                step.endCall(e.caller(), Status.PEER_DIED);
            }
        }
    }

    /** A CALLER_CANCELLED message left its queue (received or dropped): an entry without a capability is free again. */
    void noticeDone(Model.Notice n) {
        if (n.kind() == Model.CALLER_CANCELLED) {
            step.entries.removeIf(e -> e.space() == n.space() && e.gen() == n.gen() && e.slot() < 0);
        }
    }
}
