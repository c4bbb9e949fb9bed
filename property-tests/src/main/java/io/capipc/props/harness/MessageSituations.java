package io.capipc.props.harness;

import io.capipc.api.Handles;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.props.model.Model;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link Coverage} counters for the guarantees about messages, calls and their contexts: badges and
 * system messages seen (guarantee 1), how Calls end (4), handles used after their context ended and
 * after their slot or entry was reused (5), messages in order (6), system messages of every kind (7),
 * replies to nobody (8), queues of several tasks (9), and Read and Write at every boundary of the
 * attached segments (10).
 */
public final class MessageSituations {
    private MessageSituations() {}

    /** The by-handle syscalls, by the name {@link Situations#syscall} gives them. */
    public static final List<String> BY_HANDLE = List.of("Resume", "Reply(h)", "Forward(h)", "Read(h)", "Write(h)", "CallerInfo(h)");

    /** The syscalls that send a message user code wrote, and so must refuse the SYSTEM flag. */
    public static final List<String> SENDING = List.of("Send", "NBSend", "Call", "Reply", "ReplyWait", "Forward", "Reply(h)", "Forward(h)");

    /** The system message kinds, by label. */
    private static final String[] KIND = {"", "CALLER_CANCELLED", "BADGE_DISCONNECTED", "TASK_FAULTED"};

    /** Guarantee 1: badges shown for messages and unwrapped capabilities; forged SYSTEM flags refused. */
    public static Supplier<Coverage.Counter> identity() {
        return () -> (s, cov) -> {
            Model m = s.before();
            for (int i = 0; i < m.tasks().size(); i++) {
                int t = i;
                Model.MTask now = s.after().task(t);
                if (now.info() == m.task(t).info() && now.badge() == m.task(t).badge() && s.resumed().stream().noneMatch(r -> r.task() == t)
                        && (s.action() instanceof Action.Driver || s.action().task() != t)) {
                    continue;
                }
                if (now.badge() != 0 && !MessageInfo.isSystem(now.info()) && MessageInfo.kind(now.info()) != io.capipc.api.Kind.NOTIFICATION) {
                    cov.reached("a message received with a badge");
                }
                if (s.after().xfer().get(t).capBadges().stream().anyMatch(b -> b != 0)) {
                    cov.reached("a capability unwrapped with a badge");
                }
                if (MessageInfo.isSystem(now.info()) && now.badge() != 0) {
                    cov.reached("a system message received with a badge");
                }
            }
            Action a = s.action();
            if (s.kernelStatus() != null && !(a instanceof Action.Driver)
                    && s.world().ipc(a.task()).reason() == io.capipc.api.Reason.SYSTEM_FLAG) {
                cov.reached("the SYSTEM flag refused: " + Situations.syscall(a));
            }
        };
    }

    /**
     * Guarantee 4: every ending of a Call, those of Calls whose context was suspended, forwarded Calls
     * answered, Calls forwarded by handle and to a receiver already waiting, and Calls answered by handle.
     */
    public static Supplier<Coverage.Counter> calls() {
        return () -> {
            Set<Integer> forwarded = new HashSet<>();
            return (s, cov) -> {
                for (Status st : Checks.callEndings(s)) {
                    cov.reached("a Call ended " + st);
                }
                Model m = s.before();
                Action a = s.action();
                for (World.Resumed r : s.resumed()) {
                    if (m.suspendedIn(r.task()) >= 0) {
                        cov.reached("a suspended Call ended " + (r.status() == Status.NO_REPLY && a instanceof Action.Delete
                                ? "NO_REPLY by Delete" : r.status().name()));
                    }
                    if (forwarded.remove(r.task()) && r.status() == Status.OK) {
                        cov.reached("a forwarded Call answered");
                    }
                    if (m.task(r.task()).state() == Model.State.BLOCKED_ON_REPLY && r.status() == Status.OK && a instanceof Action.ReplyHandle) {
                        cov.reached("a Call answered by handle");
                    }
                }
                if (s.modelStatus() == Status.OK && a instanceof Action.Forward f && m.task(f.task()).holds() >= 0) {
                    forwarded.add(m.task(f.task()).holds());
                    forwardedTo(m, f.task(), f.slot(), cov);
                }
                if (s.modelStatus() == Status.OK && a instanceof Action.ForwardHandle f) {
                    Model.Entry e = Situations.entry(m, f.task(), f.handle());
                    if (e != null && e.caller() >= 0) {
                        forwarded.add(e.caller());
                        cov.reached("a suspended Call forwarded by handle");
                        forwardedTo(m, f.task(), f.slot(), cov);
                    }
                }
                if (a instanceof Action.Call c) {
                    forwarded.remove(c.task());
                }
                if (s.modelStatus() == Status.OK && a instanceof Action.Resume && s.after().task(a.task()).holds() >= 0) {
                    cov.reached("a suspended context resumed");
                }
            };
        };
    }

    /** A Call forwarded through {@code slot} of {@code t}'s Space to an endpoint where a receiver waits: delivered at once. */
    private static void forwardedTo(Model m, int t, int slot, Coverage cov) {
        Model.Cap via = m.caps().get(new Model.Ref(m.shape().space(t), slot));
        if (via != null && via.object() < m.endpoints().size() && m.endpoints().get(via.object()).kind() == Model.Kind.RECEIVERS) {
            cov.reached("a Call forwarded to a waiting receiver");
        }
    }

    /**
     * Guarantee 5: each by-handle syscall with a live handle, one whose caller has gone, one used up,
     * one used up whose slot holds a newer reply capability, one used up after its Space suspended
     * again (a pool entry reused), another Space's, and a forged one; and ReplyWait answering a Call.
     */
    public static Supplier<Coverage.Counter> handles() {
        return () -> (s, cov) -> {
            Action a = s.action();
            Action.Handle h = ReliabilityChecks.handleOf(a);
            Model m = s.before();
            if (a instanceof Action.ReplyWait r && m.task(r.task()).holds() >= 0 && s.modelStatus() != Status.INVALID_ARGUMENT
                    && s.modelStatus() != Status.INVALID_CAPABILITY && s.modelStatus() != Status.INSUFFICIENT_RIGHTS) {
                cov.reached("ReplyWait answering a Call");
            }
            if (h == null) {
                return;
            }
            String op = Situations.syscall(a);
            for (String kind : kinds(m, a.task(), h)) {
                cov.reached(op + " by " + kind);
            }
        };
    }

    /** What kind of handle {@code h} is for task {@code t} in {@code m}. */
    private static List<String> kinds(Model m, int t, Action.Handle h) {
        if (h.nth() < 0) {
            return List.of("a forged handle");
        }
        if (h.nth() >= m.issued().size()) {
            return List.of();
        }
        Model.Issued is = m.issued().get(h.nth());
        int space = m.shape().space(t);
        if (is.space() != space) {
            return List.of("another Space's handle");
        }
        Model.Entry e = m.entryAt(space, Handles.slot(is.handle()));
        if (e != null && e.handle() == is.handle()) {
            return List.of(e.caller() >= 0 ? "a live handle" : "a handle whose caller has gone");
        }
        List<String> out = new ArrayList<>(List.of("a used-up handle"));
        if (e != null) {
            out.add("a used-up handle whose slot holds a newer context");
        }
        boolean later = m.issued().subList(h.nth() + 1, m.issued().size()).stream().anyMatch(x -> x.space() == space);
        if (later) {
            out.add("a used-up handle after its Space suspended again");
        }
        return out;
    }

    /** Guarantee 6: messages delivered from the queue and straight, a task's next message on one endpoint, Calls. */
    public static Supplier<Coverage.Counter> ordering() {
        return () -> {
            Map<Integer, Set<Integer>> delivered = new HashMap<>();
            return (s, cov) -> {
                Model m = s.before();
                Model after = s.after();
                for (int t = 0; t < m.tasks().size(); t++) {
                    Model.MTask was = m.task(t);
                    Model.MTask now = after.task(t);
                    boolean fromQueue = was.state() == Model.State.BLOCKED_ON_SEND && now.state() != Model.State.BLOCKED_ON_SEND
                            && (now.state() == Model.State.BLOCKED_ON_REPLY || now.status() == Status.OK) && now.state() != Model.State.DEAD;
                    if (fromQueue) {
                        cov.reached(was.isCall() ? "a queued Call taken" : "a queued Send delivered");
                        if (!delivered.computeIfAbsent(t, k -> new HashSet<>()).add(was.blockedOn())) {
                            cov.reached("a task's later message delivered on the same endpoint");
                        }
                    }
                }
                Action a = s.action();
                boolean straight = (a instanceof Action.Send || a instanceof Action.NBSend) && s.modelStatus() == Status.OK
                        || a instanceof Action.Call && after.task(a.task()).state() == Model.State.BLOCKED_ON_REPLY;
                if (straight) {
                    cov.reached("a message handed straight to a waiting receiver");
                    int slot = a instanceof Action.Send x ? x.slot() : a instanceof Action.NBSend x ? x.slot() : ((Action.Call) a).slot();
                    int ep = m.caps().get(new Model.Ref(m.shape().space(a.task()), slot)).object();
                    if (!delivered.computeIfAbsent(a.task(), k -> new HashSet<>()).add(ep)) {
                        cov.reached("a task's later message delivered on the same endpoint");
                    }
                }
                for (Model.Queue q : m.endpoints()) {
                    if (q.kind() == Model.Kind.SENDERS && q.waiting().size() >= 2 && q.waiting().stream().distinct().count() >= 2) {
                        cov.reached("two tasks' messages queued on one endpoint");
                        break;
                    }
                }
            };
        };
    }

    /**
     * Guarantee 7: queued senders released with REVOKED, timed out or interrupted; each kind of system
     * message posted and received, straight or from the queue, and dropped with its endpoint.
     */
    public static Supplier<Coverage.Counter> systemMessages() {
        return () -> (s, cov) -> {
            Model m = s.before();
            for (Model.Posted p : s.after().posted()) {
                cov.reached(KIND[p.notice().kind()] + " posted");
            }
            for (int i = 0; i < m.tasks().size(); i++) {
                int t = i;
                Model.MTask now = s.after().task(t);
                boolean got = MessageInfo.isSystem(now.info()) && now.status() == Status.OK
                        && (s.resumed().stream().anyMatch(r -> r.task() == t) || (!(s.action() instanceof Action.Driver) && s.action().task() == t));
                if (got) {
                    int kind = MessageInfo.label(now.info());
                    cov.reached(KIND[kind] + " received");
                    cov.reached(m.task(t).state() == Model.State.BLOCKED_ON_RECEIVE ? "a system message handed straight to a waiting receiver"
                            : "a system message taken from the queue");
                }
            }
            for (int e = 0; e < m.shape().endpoints(); e++) {
                if (!m.notices().get(e).isEmpty() && Situations.exists(m, e) && !Situations.exists(s.after(), e)) {
                    cov.reached("system messages dropped with their endpoint");
                }
                if (!s.after().notices().get(e).isEmpty()) {
                    cov.reached("a system message queued");
                }
            }
            if (!s.after().posted().isEmpty()) {
                cov.reached("a system message posted");
            }
            for (World.Resumed r : s.resumed()) {
                Model.MTask was = m.task(r.task());
                if (was.state() == Model.State.BLOCKED_ON_SEND && r.status() == Status.REVOKED) {
                    cov.reached("a queued Send or Call released with REVOKED");
                } else if (was.state() == Model.State.BLOCKED_ON_SEND && !was.isCall()
                        && (r.status() == Status.TIMEOUT || r.status() == Status.INTERRUPTED)) {
                    cov.reached("a queued Send timed out or interrupted");
                }
            }
        };
    }

    /** Guarantee 8: a Reply to nobody, with a cancelled context, and by handle to a caller that has gone. */
    public static Supplier<Coverage.Counter> unreliableReplies() {
        return () -> (s, cov) -> {
            Model m = s.before();
            if (s.modelStatus() != Status.OK) {
                return;
            }
            if (s.action() instanceof Action.Reply r && m.task(r.task()).holds() < 0) {
                cov.reached(m.cancelled().get(r.task()) ? "Reply holding a cancelled context" : "Reply to nobody");
            }
            if (s.action() instanceof Action.ReplyHandle r) {
                Model.Entry e = Situations.entry(m, r.task(), r.handle());
                if (e != null && e.caller() < 0) {
                    cov.reached("Reply by handle to a caller that has gone");
                }
            }
        };
    }

    /** Guarantee 9: several tasks queued at once, served from the head, and leaving from the middle. */
    public static Supplier<Coverage.Counter> queues() {
        return () -> (s, cov) -> {
            Model m = s.before();
            for (int e = 0; e < m.endpoints().size(); e++) {
                Model.Queue q = m.endpoints().get(e);
                Model.Queue next = s.after().endpoints().get(e);
                int n = q.waiting().size();
                if (n >= 2) {
                    cov.reached(q.kind() == Model.Kind.SENDERS ? "2+ senders queued" : "2+ receivers queued");
                }
                if (n >= 3) {
                    cov.reached("3+ tasks queued");
                }
                for (int i = 0; i < n; i++) {
                    int t = q.waiting().get(i);
                    if (next.waiting().contains(t)) {
                        continue;
                    }
                    boolean served = s.after().task(t).status() == Status.OK || s.after().task(t).state() == Model.State.BLOCKED_ON_REPLY;
                    if (served && n >= 2) {
                        cov.reached(q.kind() == Model.Kind.SENDERS ? "a sender served from a queue of 2+" : "a receiver served from a queue of 2+");
                    } else if (!served && i > 0 && i < n - 1) {
                        cov.reached("a task left from the middle of a queue");
                    }
                }
            }
        };
    }

    /**
     * Guarantee 10: Read and Write (current or by handle) on a context that is there, at offset 0, at
     * the last byte, at the end, past it, negative, cut short by the end, from a segment boundary and
     * across one (the caller's Call attached several segments).
     */
    public static Supplier<Coverage.Counter> buffers() {
        return () -> {
            Situations.History history = new Situations.History();
            return (s, cov) -> {
                count(s, history, cov);
                history.after(s);
            };
        };
    }

    private static void count(Check.StepRecord s, Situations.History history, Coverage cov) {
        Model m = s.before();
        Action a = s.action();
        long offset;
        int len;
        int caller;
        boolean read;
        switch (a) {
            case Action.Read r -> {
                offset = r.offset();
                len = r.len();
                caller = m.cancelled().get(r.task()) ? -1 : m.task(r.task()).holds();
                read = true;
            }
            case Action.Write w -> {
                offset = w.offset();
                len = w.len();
                caller = m.cancelled().get(w.task()) ? -1 : m.task(w.task()).holds();
                read = false;
            }
            case Action.ReadHandle r -> {
                offset = r.offset();
                len = r.len();
                Model.Entry e = Situations.entry(m, r.task(), r.handle());
                caller = e == null ? -1 : e.caller();
                read = true;
            }
            case Action.WriteHandle w -> {
                offset = w.offset();
                len = w.len();
                Model.Entry e = Situations.entry(m, w.task(), w.handle());
                caller = e == null ? -1 : e.caller();
                read = false;
            }
            default -> {
                return;
            }
        }
        if (caller < 0) {
            return;
        }
        String op = read ? "Read" : "Write";
        if (a instanceof Action.ReadHandle || a instanceof Action.WriteHandle) {
            cov.reached(op + " by handle");
        }
        Model.CallCtx ctx = m.task(caller).call();
        long end = read ? ctx.send().size() : ctx.recvSize();
        if (offset < 0) {
            cov.reached(op + " at a negative offset");
            return;
        }
        if (offset > end) {
            cov.reached(op + " past the end");
            return;
        }
        if (offset == 0 && end > 0) {
            cov.reached(op + " at offset 0");
        }
        if (offset == end) {
            cov.reached(op + " at the end");
        }
        if (end > 0 && offset == end - 1) {
            cov.reached(op + " at the last byte");
        }
        long n = Math.min(len, end - offset);
        if (len > end - offset && offset < end) {
            cov.reached(op + " cut short by the end");
        }
        Action.Call call = history.call(caller);
        if (call == null) {
            return;
        }
        long at = 0;
        for (int size : read ? call.send() : call.recv()) {
            at += size;
            if (at > 0 && at < end && offset == at && n > 0) {
                cov.reached(op + " from a segment boundary");
            }
            if (at > 0 && at < end && offset < at && at < offset + n) {
                cov.reached(op + " across a segment boundary");
            }
        }
    }
}
