package io.capipc.props.model;

import io.capipc.api.Status;
import io.capipc.props.model.Model.CallCtx;
import io.capipc.props.model.Model.MTask;
import java.util.ArrayList;
import java.util.List;

/**
 * docs/semantics.md §5.3's transitions over a {@link Step}: Read, Write and CallerInfo on a caller's
 * context, the current one or one named by a handle. {@code caller} is the task whose context it is,
 * or -1, and then the syscall is refused with {@code absent} (NO_CALLER or CANCELLED for the current
 * context; INVALID_CAPABILITY or CANCELLED for a handle).
 */
final class BufferRules {
    private final Step step;

    BufferRules(Step step) {
        this.step = step;
    }

    /** Read into the task's scratch buffer from the caller's send buffer at {@code offset}. */
    Status read(int t, int caller, Status absent, long offset, int len) {
        MTask me = step.tasks.get(t);
        if (caller < 0) {
            return absent;
        }
        List<Byte> src = step.tasks.get(caller).call().send();
        if (offset < 0 || offset > src.size()) {
            return Status.RANGE;
        }
        int n = (int) Math.min(len, src.size() - offset);
        List<Byte> scratch = new ArrayList<>(me.scratch());
        for (int i = 0; i < n; i++) {
            scratch.set(i, src.get((int) offset + i));
        }
        step.tasks.set(t, Step.withMemory(me, n, me.recvArea(), List.copyOf(scratch)));
        return Status.OK;
    }

    /** Write the task's scratch buffer (first filled with {@code fill + i}) into the caller's receive buffer at {@code offset}. */
    Status write(int t, int caller, Status absent, long offset, int len, int fill) {
        MTask me = step.tasks.get(t);
        List<Byte> scratch = new ArrayList<>(me.scratch());
        for (int i = 0; i < len; i++) {
            scratch.set(i, (byte) (fill + i));
        }
        me = Step.withMemory(me, me.count(), me.recvArea(), List.copyOf(scratch));
        step.tasks.set(t, me);
        if (caller < 0) {
            return absent;
        }
        MTask c = step.tasks.get(caller);
        int size = c.call().recvSize();
        if (offset < 0 || offset > size) {
            return Status.RANGE;
        }
        int n = (int) Math.min(len, size - offset);
        List<Byte> area = new ArrayList<>(c.recvArea());
        for (int i = 0; i < n; i++) {
            area.set((int) offset + i, scratch.get(i));
        }
        step.tasks.set(caller, Step.withMemory(c, c.count(), List.copyOf(area), c.scratch()));
        MTask now = step.tasks.get(t);
        step.tasks.set(t, Step.withMemory(now, n, now.recvArea(), now.scratch()));
        return Status.OK;
    }

    /** The caller's badge, label and buffer sizes. */
    Status callerInfo(int t, int caller, Status absent) {
        if (caller < 0) {
            return absent;
        }
        MTask me = step.tasks.get(t);
        CallCtx c = step.tasks.get(caller).call();
        step.tasks.set(t, new MTask(me.state(), me.blockedOn(), me.isCall(), me.sendInfo(), me.sendBadge(), me.mr(),
                me.status(), me.info(), me.badge(), me.count(), c.badge(), c.label(), c.send().size(), c.recvSize(),
                me.holds(), me.call(), me.recvArea(), me.scratch()));
        return Status.OK;
    }

    /** Without a current context: CANCELLED if the caller of the one {@code t} held gave up, else NO_CALLER (docs/semantics.md §5.3). */
    Status noCaller(int t) {
        return step.cancelled.get(t) ? Status.CANCELLED : Status.NO_CALLER;
    }
}
