package io.capipc.props.harness;

import io.capipc.api.Handles;
import io.capipc.api.IpcBuffer;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.api.TaskState;
import io.capipc.props.model.Model;
import io.capipc.props.model.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One check per guarantee (docs/semantics.md §8), each looking only at what its guarantee promises, plus
 * full refinement against the model. Stateful checks keep what they saw across one run's steps.
 */
public final class Checks {
    private Checks() {}

    /** The kernel refines the model: same statuses, same abstract state, after every step. */
    public static Supplier<Check> refinement() {
        return () -> s -> {
            if (s.modelStatus() != s.kernelStatus()) {
                return "status: model " + s.modelStatus() + ", kernel " + s.kernelStatus();
            }
            List<String> diff = Refinement.differences(s.after(), s.world());
            if (!diff.isEmpty()) {
                return String.join("; ", diff);
            }
            Action a = s.action();
            return a instanceof Action.Driver ? Answers.driver(a, s.before(), s.world().driverAnswer())
                    : s.kernelStatus() == null ? null : Answers.reason(a, s.world().ipc(a.task()).reason());
        };
    }

    /**
     * Guarantee 1: the badge a receiver sees is the invoked capability's, and an unwrapped
     * capability's badge is its own; a SYSTEM message only ever comes from the kernel: a task holds
     * one only where the model delivered that very system message (label, badge concerned, MR0), and
     * a user message with the SYSTEM flag is refused with INVALID_ARGUMENT; no acting through an
     * empty slot.
     */
    public static Supplier<Check> unforgeableIdentity() {
        return () -> s -> {
            for (int t = 0; t < s.after().tasks().size(); t++) {
                IpcBuffer ipc = s.world().ipc(t);
                if (ipc.badge() != s.after().task(t).badge()) {
                    return "t" + t + " was shown badge " + ipc.badge() + ", but the capability invoked has " + s.after().task(t).badge();
                }
                for (int i = 0; i < 4; i++) {
                    if (ipc.capBadge(i) != s.after().xfer().get(t).capBadges().get(i)) {
                        return "t" + t + " was shown badge " + ipc.capBadge(i) + " for unwrapped capability " + i
                                + ", but it has " + s.after().xfer().get(t).capBadges().get(i);
                    }
                }
                Model.MTask m = s.after().task(t);
                if (MessageInfo.isSystem(ipc.info()) && (ipc.info() != m.info()
                        || ipc.mr(0) != Refinement.kernelWord(m.mr().get(0), s.world()))) {
                    return "t" + t + " holds a SYSTEM message (" + MessageInfo.toString(ipc.info()) + ", badge " + ipc.badge()
                            + ", MR0 " + ipc.mr(0) + ") the kernel did not send it";
                }
            }
            long sent = userInfo(s.action());
            if (sent != -1 && MessageInfo.isSystem(sent) && s.kernelStatus() != Status.INVALID_ARGUMENT) {
                return "a user message with the SYSTEM flag returned " + s.kernelStatus() + ", not INVALID_ARGUMENT";
            }
            Status expected = s.modelStatus();
            boolean refused = expected == Status.INVALID_CAPABILITY || expected == Status.INVALID_ARGUMENT;
            return refused && s.kernelStatus() != expected ? "acting through slot refused by the model with " + expected
                    + " returned " + s.kernelStatus() : null;
        };
    }

    /** The info word of a message user code sends (Send, NBSend, Call, Reply, ReplyWait, Forward, by handle too), or -1. */
    private static long userInfo(Action a) {
        return switch (a) {
            case Action.Send x -> x.info();
            case Action.NBSend x -> x.info();
            case Action.Call x -> x.info();
            case Action.Reply x -> x.info();
            case Action.ReplyWait x -> x.info();
            case Action.Forward x -> x.info();
            case Action.ReplyHandle x -> x.info();
            case Action.ForwardHandle x -> x.info();
            default -> -1;
        };
    }

    /** Guarantee 2: derived rights are a subset of the parent's, same object; a badge once set never changes. */
    public static Supplier<Check> authorityOnlyShrinks() {
        return () -> s -> {
            Map<String, KernelView.SlotView> before = slots(s.viewBefore());
            Map<String, KernelView.SlotView> after = slots(s.viewAfter());
            for (Map.Entry<String, KernelView.SlotView> e : after.entrySet()) {
                KernelView.SlotView c = e.getValue();
                if (c.parentSpace() >= 0) {
                    KernelView.SlotView p = after.get(c.parentSpace() + ":" + c.parentSlot());
                    if (p == null) {
                        return "slot " + e.getKey() + " names a parent that is empty";
                    }
                    // Retype: a new object under an untyped capability, with all rights and no badge.
                    boolean retyped = p.type() == io.capipc.api.ObjectType.UNTYPED && p.objectId() != c.objectId();
                    if (!retyped && (p.objectId() != c.objectId() || (c.rights() & ~p.rights()) != 0)) {
                        return "slot " + e.getKey() + " " + c + " exceeds its parent " + p;
                    }
                    if (!retyped && p.badge() != 0 && c.badge() != p.badge()) {
                        return "slot " + e.getKey() + " has badge " + c.badge() + " under a parent badged " + p.badge();
                    }
                }
                KernelView.SlotView old = before.get(e.getKey());
                if (old != null && old.objectId() == c.objectId() && (old.badge() != c.badge() || old.rights() != c.rights())) {
                    return "slot " + e.getKey() + " changed from " + old + " to " + c;
                }
            }
            return null;
        };
    }

    /**
     * Guarantee 3: after Revoke(c), no descendant of c is left in any slot; and no task stays queued
     * through a capability that is gone (every queued sender's slot still names its endpoint).
     */
    public static Supplier<Check> revocationIsComplete() {
        return () -> s -> {
            Map<String, KernelView.SlotView> after = slots(s.viewAfter());
            if (s.action() instanceof Action.Revoke r && s.kernelStatus() == Status.OK) {
                int space = s.viewAfter().task(s.world().task(r.task()).id()).spaceId();
                String root = space + ":" + r.slot();
                for (Map.Entry<String, KernelView.SlotView> e : after.entrySet()) {
                    for (KernelView.SlotView p = e.getValue(); p != null && p.parentSpace() >= 0;
                         p = after.get(p.parentSpace() + ":" + p.parentSlot())) {
                        if ((p.parentSpace() + ":" + p.parentSlot()).equals(root)) {
                            return "slot " + e.getKey() + " still descends from revoked slot " + root;
                        }
                    }
                }
            }
            for (KernelView.TaskView t : s.viewAfter().tasks()) {
                if (t.state() == TaskState.BLOCKED_ON_SEND) {
                    KernelView.SlotView via = after.get(t.sendSpace() + ":" + t.sendSlot());
                    if (via == null || via.objectId() != t.blockedOn()) {
                        return t.name() + " stays queued on endpoint " + t.blockedOn() + " through slot "
                                + t.sendSpace() + ":" + t.sendSlot() + ", which no longer names it";
                    }
                }
            }
            return null;
        };
    }

    /**
     * Guarantee 4: every Call ends exactly once, with the reply (kind REPLY) or an error; it never
     * waits on a context no live task holds (a suspended context is held by its Space's live tasks);
     * and one that ended with an error (a timeout, an interrupt, its server's death, the Delete of the
     * reply capability of its suspended context, the death of its Space's last task, ...) leaves no
     * task holding its context, current or suspended. The check counts Calls
     * itself: one is under way from the step it blocks until its one completion, or its task's death.
     */
    public static Supplier<Check> callsAreReliable() {
        return () -> new Check() {
            private final Set<Integer> calling = new HashSet<>();

            @Override
            public String check(StepRecord s) {
                KernelView v = s.viewAfter();
                for (KernelView.TaskView t : v.tasks()) {
                    if (t.state() == TaskState.BLOCKED_ON_REPLY) {
                        boolean held = v.tasks().stream().anyMatch(h -> h.holdsContextOf() == t.id() && h.state() != TaskState.DEAD)
                                || v.spaces().stream().anyMatch(sp -> sp.suspended().stream().anyMatch(x -> x.caller() == t.id())
                                        && v.tasks().stream().anyMatch(h -> h.spaceId() == sp.id() && h.state() != TaskState.DEAD));
                        if (!held) {
                            return t.name() + " waits for a reply on a context no live task holds";
                        }
                    }
                }
                Set<Integer> ended = new HashSet<>();
                for (World.Resumed r : s.resumed()) {
                    IpcBuffer ipc = s.world().ipc(r.task());
                    boolean wasCall = s.before().task(r.task()).state() == Model.State.BLOCKED_ON_REPLY
                            || s.before().task(r.task()).isCall();
                    if (wasCall && r.status() == Status.OK && ipc.kind() != Kind.REPLY) {
                        return "t" + r.task() + "'s Call ended OK without a reply (kind " + ipc.kind() + ")";
                    }
                    if (calling.remove(r.task())) {
                        ended.add(r.task());
                        String trace = r.status() == Status.OK ? null : held(v, s.world().task(r.task()).id());
                        if (trace != null) {
                            return "t" + r.task() + "'s Call ended with " + r.status() + ", but " + trace;
                        }
                    } else if (ended.contains(r.task())) {
                        return "t" + r.task() + "'s Call ended a second time, with " + r.status();
                    }
                }
                calling.remove(Kills.killed(s));
                if (s.action() instanceof Action.Call c && s.kernelStatus() == null) {
                    calling.add(c.task());
                }
                for (KernelView.TaskView t : v.tasks()) {
                    int n = s.world().taskOf(t.id());
                    boolean inCall = t.state() == TaskState.BLOCKED_ON_REPLY || (t.state() == TaskState.BLOCKED_ON_SEND && t.isCall());
                    if (inCall != calling.contains(n)) {
                        return inCall ? t.name() + " is " + t.state() + " in a Call that already ended or was never made"
                                : t.name() + "'s Call ended without completing: it is " + t.state();
                    }
                }
                return null;
            }
        };
    }

    /** Which task, or which Space's reply capability, still holds the context of task {@code id}, described; null if none. */
    static String held(KernelView v, int id) {
        for (KernelView.TaskView h : v.tasks()) {
            if (h.holdsContextOf() == id) {
                return h.name() + " still holds its context";
            }
        }
        for (KernelView.SpaceView sp : v.spaces()) {
            for (KernelView.SuspendedView x : sp.suspended()) {
                if (x.caller() == id) {
                    return "space " + sp.name() + " still holds its context suspended in slot " + x.slot();
                }
            }
        }
        return null;
    }

    /**
     * The statuses with which Calls ended in this step, as the model saw them under way: for
     * coverage (which endings a run exercised), not a check.
     */
    public static List<Status> callEndings(Check.StepRecord s) {
        List<Status> out = new ArrayList<>();
        for (World.Resumed r : s.resumed()) {
            Model.MTask before = s.before().task(r.task());
            if (before.state() == Model.State.BLOCKED_ON_REPLY || (before.state() == Model.State.BLOCKED_ON_SEND && before.isCall())) {
                out.add(r.status());
            }
        }
        if (s.action() instanceof Action.Call && s.kernelStatus() != null) {
            out.add(s.kernelStatus());
        }
        return out;
    }

    /** Guarantee 5; see {@link ReliabilityChecks#repliesAtMostOnce}. */
    public static Supplier<Check> repliesAtMostOnce() {
        return ReliabilityChecks.repliesAtMostOnce();
    }

    /** Guarantee 7; see {@link ReliabilityChecks#sendsAreSemiReliable}. */
    public static Supplier<Check> sendsAreSemiReliable() {
        return ReliabilityChecks.sendsAreSemiReliable();
    }

    /**
     * Guarantee 6: a Send that returned OK was delivered, and one task's messages arrive in the order
     * sent. Needs messages of length 1 or more: register 0 carries the sender's sequence number.
     * (A forwarded Call carries the forwarder's registers, which are not a send of the forwarder's.)
     */
    public static Supplier<Check> sendsAreOrdered() {
        return () -> new Check() {
            private final Set<Long> received = new HashSet<>();
            private final Map<Integer, Long> lastFrom = new HashMap<>();
            private final Map<Integer, Long> pendingSend = new HashMap<>();
            /** Register-0 values of Send, NBSend and Call actions: only these identify a message. */
            private final Set<Long> sentSeqs = new HashSet<>();

            @Override
            public String check(StepRecord s) {
                int actor = s.action().task();
                switch (s.action()) {
                    case Action.Send a -> sentSeqs.add(a.mr());
                    case Action.NBSend a -> sentSeqs.add(a.mr());
                    case Action.Call a -> sentSeqs.add(a.mr());
                    default -> { }
                }
                boolean actorSends = s.action() instanceof Action.Send || s.action() instanceof Action.NBSend
                        || s.action() instanceof Action.Call || s.action() instanceof Action.Reply
                        || s.action() instanceof Action.Forward;
                for (int t = 0; t < s.after().tasks().size(); t++) {
                    long mr0 = s.world().ipc(t).mr(0);
                    boolean changed = mr0 != s.before().task(t).mr().get(0);
                    if (changed && !(t == actor && actorSends) && mr0 % 100 == 0 && sentSeqs.contains(mr0 / 100)) {
                        long seq = mr0 / 100;
                        int from = (int) (seq / 10_000) - 1;
                        received.add(seq);
                        Long last = lastFrom.put(from, seq);
                        if (last != null && seq < last) {
                            return "t" + t + " received t" + from + "'s message " + seq + " after its later " + last;
                        }
                    }
                }
                long sent = switch (s.action()) {
                    case Action.Send a -> a.mr();
                    case Action.NBSend a -> a.mr();
                    default -> -1;
                };
                pendingSend.remove(Kills.killed(s)); // a killed or restarted sender's Send never completes
                if (sent >= 0 && s.kernelStatus() == null) {
                    pendingSend.put(actor, sent);
                } else if (sent >= 0 && s.kernelStatus() == Status.OK && !received.contains(sent)) {
                    return "t" + actor + "'s Send " + sent + " returned OK but was never delivered";
                }
                for (World.Resumed r : s.resumed()) {
                    Long p = pendingSend.remove(r.task());
                    if (p != null && r.status() == Status.OK && !received.contains(p)) {
                        return "t" + r.task() + "'s queued Send " + p + " completed OK but was never delivered";
                    }
                }
                return null;
            }
        };
    }

    /**
     * Guarantee 8: a Reply with no caller returns OK and changes nothing but dropping the replier's
     * context, if its caller had gone (cancelled); a Reply by
     * handle to a suspended context whose caller has gone (it only uses up the handle: no task, no
     * queue and no other slot changes).
     */
    public static Supplier<Check> repliesAreUnreliable() {
        return () -> s -> {
            if (s.action() instanceof Action.ReplyHandle r) {
                long h = s.world().handle(r.handle());
                Model.Entry e = s.before().entryAt(s.before().shape().space(r.task()), Handles.slot(h));
                if (e == null || e.handle() != h || e.caller() >= 0 || s.modelStatus() != Status.OK) {
                    return null;
                }
                if (s.kernelStatus() != Status.OK) {
                    return "Reply by handle to a caller that has gone returned " + s.kernelStatus();
                }
                boolean same = s.viewBefore().tasks().equals(s.viewAfter().tasks())
                        && s.viewBefore().endpoints().equals(s.viewAfter().endpoints());
                return same && s.resumed().isEmpty() ? null : "Reply by handle to a caller that has gone changed another task";
            }
            if (!(s.action() instanceof Action.Reply r) || s.before().task(r.task()).holds() >= 0
                    || s.modelStatus() != Status.OK) {
                return null;
            }
            if (s.kernelStatus() != Status.OK) {
                return "Reply to nobody returned " + s.kernelStatus();
            }
            // Replying drops a context whose caller has gone (the model's "nobody"): that alone may change.
            KernelView before = s.viewBefore();
            int me = s.world().task(r.task()).id();
            List<KernelView.TaskView> tasks = before.tasks().stream().map(t -> t.id() != me ? t
                    : new KernelView.TaskView(t.id(), t.name(), t.spaceId(), t.state(), t.blockedOn(), t.isCall(),
                            t.holdsContextOf(), t.sendSpace(), t.sendSlot(), t.faultCap(), t.deadline(), false, t.restarts(), t.ended(),
                            t.faultKind(), t.faultHash())).toList();
            KernelView expected = new KernelView(before.spaces(), tasks, before.endpoints(), before.notifications(), before.ports(),
                    before.regions(), before.mappings(), before.untypeds());
            if (!expected.equals(s.viewAfter()) || !s.resumed().isEmpty()) {
                return "Reply to nobody changed the kernel";
            }
            return null;
        };
    }

    /**
     * Guarantee 9: queues are consistent (the runner checks the invariants) and served first-in,
     * first-out. A task released with an error (REVOKED) is cancelled, not served: it may leave from
     * anywhere in the queue. So is a receiver woken by a Signal to the notification it is bound to
     * (docs/semantics.md §5.4): the notification takes it out of the endpoint's queue, wherever it is.
     */
    public static Supplier<Check> queuesAreConsistent() {
        return () -> new Check() {
            private final Map<Integer, List<Integer>> arrival = new HashMap<>();

            @Override
            public String check(StepRecord s) {
                for (KernelView.EndpointView after : s.viewAfter().endpoints()) {
                    boolean made = s.viewBefore().endpoints().stream().noneMatch(e -> e.id() == after.id()); // by Retype, in this step
                    List<Integer> was = made ? List.of() : s.viewBefore().endpoint(after.id()).queued();
                    List<Integer> order = arrival.computeIfAbsent(after.id(), k -> new ArrayList<>());
                    Set<Integer> cancelled = new HashSet<>();
                    for (World.Resumed r : s.resumed()) {
                        if (r.status() != Status.OK || s.world().ipc(r.task()).kind() == Kind.NOTIFICATION) {
                            cancelled.add(s.world().task(r.task()).id());
                        }
                    }
                    if (Kills.killed(s) >= 0) {
                        cancelled.add(s.world().task(Kills.killed(s)).id());
                    }
                    order.removeAll(cancelled);
                    List<Integer> left = was.stream().filter(t -> !after.queued().contains(t) && !cancelled.contains(t)).toList();
                    if (!order.subList(0, Math.min(left.size(), order.size())).containsAll(left)) {
                        return "endpoint " + after.id() + " served " + left + " before older " + order;
                    }
                    order.removeAll(left);
                    after.queued().stream().filter(t -> !was.contains(t)).forEach(order::add);
                }
                return null;
            }
        };
    }

    /** The caller whose context {@code handle} names in task {@code t}'s Space before the step (-1: none, or its caller has gone). */
    private static int suspendedCaller(Check.StepRecord s, int t, Action.Handle handle) {
        long h = s.world().handle(handle);
        Model.Entry e = s.before().entryAt(s.before().shape().space(t), Handles.slot(h));
        return e != null && e.handle() == h ? e.caller() : -1;
    }

    /**
     * Guarantee 10: no byte outside the attached segments changes; caller memory changes only by a
     * Write of its context's holder, or a Write by a handle naming that caller's suspended context;
     * Read and Write (by handle too) succeed only on a context that is held and not cancelled.
     */
    public static Supplier<Check> buffersAreBounded() {
        return () -> s -> {
            for (int t = 0; t < s.after().tasks().size(); t++) {
                byte[] mem = s.world().memory(t);
                for (int i = 0; i < World.SIZE; i++) {
                    boolean guard = i < World.SEND || (i >= World.SEND + Shape.AREA && i < World.RECV)
                            || (i >= World.RECV + Shape.AREA && i < World.SCRATCH) || i >= World.SCRATCH + Shape.AREA;
                    if (guard && mem[i] != World.GUARD_BYTE) {
                        return "t" + t + "'s guard byte " + i + " was overwritten";
                    }
                }
            }
            Action a = s.action();
            int holds = switch (a) {
                case Action.Driver d -> -1;
                case Action.ReadHandle r -> suspendedCaller(s, r.task(), r.handle());
                case Action.WriteHandle w -> suspendedCaller(s, w.task(), w.handle());
                default -> s.before().task(a.task()).holds();
            };
            boolean bufferOp = a instanceof Action.Read || a instanceof Action.Write || a instanceof Action.ReadHandle
                    || a instanceof Action.WriteHandle;
            if (bufferOp && holds < 0 && s.kernelStatus() == Status.OK) {
                return "t" + a.task() + "'s " + a.getClass().getSimpleName() + " succeeded without a caller context";
            }
            boolean byHandle = a instanceof Action.ReadHandle || a instanceof Action.WriteHandle;
            if (byHandle && s.modelStatus() == Status.INVALID_CAPABILITY && s.kernelStatus() != Status.INVALID_CAPABILITY) {
                return "t" + a.task() + "'s " + Action.show(a) + " names no context, but it reached one: " + s.kernelStatus();
            }
            boolean write = a instanceof Action.Write || a instanceof Action.WriteHandle;
            for (int t = 0; t < s.after().tasks().size(); t++) {
                boolean allowed = write && holds == t;
                if (!allowed && !Objects.equals(recvArea(s.world().memory(t)), s.before().task(t).recvArea())) {
                    return "t" + t + "'s receive buffer changed though no holder of its context wrote to it";
                }
            }
            return null;
        };
    }

    /** docs/semantics.md §7's "no trace"; see {@link ExpiryChecks#blockedErrorsLeaveNoTrace}. */
    public static Supplier<Check> blockedErrorsLeaveNoTrace() {
        return ExpiryChecks.blockedErrorsLeaveNoTrace();
    }

    /** docs/semantics.md §6's timeouts and interrupts; see {@link ExpiryChecks#timeoutsFireOnce}. */
    public static Supplier<Check> timeoutsFireOnce() {
        return ExpiryChecks.timeoutsFireOnce();
    }

    /** Every check in turn; the first violation found. */
    @SafeVarargs
    public static Supplier<Check> all(Supplier<Check>... checks) {
        return () -> {
            List<Check> each = java.util.Arrays.stream(checks).map(Supplier::get).toList();
            return s -> each.stream().map(c -> c.check(s)).filter(Objects::nonNull).findFirst().orElse(null);
        };
    }

    /**
     * Guarantee 12: no task stays blocked on an object that no longer exists, and the kernel's
     * deadlock report is the set the model computes independently.
     */
    public static Supplier<Check> liveness() {
        return () -> s -> {
            World w = s.world();
            for (KernelView.TaskView t : s.viewAfter().tasks()) {
                if (t.blockedOn() >= 0 && s.viewAfter().isDestroyed(t.blockedOn())) {
                    return t.name() + " stays blocked on destroyed object " + t.blockedOn();
                }
            }
            List<Integer> reported = w.kernel().deadlocked().stream().map(w::taskOf).sorted().toList();
            List<Integer> expected = List.copyOf(s.after().deadlocked());
            return reported.equals(expected) ? null : "deadlock report " + reported + ", the model's " + expected;
        };
    }

    private static List<Byte> recvArea(byte[] mem) {
        List<Byte> out = new ArrayList<>();
        for (int i = 0; i < Shape.AREA; i++) {
            out.add(mem[World.RECV + i]);
        }
        return out;
    }

    /** Every full slot by "space id:index": the Spaces' slots and the tasks' TCB slots (a TCB's id is its task's). */
    private static Map<String, KernelView.SlotView> slots(KernelView v) {
        Map<String, KernelView.SlotView> out = new HashMap<>();
        for (KernelView.SpaceView sp : v.spaces()) {
            for (KernelView.SlotView sl : sp.slots()) {
                out.put(sp.id() + ":" + sl.index(), sl);
            }
        }
        for (KernelView.TaskView t : v.tasks()) {
            if (t.faultCap() != null) {
                out.put(t.id() + ":0", t.faultCap());
            }
        }
        return out;
    }

    /**
     * docs/semantics.md §7, read once: a message carries the capabilities its sender's IPC buffer named when
     * the sender made its syscall, into the receive slots the receiver's buffer named when the
     * receiver made its own, however a hostile thread rewrote either buffer since ({@link
     * Action.Tamper}). After every step, every slot holds what the model says, and every message
     * received says as many capabilities arrived as the model's. (A kernel that re-reads an index
     * and throws on it is caught by every property, as a kernel that threw.)
     */
    public static Supplier<Check> readOnce() {
        return () -> s -> {
            for (int t = 0; t < s.after().tasks().size(); t++) {
                int kernel = MessageInfo.caps(s.world().ipc(t).info());
                int model = MessageInfo.caps(s.after().task(t).info());
                if (kernel != model) {
                    return "t" + t + " was told " + kernel + " capabilities arrived; the ones named at the syscalls make " + model;
                }
            }
            Map<Model.Ref, Model.Cap> kernel = Refinement.capabilities(s.after(), s.world());
            if (!kernel.equals(s.after().caps())) {
                Set<Model.Ref> differ = new HashSet<>(kernel.keySet());
                differ.addAll(s.after().caps().keySet());
                differ.removeIf(r -> Objects.equals(kernel.get(r), s.after().caps().get(r)));
                return "after " + Action.show(s.action()) + " the slots " + differ + " hold " + differ.stream().map(kernel::get).toList()
                        + "; the slots named at the syscalls give " + differ.stream().map(s.after().caps()::get).toList();
            }
            return null;
        };
    }
}
