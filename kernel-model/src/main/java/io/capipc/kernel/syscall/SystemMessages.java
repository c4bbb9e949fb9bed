package io.capipc.kernel.syscall;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.SystemMessage;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notice;
import io.capipc.kernel.object.Task;

/**
 * Posting and receiving system messages (SPEC section 6). A notice is posted to an endpoint that
 * accepts its kind: straight to the oldest waiting receiver, or into the endpoint's notice queue,
 * which receivers take before queued senders. Only the kernel builds these words, so the SYSTEM flag
 * cannot be forged (SPEC guarantee 1); the notices are preallocated, so nothing is allocated.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock.
 */
public final class SystemMessages {
    private final Wakeups wakeups;
    private final InjectedBugs faults;

    public SystemMessages(Wakeups wakeups, InjectedBugs faults) {
        this.wakeups = wakeups;
        this.faults = faults;
    }

    /**
     * The syscall choosing which kinds {@code t}'s endpoint in slot {@code cap} receives (needs READ):
     * unknown bits in {@code kinds} or a slot out of range INVALID_ARGUMENT, then the endpoint lookup
     * and READ. Notices already queued stay.
     */
    public static Status choose(Task t, int cap, int kinds) {
        Status s = SystemMessage.isValidMask(kinds) ? Decode.endpoint(t.space().cspace(), cap, Rights.READ)
                : Status.INVALID_ARGUMENT;
        if (s == Status.OK) {
            ((Endpoint) t.space().cspace().slot(cap).object()).accept(kinds);
        }
        return t.ipc().complete(s);
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
            if (!faults.has(InjectedBug.NOTICE_DROPPED)) {
                ep.enqueue(n);
            }
            return;
        }
        ep.remove(receiver);
        deliver(receiver, n);
        wakeups.complete(receiver, Status.OK);
        done(n);
    }

    /** {@code t} receives the oldest notice queued on {@code ep}, which the caller saw there. */
    static void receive(Task t, Endpoint ep) {
        Notice n = ep.firstNotice();
        ep.remove(n);
        deliver(t, n);
        done(n);
    }

    /** Drops every notice queued on {@code ep}, which was destroyed: nobody can receive them now. */
    static void dropAll(Endpoint ep) {
        for (Notice n = ep.firstNotice(); n != null; n = ep.firstNotice()) {
            ep.remove(n);
            done(n);
        }
    }

    /** The word of a received system message: kind SEND, the SYSTEM flag, its kind as the label, MR0. */
    private static long info(Notice n) {
        return MessageInfo.withKind(MessageInfo.pack(n.kind().label(), 1, 0, true), Kind.SEND);
    }

    private static void deliver(Task to, Notice n) {
        to.ipc().setMr(0, n.word());
        to.ipc().clearUnwrapped();
        to.ipc().received(info(n), n.badge());
    }

    private static void done(Notice n) {
        if (n.owner() != null) {
            n.owner().noticeDone(n);
        }
    }
}
