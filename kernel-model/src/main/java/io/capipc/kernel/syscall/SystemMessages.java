package io.capipc.kernel.syscall;

import static io.capipc.kernel.bugs.InjectedBug.NOTICE_DROPPED;

import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.SystemMessage;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.ipc.Delivery;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notice;
import io.capipc.kernel.object.Task;

/**
 * Posting and receiving system messages (docs/semantics.md §6). A notice is posted to an endpoint that
 * accepts its kind: straight to the oldest waiting receiver, or into the endpoint's notice queue,
 * which receivers take before queued senders. Only the kernel builds these words, so the SYSTEM flag
 * cannot be forged (docs/semantics.md guarantee 1); the notices are preallocated, so nothing is allocated.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock.
 */
public final class SystemMessages {
    private final Wakeups wakeups;
    private final InjectedBugs bugs;

    public SystemMessages(Wakeups wakeups, InjectedBugs bugs) {
        this.wakeups = wakeups;
        this.bugs = bugs;
    }

    /**
     * The syscall choosing which kinds {@code t}'s endpoint in slot {@code cap} receives (needs READ):
     * unknown bits in {@code kinds} or a slot out of range INVALID_ARGUMENT, then the endpoint lookup
     * and READ. Notices already queued stay.
     */
    public static Status choose(Task t, int cap, int kinds) {
        Reason r = SystemMessage.isValidMask(kinds) ? Decode.capability(t, cap, ObjectType.ENDPOINT, Rights.READ)
                : Reason.MASK_UNKNOWN_BITS;
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        ((Endpoint) t.decodedSlot().object()).accept(kinds);
        return t.ipc().complete(Status.OK);
    }

    /**
     * Posts {@code n} about {@code badge}, with MR0 {@code word}, to {@code ep}; nothing is posted if
     * {@code ep} is destroyed or does not accept the kind.
     */
    public void post(Endpoint ep, Notice n, long badge, long word) {
        if (ep == null || ep.isDestroyed() || !ep.accepts(n.kind())) {
            return;
        }
        n.fill(badge, word);
        Task receiver = ep.firstReceiver();
        if (receiver == null) {
            if (!bugs.on(NOTICE_DROPPED)) { ep.enqueue(n); }
            return;
        }
        ep.remove(receiver);
        Delivery.systemMessage(receiver, n);
        wakeups.complete(receiver, Status.OK);
        done(n);
    }

    /** {@code t} receives the oldest notice queued on {@code ep}, which the caller saw there. */
    static void receive(Task t, Endpoint ep) {
        Notice n = ep.firstNotice();
        ep.remove(n);
        Delivery.systemMessage(t, n);
        done(n);
    }

    /** Drops every notice queued on {@code ep}, which was destroyed: nobody can receive them now. */
    static void dropAll(Endpoint ep) {
        for (Notice n = ep.firstNotice(); n != null; n = ep.firstNotice()) {
            ep.remove(n);
            done(n);
        }
    }

    private static void done(Notice n) {
        if (n.owner() != null) {
            n.owner().noticeDone(n);
        }
    }
}
