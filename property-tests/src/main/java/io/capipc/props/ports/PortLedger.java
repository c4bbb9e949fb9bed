package io.capipc.props.ports;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.KernelView.EntryView;
import io.capipc.kernel.inspect.KernelView.PortView;
import io.capipc.kernel.inspect.KernelView.SlotView;
import io.capipc.kernel.inspect.KernelView.TaskView;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.props.harness.Tally;
import io.capipc.props.ports.PortAction.AsyncCall;
import io.capipc.props.ports.PortAction.AsyncSend;
import io.capipc.props.ports.PortAction.Bind;
import io.capipc.props.ports.PortAction.CancelBadgedSends;
import io.capipc.props.ports.PortAction.Delete;
import io.capipc.props.ports.PortAction.PortCall;
import io.capipc.props.ports.PortAction.Recv;
import io.capipc.props.ports.PortAction.Revoke;
import io.capipc.props.ports.PortAction.Send;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;


/** What the kernel did, as its users and views see it: each port's accepted messages, deliveries and answers. */
final class PortLedger {
    private final PortWorld w;
    /** Kernel port ids, by the model's port number (the order Binds succeeded). */
    final List<Integer> portIds = new ArrayList<>();
    final List<Log> logs = new ArrayList<>();
    /** The port bound in each port slot now (-1: none). */
    final int[] current = {-1, -1};
    /** A client's Call through a port still pending: the port and how many messages it had accepted before. */
    final Map<Integer, int[]> pendingCalls = new HashMap<>();

    static final class Log {
        final List<Long> sent = new ArrayList<>();
        final List<Long> delivered = new ArrayList<>();
        final Set<Long> tags = new HashSet<>();
        final Set<Long> outstanding = new HashSet<>();
        boolean lossSeen;
    }

    PortLedger(PortWorld w) {
        this.w = w;
    }

    /** The model's object number of a kernel object id: endpoints 0..2, ports 10 + p; -1 for none. */
    int object(int id) {
        if (id < 0) {
            return -1;
        }
        for (int e = 0; e < w.endpoints.length; e++) {
            if (w.endpoints[e].id() == id) {
                return e;
            }
        }
        int p = portIds.indexOf(id);
        return p >= 0 ? 10 + p : -100 - id;
    }

    @Nullable PortView port(KernelView v, int p) {
        for (PortView pv : v.ports()) {
            if (pv.id() == portIds.get(p)) {
                return pv;
            }
        }
        return null;
    }

    /** Kernel task ids to the model's agents: tasks by number, carriers as {@link AsyncRules#carrier}. */
    Map<Integer, Integer> agents(KernelView v) {
        Map<Integer, Integer> out = new HashMap<>();
        for (int t = 0; t < PortWorld.TASKS; t++) {
            out.put(w.tasks[t].id(), t);
        }
        for (int p = 0; p < portIds.size(); p++) {
            PortView pv = port(v, p);
            if (pv != null) {
                for (EntryView e : pv.entries()) {
                    out.put(e.carrier(), AsyncRules.carrier(p, e.index()));
                }
            }
        }
        return out;
    }

    private static int slotIndex(int portSlot) {
        return portSlot == PortWorld.PORT_SLOTS[0] ? 0 : 1;
    }

    /** A Bind that succeeded on the kernel: its port is the model's next. */
    void bound(PortAction a, Outcome o, KernelView after) {
        if (a instanceof Bind b && o == Outcome.OK) {
            int id = after.space(w.space.id()).slots().stream().filter(s -> s.index() == b.dst()).findFirst()
                    .orElseThrow().objectId();
            portIds.add(id);
            logs.add(new Log());
            current[slotIndex(b.dst())] = portIds.size() - 1;
        }
    }

    /** Records one step and checks the guarantees selected; a broken one, or null. */
    @Nullable String observe(PortAction a, Outcome o, KernelView before, KernelView after, Tally cov, Set<PortProperty.Check> checks) {
        List<String> out = new ArrayList<>();
        int t = a.task();
        boolean lossBefore = totalLost(before) > 0;
        switch (a) {
            case AsyncSend s -> {
                sent(s.port(), s.mr(), o, false, t, before, after, cov, checks, out);
                carried(s.cap(), s.cap2(), o, cov);
            }
            case AsyncCall s -> {
                sent(s.port(), s.mr(), o, true, t, before, after, cov, checks, out);
                carried(s.cap(), s.cap2(), o, cov);
            }
            case PortCall s -> {
                int p = current[slotIndex(s.port())];
                if (p >= 0 && o != Outcome.REVOKED && o != Outcome.INVALID_CAPABILITY) {
                    Log log = logs.get(p);
                    if (checks.contains(PortProperty.Check.LOSSES) && log.lossSeen) {
                        out.add("a Call through port " + p + " was accepted after it lost messages: a gap");
                    }
                    pendingCalls.put(t, new int[] {p, log.sent.size(), log.delivered.size()});
                }
            }
            case Delete d -> {
                for (int k = 0; k < 2; k++) {
                    if (d.slot() == PortWorld.PORT_SLOTS[k] && current[k] >= 0) {
                        PortView pv = port(before, current[k]);
                        if (pv != null && pv.entries().stream().anyMatch(e -> !e.phase().equals("FREE"))) {
                            cov.count("port destroyed with entries in use");
                        }
                        current[k] = -1;
                    }
                }
            }
            default -> { }
        }
        for (int p = 0; p < portIds.size(); p++) {
            PortView was = port(before, p);
            PortView is = port(after, p);
            if (!(a instanceof Delete) && was != null && !was.destroyed() && is != null && is.destroyed()) {
                cov.count("port destroyed by its own message's capability");
            }
        }
        deliveries(a, o, before, after, cov, checks, out);
        answers(a, o, before, after, cov, checks, out);
        barrier(before, after, cov, checks, out);
        losses(a, before, after, lossBefore, cov, checks, out);
        for (int s : PortWorld.SERVERS) {
            if (a instanceof Delete && after.task(w.tasks[s].id()).holdsCancelled() && !before.task(w.tasks[s].id()).holdsCancelled()) {
                cov.count("server left a cancelled async context");
            }
        }
        return out.isEmpty() ? null : String.join("; ", out);
    }

    private static void carried(int cap, int cap2, Outcome o, Tally cov) {
        if (cap >= 0 && o == Outcome.OK) {
            cov.count("async message carried a capability");
        }
        if (cap2 >= 0 && o == Outcome.OK) {
            cov.count("async message carried two capabilities");
        }
    }

    private void sent(int portSlot, long mr, Outcome o, boolean call, int t, KernelView before, KernelView after, Tally cov,
                      Set<PortProperty.Check> checks, List<String> out) {
        int p = current[slotIndex(portSlot)];
        IpcBuffer ipc = w.d.ipc(w.tasks[t]);
        if (checks.contains(PortProperty.Check.LOSSES) && (o == Outcome.BLOCKED || after.task(w.tasks[t].id()).state() != TaskState.RUNNING)) {
            out.add((call ? "AsyncCall" : "AsyncSend") + " blocked its sender (" + o + ")");
        }
        if (o == Outcome.WOULD_BLOCK) {
            cov.count("port full (WOULD_BLOCK)");
        }
        if (o == Outcome.REVOKED && p >= 0) {
            PortView pv = port(before, p);
            if (pv != null && pv.lost() > 0) {
                cov.count("refused after a loss (REVOKED)");
            } else if (call && pv != null && !pv.revoked() && pv.replyEndpoint() < 0) {
                cov.count("AsyncCall refused: reply endpoint gone");
            }
        }
        if (p < 0 || o != Outcome.OK) {
            return;
        }
        Log log = logs.get(p);
        if (checks.contains(PortProperty.Check.LOSSES) && log.lossSeen) {
            out.add("port " + p + " accepted message mr=" + mr + " after it lost messages: a gap");
        }
        log.sent.add(mr);
        if (call) {
            long tag = ipc.tag();
            if (checks.contains(PortProperty.Check.CALLS) && !log.tags.add(tag)) {
                out.add("port " + p + " repeated tag " + tag);
            }
            log.outstanding.add(tag);
        }
    }

    /** Which port sent the message with registers seeded {@code mr}, or -1. */
    private int senderOf(long mr) {
        for (int p = 0; p < logs.size(); p++) {
            if (logs.get(p).sent.contains(mr)) {
                return p;
            }
        }
        return -1;
    }

    /** Tasks that received during this step: the actor's Recv that returned OK, and receivers woken with OK. */
    private List<Integer> receivers(PortAction a, Outcome o, KernelView before, KernelView after) {
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < PortWorld.TASKS; t++) {
            TaskView b = before.task(w.tasks[t].id());
            TaskView k = after.task(w.tasks[t].id());
            boolean own = a.task() == t && a instanceof Recv && o == Outcome.OK;
            boolean woken = b.state() == TaskState.BLOCKED_ON_RECEIVE && k.state() == TaskState.RUNNING
                    && w.d.ipc(w.tasks[t]).status() == Status.OK;
            if (own || woken) {
                out.add(t);
            }
        }
        return out;
    }

    private void deliveries(PortAction a, Outcome o, KernelView before, KernelView after, Tally cov, Set<PortProperty.Check> checks,
                            List<String> out) {
        for (int t : receivers(a, o, before, after)) {
            IpcBuffer ipc = w.d.ipc(w.tasks[t]);
            long info = ipc.info();
            // Clients receive answers; a port's own message reaches a client only through a port
            // bound to the client's reply endpoint (a template does that).
            boolean portMessage = MessageInfo.isAsync(info) && MessageInfo.kind(info) != Kind.REPLY;
            if (!PortWorld.isServer(t) && !portMessage) {
                continue;
            }
            long mr = ipc.mr(0) / 100;
            if (!MessageInfo.isAsync(info)) {
                if (ipc.badge() == PortWorld.SYNC_BADGE && queuedCarrier(before, true)) {
                    cov.count("sync Send taken with an async message queued behind it");
                }
                continue;
            }
            int p = senderOf(mr);
            if (p < 0) {
                if (checks.contains(PortProperty.Check.ORDER) || checks.contains(PortProperty.Check.LOSSES)) {
                    out.add("t" + t + " received an async message nobody sent (MR0 " + ipc.mr(0) + ")");
                }
                continue;
            }
            Log log = logs.get(p);
            if (MessageInfo.caps(info) > 0) {
                cov.count("capability arrived unwrapped from a port");
            }
            if (!PortWorld.isServer(t) && (checks.contains(PortProperty.Check.ORDER) || checks.contains(PortProperty.Check.LOSSES))) {
                PortView sentThrough = port(before, p);
                int from = a.task() == t && a instanceof Recv r ? slotObject(before, r.slot()) : before.task(w.tasks[t].id()).blockedOn();
                if (sentThrough == null || from != sentThrough.endpoint()) {
                    out.add("t" + t + " received port " + p + "'s message mr=" + mr + " on an endpoint that is not the port's");
                }
            }
            cov.count(a.task() == t ? "async message taken from the queue" : "async send delivered to a waiting server");
            if (checks.contains(PortProperty.Check.ORDER) && log.delivered.contains(mr)) {
                out.add("port " + p + "'s message mr=" + mr + " delivered twice");
            }
            int index = log.sent.indexOf(mr);
            if (checks.contains(PortProperty.Check.ORDER) && !log.delivered.isEmpty() && log.sent.indexOf(log.delivered.getLast()) > index) {
                out.add("port " + p + " delivered mr=" + mr + " after mr=" + log.delivered.getLast() + ", sent later");
            }
            log.delivered.add(mr);
        }
    }

    /** True if a carrier waits in the endpoint's queue, behind a task when {@code behindATask}. */
    private boolean queuedCarrier(KernelView v, boolean behindATask) {
        Map<Integer, Integer> who = agents(v);
        boolean task = !behindATask;
        for (int id : v.endpoint(w.endpoints[0].id()).queued()) {
            Integer x = who.get(id);
            if (x != null && !AsyncRules.isCarrier(x)) {
                task = true;
            } else if (x != null && task) {
                return true;
            }
        }
        return false;
    }

    private void answers(PortAction a, Outcome o, KernelView before, KernelView after, Tally cov, Set<PortProperty.Check> checks,
                         List<String> out) {
        for (int t : receivers(a, o, before, after)) {
            if (PortWorld.isServer(t) || t == PortWorld.SENDER) {
                continue;
            }
            IpcBuffer ipc = w.d.ipc(w.tasks[t]);
            long info = ipc.info();
            if (MessageInfo.kind(info) != Kind.REPLY || !MessageInfo.isAsync(info)) {
                continue;
            }
            int replyObj = a.task() == t && a instanceof Recv r ? object(slotObject(before, r.slot()))
                    : object(before.task(w.tasks[t].id()).blockedOn());
            long tag = ipc.badge();
            int p = replyObj >= 1 && replyObj <= 2 ? answering(before, after, w.endpoints[replyObj].id(), tag) : -1;
            int held = before.task(w.tasks[t].id()).holdsContextOf();
            if (a.task() != t) {
                cov.count("answer handed to a waiting client");
            } else if (held >= 0 && before.ports().stream().flatMap(pv -> pv.entries().stream())
                    .anyMatch(e -> e.carrier() == held && e.tag() == tag)) {
                cov.count("Recv dropped a held AsyncCall and took an answer at once");
            }
            String what = MessageInfo.isSystem(info) ? Status.values()[MessageInfo.label(info)].name() : "a reply";
            cov.count("async call answered " + (MessageInfo.isSystem(info) ? what : "by a reply"));
            if (checks.contains(PortProperty.Check.CALLS) && (p < 0 || !logs.get(p).outstanding.remove(tag))) {
                out.add("t" + t + " received " + what + " for tag " + tag + " of port " + p + ", which had no unanswered AsyncCall with it");
            }
        }
        if (!checks.contains(PortProperty.Check.CALLS)) {
            return;
        }
        Set<Integer> holders = new HashSet<>();
        after.tasks().forEach(k -> holders.add(k.holdsContextOf()));
        for (int p = 0; p < logs.size(); p++) {
            PortView pv = port(after, p);
            for (EntryView e : pv == null ? List.<EntryView>of() : pv.entries()) {
                if (e.state() == TaskState.BLOCKED_ON_REPLY && !holders.contains(e.carrier())) {
                    out.add("port " + p + "'s AsyncCall tag " + e.tag() + " waits for a reply from a context nobody holds");
                }
            }
        }
        for (int p = 0; p < logs.size(); p++) {
            PortView pv = port(after, p);
            if (pv == null || pv.destroyed() || pv.replyEndpoint() < 0) {
                logs.get(p).outstanding.clear();
                continue;
            }
            for (long tag : logs.get(p).outstanding) {
                boolean held = pv.entries().stream().anyMatch(e -> !e.phase().equals("FREE") && e.tag() == tag);
                if (!held) {
                    out.add("port " + p + "'s AsyncCall tag " + tag + " ended without a reply or an error message");
                }
            }
        }
    }

    /**
     * The port whose answer with {@code tag} reached a client on reply endpoint {@code replyId} this
     * step: the one that answers there and whose entry held the tag before and not after. Not simply
     * the port now bound in the reply endpoint's slot: a port moved or copied into flight outlives the
     * Delete of its slot, and a new port may be bound there while the old one still answers.
     */
    private int answering(KernelView before, KernelView after, int replyId, long tag) {
        for (int p = 0; p < logs.size(); p++) {
            PortView was = port(before, p);
            if (was == null || was.replyEndpoint() != replyId) {
                continue;
            }
            PortView is = port(after, p);
            for (EntryView e : was.entries()) {
                if (!e.phase().equals("FREE") && e.tag() == tag
                        && (is == null || is.entries().get(e.index()).tag() != tag || is.entries().get(e.index()).phase().equals("FREE"))) {
                    return p;
                }
            }
        }
        return -1;
    }

    private int slotObject(KernelView v, int slot) {
        return v.space(w.space.id()).slots().stream().filter(s -> s.index() == slot).mapToInt(SlotView::objectId).findFirst()
                .orElse(-1);
    }

    private void barrier(KernelView before, KernelView after, Tally cov, Set<PortProperty.Check> checks, List<String> out) {
        for (Map.Entry<Integer, int[]> e : List.copyOf(pendingCalls.entrySet())) {
            int t = e.getKey();
            if (after.task(w.tasks[t].id()).state() != TaskState.RUNNING) {
                continue;
            }
            pendingCalls.remove(t);
            if (w.d.ipc(w.tasks[t]).status() != Status.OK) {
                continue;
            }
            Log log = logs.get(e.getValue()[0]);
            int earlier = e.getValue()[1];
            if (earlier > e.getValue()[2]) {
                cov.count("barrier Call returned OK after queued messages");
            }
            for (long mr : log.sent.subList(0, earlier)) {
                if (checks.contains(PortProperty.Check.ORDER) && !log.delivered.contains(mr)) {
                    out.add("t" + t + "'s Call through port " + e.getValue()[0] + " returned OK before mr=" + mr
                            + ", sent earlier, was delivered");
                }
            }
        }
    }

    private static long totalLost(KernelView v) {
        return v.ports().stream().mapToLong(PortView::lost).sum();
    }

    private void losses(PortAction a, KernelView before, KernelView after, boolean lossBefore, Tally cov, Set<PortProperty.Check> checks,
                        List<String> out) {
        for (int p = 0; p < logs.size(); p++) {
            PortView pb = port(before, p);
            PortView pv = port(after, p);
            Log log = logs.get(p);
            if (pv == null || pv.destroyed()) {
                continue;
            }
            long was = pb == null ? 0 : pb.lost();
            if (pv.lost() > was) {
                String how = switch (a) {
                    case Revoke r when r.slot() == PortWorld.ENDPOINT -> "loss by Revoke of the endpoint's root";
                    case Revoke r -> "loss by Revoke of the client's capability";
                    case CancelBadgedSends c -> "loss by CancelBadgedSends";
                    default -> "loss by " + a.getClass().getSimpleName();
                };
                cov.count(how);
                if (pv.lost() - was > 1) {
                    cov.count("loss of more than one message");
                }
            }
            if (pv.lost() > 0) {
                log.lossSeen = true;
            }
            if (!checks.contains(PortProperty.Check.LOSSES)) {
                continue;
            }
            // Queued on the port's endpoint, not yet answering (a port may be answered on the endpoint it calls).
            long queued = pv.entries().stream()
                    .filter(e -> e.state() == TaskState.BLOCKED_ON_SEND && e.blockedOn() == pv.endpoint()
                            && !e.phase().equals("REPLYING"))
                    .count();
            int d = log.delivered.size();
            if (log.sent.size() != d + queued + pv.lost()) {
                out.add("port " + p + " accepted " + log.sent.size() + " messages but delivered " + d + ", has " + queued
                        + " queued and counts " + pv.lost() + " lost");
            }
            if (!log.sent.subList(0, Math.min(d, log.sent.size())).containsAll(log.delivered)) {
                out.add("port " + p + " delivered " + log.delivered + " of " + log.sent + ": not the first ones sent");
            }
        }
    }
}
