package io.capipc.props.harness;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Handles;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.props.model.Model;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The checks of docs/semantics.md guarantee 5 (a context is consumed at most once, by handle too) and 7 (what a
 * sender sends is delivered or the sender is told; system messages are never lost). Both keep their
 * own ledger across a run, from what the kernel returned and showed, and ask the model only what
 * the kernel cannot be asked: which capability an action invoked, and which system messages were
 * posted.
 */
public final class ReliabilityChecks {
    private ReliabilityChecks() {}

    /**
     * Guarantee 5: each blocked syscall, and so each caller context, completes at most once (from the
     * kernel's own trace of completions); and by handle: a Suspend never returns a handle it returned
     * before; once a handle is used up (its reply capability gone from its slot, after Reply, Forward,
     * Resume or Delete), every syscall naming it is refused with INVALID_CAPABILITY (or INVALID_ARGUMENT
     * for an argument checked before the handle), so a stale handle
     * never reaches a later caller; and a Reply by handle completes the Call of the caller the handle
     * was issued for, and no other.
     */
    public static Supplier<Check> repliesAtMostOnce() {
        return () -> new Check() {
            private final Set<Integer> blocked = new HashSet<>();
            /** Each handle issued, by Space (two Spaces may issue the same value): the id of the caller whose context it named. */
            private final Map<Issued, Integer> issued = new HashMap<>();
            private final Set<Issued> usedUp = new HashSet<>();

            @Override
            public String check(StepRecord s) {
                for (World.Resumed r : s.resumed()) {
                    if (!blocked.remove(r.task())) {
                        return "t" + r.task() + " was completed (" + r.status() + ") a second time";
                    }
                }
                if (s.kernelStatus() == null) {
                    blocked.add(s.action().task());
                }
                Action a = s.action();
                Action.Handle h = handleOf(a);
                int space = a instanceof Action.Driver ? -1 : s.viewBefore().task(s.world().task(a.task()).id()).spaceId();
                if (h != null) {
                    long value = s.world().handle(h);
                    Issued key = new Issued(space, value);
                    boolean refused = s.kernelStatus() == Status.INVALID_CAPABILITY || s.kernelStatus() == Status.INVALID_ARGUMENT;
                    if (usedUp.contains(key) && !refused) {
                        return "t" + a.task() + " named handle 0x" + Long.toHexString(value) + ", used up before, and "
                                + Action.show(a) + " returned " + s.kernelStatus() + ", not INVALID_CAPABILITY";
                    }
                    Integer who = issued.get(key);
                    for (World.Resumed r : s.resumed()) {
                        int id = s.world().task(r.task()).id();
                        if (a instanceof Action.ReplyHandle && (who == null || id != who)) {
                            return "a Reply by handle 0x" + Long.toHexString(value) + " completed t" + r.task()
                                    + ", not the caller it was issued for";
                        }
                    }
                }
                if (a instanceof Action.Suspend && s.kernelStatus() == Status.OK) {
                    long value = s.world().ipc(a.task()).handle();
                    Issued key = new Issued(space, value);
                    if (issued.containsKey(key)) {
                        return "Suspend returned handle 0x" + Long.toHexString(value) + " a second time in its Space";
                    }
                    int caller = s.viewAfter().space(space).suspended().stream().filter(x -> x.slot() == Handles.slot(value))
                            .mapToInt(KernelView.SuspendedView::caller).findFirst().orElse(-2);
                    issued.put(key, caller);
                }
                for (Issued e : issued.keySet()) {
                    boolean there = s.viewAfter().space(e.space()).suspended().stream().anyMatch(x -> x.slot() == Handles.slot(e.value()));
                    if (!there) {
                        usedUp.add(e);
                    }
                }
                return null;
            }
        };
    }

    /** A handle value as issued in one Space (by the kernel's Space id). */
    private record Issued(int space, long value) {}

    /** The handle a by-handle syscall names, or null. */
    static Action.Handle handleOf(Action a) {
        return switch (a) {
            case Action.Resume x -> x.handle();
            case Action.ReplyHandle x -> x.handle();
            case Action.ForwardHandle x -> x.handle();
            case Action.ReadHandle x -> x.handle();
            case Action.WriteHandle x -> x.handle();
            case Action.CallerInfoHandle x -> x.handle();
            default -> null;
        };
    }

    /** One Send, NBSend or Call: who sent it, to which endpoint (model number), and whether it is a Call. */
    private record Attempt(int sender, int endpoint, boolean call) {}

    /** A system message posted and not yet received: endpoint (model number), label, badge, MR0 (kernel terms). */
    private record Posted(int endpoint, long label, long badge, long word) {}

    private enum Fate { PENDING, DELIVERED, FAILED }

    /**
     * Guarantee 7, over what is built (synchronous sends and system messages; async ports are not).
     * Needs messages of length 1 or more: register 0 identifies a send.
     *
     * <ul>
     *   <li>Each Send, NBSend and Call is delivered at most once, and a receiver gets it through the
     *       endpoint it was sent to. A Send or NBSend returns OK exactly when it was delivered; one that
     *       was not gets an error (WOULD_BLOCK, REVOKED, TIMEOUT, INTERRUPTED, a refusal), or its sender
     *       died: the sender always learns of a loss, and a message whose sender was told it failed
     *       never arrives later. A Call that returns OK was delivered; one that ends with an error may
     *       have been (it was taken, then its caller gave up). Since a task's sends are sequential,
     *       what a receiver gets from one task through one endpoint is, in order, exactly those sends
     *       (and Calls delivered), with no gap.
     *   <li>System messages are never lost: every BADGE_DISCONNECTED, CALLER_CANCELLED and TASK_FAULTED
     *       the model posted to an endpoint that accepted it is received (oldest first, with its label,
     *       badge and MR0) or still queued there, unless the endpoint was destroyed.
     * </ul>
     */
    public static Supplier<Check> sendsAreSemiReliable() {
        return () -> new Check() {
            private final Map<Long, Attempt> attempts = new HashMap<>();
            private final Map<Long, Fate> fate = new HashMap<>();
            private final Map<Integer, Long> pending = new HashMap<>();
            private final List<Posted> ledger = new ArrayList<>();

            @Override
            public String check(StepRecord s) {
                Action a = s.action();
                long seq = switch (a) {
                    case Action.Send x -> x.mr();
                    case Action.NBSend x -> x.mr();
                    case Action.Call x -> x.mr();
                    default -> -1;
                };
                int slot = switch (a) {
                    case Action.Send x -> x.slot();
                    case Action.NBSend x -> x.slot();
                    case Action.Call x -> x.slot();
                    default -> -1;
                };
                if (seq >= 0 && a.task() >= 0) {
                    Model.Cap cap = s.before().caps().get(new Model.Ref(s.before().shape().space(a.task()), slot));
                    attempts.put(seq, new Attempt(a.task(), cap == null ? -1 : cap.object(), a instanceof Action.Call));
                    fate.put(seq, Fate.PENDING);
                }
                for (Model.Posted p : s.after().posted()) {
                    ledger.add(new Posted(p.endpoint(), p.notice().kind(), p.notice().badge(),
                            Refinement.kernelWord(p.notice().word(), s.world())));
                }
                String v = receipts(s);
                if (v == null && seq >= 0) {
                    v = sent(s, seq);
                }
                for (World.Resumed r : s.resumed()) {
                    Long p = pending.remove(r.task());
                    if (v == null && p != null) {
                        v = ended(p, r.status(), "t" + r.task() + "'s queued " + (attempts.get(p).call() ? "Call " : "Send ") + p);
                    }
                }
                if (pending.containsKey(Kills.killed(s))) {
                    long p = pending.remove(Kills.killed(s));
                    fate.put(p, fate.get(p) == Fate.DELIVERED ? Fate.DELIVERED : Fate.FAILED);
                }
                return v != null ? v : queued(s);
            }

            /** The actor's own send, by the status it returned. */
            private String sent(StepRecord s, long seq) {
                if (s.kernelStatus() == null) {
                    pending.put(s.action().task(), seq);
                    return null;
                }
                return ended(seq, s.kernelStatus(), "t" + s.action().task() + "'s " + s.action().getClass().getSimpleName() + " " + seq);
            }

            private String ended(long seq, Status status, String what) {
                boolean delivered = fate.get(seq) == Fate.DELIVERED;
                boolean call = attempts.get(seq).call();
                if (status == Status.OK && !delivered) {
                    return what + " returned OK, but no receiver got it";
                }
                if (!call && status != Status.OK && delivered) {
                    return what + " was delivered, but its sender was told " + status;
                }
                fate.put(seq, delivered ? Fate.DELIVERED : Fate.FAILED);
                return null;
            }

            /** What the receivers of this step got: the actor's Recv, NBRecv or ReplyWait, and every receiver woken with OK. */
            private String receipts(StepRecord s) {
                Action a = s.action();
                int slot = switch (a) {
                    case Action.Recv x -> x.slot();
                    case Action.NBRecv x -> x.slot();
                    case Action.ReplyWait x -> x.slot();
                    default -> -1;
                };
                List<int[]> got = new ArrayList<>();
                Model.Cap through = slot < 0 ? null : s.before().caps().get(new Model.Ref(s.before().shape().space(a.task()), slot));
                if (slot >= 0 && s.kernelStatus() == Status.OK && through != null) {
                    got.add(new int[] {a.task(), through.object()});
                }
                for (World.Resumed r : s.resumed()) {
                    Model.MTask was = s.before().task(r.task());
                    if (r.status() == Status.OK && was.state() == Model.State.BLOCKED_ON_RECEIVE) {
                        got.add(new int[] {r.task(), was.blockedOn()});
                    }
                }
                for (int[] g : got) {
                    String v = received(s, g[0], g[1]);
                    if (v != null) {
                        return v;
                    }
                }
                return null;
            }

            private String received(StepRecord s, int t, int ep) {
                IpcBuffer ipc = s.world().ipc(t);
                if (MessageInfo.isSystem(ipc.info())) {
                    Posted oldest = ledger.stream().filter(p -> p.endpoint() == ep).findFirst().orElse(null);
                    Posted got = new Posted(ep, MessageInfo.label(ipc.info()), ipc.badge(), ipc.mr(0));
                    if (!got.equals(oldest)) {
                        return "t" + t + " received system message " + got + " on endpoint " + ep + ", but the oldest posted there is " + oldest;
                    }
                    ledger.remove(oldest);
                    return null;
                }
                if (ipc.kind() != Kind.SEND && ipc.kind() != Kind.CALL || MessageInfo.length(ipc.info()) == 0 || ipc.mr(0) % 100 != 0) {
                    return null;
                }
                long seq = ipc.mr(0) / 100;
                Attempt at = attempts.get(seq);
                if (at == null || at.endpoint() != ep) {
                    return null; // a forwarded Call: it carries the forwarder's registers, no send of its own
                }
                if (fate.get(seq) != Fate.PENDING) {
                    return "t" + t + " received t" + at.sender() + "'s message " + seq + ", which was " + fate.get(seq)
                            + (fate.get(seq) == Fate.FAILED ? " (its sender was told it failed)" : " already");
                }
                fate.put(seq, Fate.DELIVERED);
                return null;
            }

            /** Every system message posted and not received is still queued on its endpoint, in order, unless that was destroyed. */
            private String queued(StepRecord s) {
                for (int e = 0; e < s.viewAfter().endpoints().size(); e++) { // a spare number Retype has not used names nothing
                    int ep = e;
                    if (s.viewAfter().isDestroyed(s.world().object(ep).id())) {
                        ledger.removeIf(p -> p.endpoint() == ep);
                        continue;
                    }
                    List<Posted> expected = ledger.stream().filter(p -> p.endpoint() == ep).toList();
                    List<Posted> there = s.viewAfter().endpoints().get(ep).notices().stream()
                            .map(n -> new Posted(ep, n.kind().label(), n.badge(), n.word())).toList();
                    if (!expected.equals(there)) {
                        return "system messages posted to endpoint " + ep + " and not received: " + expected
                                + ", but queued there: " + there;
                    }
                }
                return null;
            }
        };
    }
}
