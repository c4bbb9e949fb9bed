package io.capipc.props.harness;

import io.capipc.api.Handles;
import io.capipc.api.MessageInfo;
import io.capipc.props.harness.Scenarios.Intent;
import io.capipc.props.model.Model;
import io.capipc.props.model.Model.Ref;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scenario templates (see {@link Scenarios}) about caller contexts, and single steps that make
 * situations likelier than chance makes them.
 *
 * <ul>
 *   <li>{@link #suspendAndLose}: a server suspends the context it holds, then its caller gives up, or
 *       the server's Space's last task dies or is killed, or the reply capability is deleted, or the
 *       context is resumed; then the handle is used, whatever it names now.
 *   <li>{@link #forwardChain}: a server forwards its Call (current, or suspended and by handle) to an
 *       endpoint someone receives on, often already waiting there, and the next server answers it.
 *   <li>{@link #grantReply}: a caller names a receive slot and Calls a server waiting on a capability
 *       with GRANT (or without: the reply is then refused); the caller's IPC buffer is often rewritten
 *       while it waits; the server replies with a capability.
 *   <li>{@link #notification}: a task binds the notification and waits in Recv, or waits on it; then
 *       often every capability to it goes.
 * </ul>
 */
final class ContextScenarios {
    private final Generator g;
    private final Scenarios caps;

    ContextScenarios(Generator g, Scenarios caps) {
        this.g = g;
        this.caps = caps;
    }

    // ---- Suspended contexts lost.

    /** A running server holding a live context suspends it and loses it in one of the ways of docs/semantics.md §5.2 and §6. */
    List<Intent> suspendAndLose(Model m, List<Integer> running) {
        int way = g.rnd.nextInt(10);
        List<Integer> servers = caps.shuffled(running);
        // A caller with a deadline first, for its timeout to end the suspended Call.
        servers.sort(java.util.Comparator.comparing(t -> way != 1 || m.task(t).holds() < 0 || m.deadlines().get(m.task(t).holds()) == Model.NEVER));
        for (int s : servers) {
            int c = m.task(s).holds();
            if (c < 0 || m.cancelled().get(s)) {
                continue;
            }
            int space = g.shape.space(s);
            List<Intent> plan = new ArrayList<>();
            if (way == 8) {
                plan.add(n -> new Action.Kill(s));
                return plan;
            }
            if (way == 9) {
                // The caller gives up while the context is current: the server holds it cancelled.
                plan.add(n -> new Action.Interrupt(c));
                for (int i = 0; i < 2; i++) {
                    plan.add(n -> n.cancelled().get(s) ? cancelled(n, s) : null);
                }
                return plan;
            }
            plan.add(n -> new Action.Suspend(s));
            int last = m.issued().size();
            switch (way) {
                case 0 -> plan.add(n -> mine(n, space, c) >= 0 ? new Action.Interrupt(c) : null);
                case 1 -> plan.add(n -> mine(n, space, c) >= 0 && n.deadlines().get(c) != Model.NEVER
                        ? new Action.Advance(n.deadlines().get(c) - n.now()) : mine(n, space, c) >= 0 ? new Action.Interrupt(c) : null);
                case 2 -> plan.add(n -> lastOf(n, s) && mine(n, space, c) >= 0 ? (g.rnd.nextBoolean() ? new Action.Exit(s) : new Action.Fault(s))
                        : null);
                case 3 -> plan.add(n -> mine(n, space, c) >= 0 ? new Action.Delete(s, Handles.slot(n.issued().get(mine(n, space, c)).handle()))
                        : null);
                case 4, 5 -> {
                    // Resumed and suspended again: the new reply capability takes the slot the old handle named.
                    plan.add(n -> mine(n, space, c) >= 0 ? new Action.Resume(s, new Action.Handle(mine(n, space, c), 0)) : null);
                    plan.add(n -> new Action.Suspend(s));
                }
                case 6 -> {
                    // Another Call taken while the first is suspended, then the first resumed: refused, a context is held.
                    int er = caps.capWith(m, space, -1, Model.READ);
                    plan.add(n -> er >= 0 ? new Action.NBRecv(s, er) : null);
                    plan.add(n -> mine(n, space, c) >= 0 ? new Action.Resume(s, new Action.Handle(mine(n, space, c), 0)) : null);
                }
                default -> plan.add(n -> mine(n, space, c) >= 0 ? new Action.Resume(s, new Action.Handle(mine(n, space, c), 0)) : null);
            }
            for (int i = 0; i < 2; i++) {
                plan.add(n -> last < n.issued().size() ? byHandle(n, user(n, space), new Action.Handle(last, 0)) : null);
            }
            return plan;
        }
        return List.of();
    }

    /** What a server does with a cancelled context: each syscall that says CANCELLED, or the Reply that drops it. */
    private Action cancelled(Model m, int s) {
        long[] at = {g.rnd.nextInt(21), g.rnd.nextInt(25)};
        return switch (g.rnd.nextInt(6)) {
            case 0 -> new Action.Forward(s, g.slot(m, s, Model.WRITE), MessageInfo.of(g.rnd.nextInt(4), g.rnd.nextInt(3)), g.mr(s));
            case 1 -> new Action.Read(s, at[0], (int) at[1]);
            case 2 -> new Action.Write(s, at[0], (int) at[1], g.rnd.nextInt(256));
            case 3 -> new Action.CallerInfo(s);
            case 4 -> new Action.Suspend(s);
            default -> new Action.Reply(s, MessageInfo.of(g.rnd.nextInt(4), g.rnd.nextInt(3)), g.mr(s));
        };
    }

    /** The place among the issued handles of the context of {@code caller} suspended in {@code space}, or -1. */
    private static int mine(Model m, int space, int caller) {
        for (int n = m.issued().size() - 1; n >= 0; n--) {
            Model.Issued is = m.issued().get(n);
            Model.Entry e = is.space() == space ? m.entryAt(space, Handles.slot(is.handle())) : null;
            if (e != null && e.handle() == is.handle() && e.caller() == caller) {
                return n;
            }
        }
        return -1;
    }

    /** True if {@code s} is the last live task of its Space. */
    private boolean lastOf(Model m, int s) {
        for (int u = 0; u < g.shape.tasks(); u++) {
            if (u != s && g.shape.space(u) == g.shape.space(s) && m.task(u).state() != Model.State.DEAD) {
                return false;
            }
        }
        return m.task(s).state() == Model.State.RUNNING;
    }

    /** A running task of {@code space}, else any running task (another Space's use of the handle), else -1. */
    private int user(Model m, int space) {
        int other = -1;
        for (int u = 0; u < g.shape.tasks(); u++) {
            if (m.task(u).state() == Model.State.RUNNING) {
                if (g.shape.space(u) == space) {
                    return u;
                }
                other = u;
            }
        }
        return other;
    }

    /** A by-handle syscall of {@code t} naming {@code h}: any of the six, with offsets at the caller's boundaries when it has one. */
    private Action byHandle(Model m, int t, Action.Handle h) {
        if (t < 0) {
            return null;
        }
        Model.Entry e = Situations.entry(m, t, h);
        int caller = e == null ? -1 : e.caller();
        long[] at = caller >= 0 ? boundary(m, caller, g.rnd.nextBoolean()) : new long[] {g.rnd.nextInt(21), g.rnd.nextInt(25)};
        return switch (g.rnd.nextInt(6)) {
            case 0 -> new Action.Resume(t, h);
            case 1 -> new Action.ReplyHandle(t, h, word(true), g.mr(t));
            case 2 -> new Action.ForwardHandle(t, h, g.rnd.nextBoolean() ? g.slot(m, t, Model.WRITE) : caps.refusingSlot(m, t, Model.WRITE),
                    word(false), g.mr(t));
            case 3 -> new Action.ReadHandle(t, h, at[0], (int) at[1]);
            case 4 -> new Action.WriteHandle(t, h, at[0], (int) at[1], g.rnd.nextInt(256));
            default -> new Action.CallerInfoHandle(t, h);
        };
    }

    /** A reply's or a forward's word: mostly sendable (a reply now and then with a capability), a fifth of the time refused. */
    private long word(boolean reply) {
        int roll = g.rnd.nextInt(100);
        if (roll < 20) {
            return g.rnd.nextInt(6) == 0 ? MessageInfo.of(g.rnd.nextInt(4), 1, 1) : g.badInfo(g.rnd.nextInt(4), g.rnd.nextInt(4));
        }
        return MessageInfo.of(g.rnd.nextInt(4), g.rnd.nextInt(4), reply && roll < 30 ? 1 : 0);
    }

    /**
     * One by-handle syscall of {@code t} with a handle of a kind picked evenly among those there are:
     * live, one whose caller has gone, used up, used up with its slot holding a newer context, another
     * Space's, forged.
     */
    private Action handleMatrix(Model m, int t) {
        int space = g.shape.space(t);
        List<List<Integer>> kinds = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            kinds.add(new ArrayList<>());
        }
        for (int n = 0; n < m.issued().size(); n++) {
            Model.Issued is = m.issued().get(n);
            Model.Entry e = is.space() == space ? m.entryAt(space, Handles.slot(is.handle())) : null;
            int kind = is.space() != space ? 4 : e == null ? 2 : e.handle() != is.handle() ? 3 : e.caller() >= 0 ? 0 : 1;
            kinds.get(kind).add(n);
        }
        kinds.removeIf(List::isEmpty);
        if (kinds.isEmpty() || g.rnd.nextInt(7) == 0) {
            return byHandle(m, t, g.handle(m, t));
        }
        List<Integer> kind = kinds.get(g.rnd.nextInt(kinds.size()));
        return byHandle(m, t, new Action.Handle(kind.get(g.rnd.nextInt(kind.size())), 0));
    }

    // ---- A forwarded Call answered.

    /**
     * A server forwards the Call it holds through a capability with WRITE to an endpoint a running task
     * (maybe itself) receives on: a third of the time that task waits there first (the Call is delivered at
     * once), a third of the time the server suspends the Call and forwards it by handle.
     */
    List<Intent> forwardChain(Model m, List<Integer> running) {
        for (int s : caps.shuffled(running)) {
            int c = m.task(s).holds();
            if (c < 0 || m.cancelled().get(s)) {
                continue;
            }
            for (int r : caps.shuffled(running)) {
                for (int ep = 0; ep < g.shape.endpoints(); ep++) {
                    int fw = caps.capWith(m, g.shape.space(s), ep, Model.WRITE);
                    int rr = caps.capWith(m, g.shape.space(r), ep, Model.READ);
                    if (r != c && fw >= 0 && rr >= 0) {
                        List<Intent> plan = new ArrayList<>();
                        int ep0 = ep;
                        int space = g.shape.space(s);
                        long info = MessageInfo.of(g.rnd.nextInt(4), g.rnd.nextInt(4));
                        // A third of the time the next server already waits, alone, so the Call is delivered at once, not queued.
                        boolean waiting = r != s && m.endpoints().get(ep).kind() == Model.Kind.IDLE && g.rnd.nextInt(3) == 0;
                        if (waiting) {
                            plan.add(n -> n.task(r).state() == Model.State.RUNNING && n.endpoints().get(ep0).kind() == Model.Kind.IDLE
                                    ? new Action.Recv(r, rr) : null);
                        }
                        // A third of the time by handle: suspended first, then forwarded from the reply pool.
                        if (g.rnd.nextInt(3) == 0) {
                            plan.add(n -> new Action.Suspend(s));
                            plan.add(n -> mine(n, space, c) >= 0
                                    ? new Action.ForwardHandle(s, new Action.Handle(mine(n, space, c), 0), fw, info, g.mr(s)) : null);
                        } else {
                            plan.add(n -> new Action.Forward(s, fw, info, g.mr(s)));
                        }
                        // Half the time the next server asks who called: the badge of the capability forwarded through, the forwarder's label.
                        boolean ask = g.rnd.nextBoolean();
                        plan.add(n -> n.task(c).state() == Model.State.BLOCKED_ON_SEND ? new Action.Recv(r, rr)
                                : ask && holder(n, c) >= 0 ? new Action.CallerInfo(holder(n, c)) : answer(n, c));
                        if (ask) {
                            plan.add(n -> holder(n, c) >= 0 ? new Action.CallerInfo(holder(n, c)) : null);
                        }
                        plan.add(n -> answer(n, c));
                        return plan;
                    }
                }
            }
        }
        return List.of();
    }

    /** The Reply of the running task that holds {@code caller}'s context, or null. */
    private Action answer(Model m, int caller) {
        int h = holder(m, caller);
        return h < 0 ? null : new Action.Reply(h, MessageInfo.of(g.rnd.nextInt(4), g.rnd.nextInt(4)), g.mr(h));
    }

    /** The running task holding {@code caller}'s context, or -1. */
    private static int holder(Model m, int caller) {
        for (int t = 0; t < m.tasks().size(); t++) {
            if (m.task(t).holds() == caller && m.task(t).state() == Model.State.RUNNING) {
                return t;
            }
        }
        return -1;
    }

    // ---- A reply with capabilities, to a caller whose buffer is rewritten.

    /**
     * Caller c names an empty receive slot and Calls server s waiting on endpoint E (through a
     * capability with GRANT, or, a third of the time, without: then the reply is refused); a hostile
     * thread often rewrites c's IPC buffer while it waits; s replies with one of its capabilities.
     */
    List<Intent> grantReply(Model m, List<Integer> running) {
        for (int c : caps.shuffled(running)) {
            for (int s : caps.shuffled(running)) {
                List<Integer> free = caps.empty(m, g.shape.space(c));
                int x = caps.capWith(m, g.shape.space(s), -1, 0);
                if (s == c || free.isEmpty() || x < 0) {
                    continue;
                }
                for (int ep = 0; ep < g.shape.endpoints(); ep++) {
                    boolean grant = g.rnd.nextInt(3) > 0;
                    int cw = caps.capWith(m, g.shape.space(c), ep, Model.WRITE);
                    int sr = caps.capWith(m, g.shape.space(s), ep, grant ? Model.READ | Model.GRANT : Model.READ);
                    if (cw >= 0 && sr >= 0 && m.endpoints().get(ep).kind() == Model.Kind.IDLE && m.notices().get(ep).isEmpty()
                            && !(m.ntfn().bound() == s && m.ntfn().pending())) {
                        return grantReply(c, s, ep, cw, sr, x, free.get(0));
                    }
                }
            }
        }
        return List.of();
    }

    private List<Intent> grantReply(int c, int s, int ep, int cw, int sr, int x, int f) {
        List<Intent> plan = new ArrayList<>();
        plan.add(n -> new Action.SetCaps(c, n.xfer().get(c).caps(), List.of(f, -1, -1, -1)));
        plan.add(n -> new Action.Recv(s, sr));
        long timeout = g.rnd.nextInt(100) < 20 ? 10L * (1 + g.rnd.nextInt(20)) : Action.FOREVER;
        plan.add(n -> Scenarios.waitsFirst(n, s, ep) ? new Action.Call(c, cw, MessageInfo.of(g.rnd.nextInt(4), 1 + g.rnd.nextInt(3)), g.mr(c),
                g.sizes(), g.sizes(), timeout) : null);
        if (g.rnd.nextBoolean()) {
            plan.add(n -> new Action.Tamper(c, rewrite(), rewrite()));
        }
        if (g.rnd.nextInt(100) < 40) {
            // A context held and another suspended in the Space: resuming it is refused.
            plan.add(n -> {
                int h = liveIn(n, g.shape.space(s), n.issued().size());
                return h >= 0 && n.task(s).holds() == c ? new Action.Resume(s, new Action.Handle(h, 0)) : n.task(s).holds() == c
                        ? new Action.CallerInfo(s) : null;
            });
        }
        boolean suspend = g.rnd.nextInt(100) < 30;
        if (suspend) {
            plan.add(n -> n.task(s).holds() == c ? new Action.Suspend(s) : null);
        }
        plan.add(n -> n.task(s).holds() == c || (suspend && n.suspendedIn(c) >= 0)
                ? new Action.SetCaps(s, Scenarios.withFirst(n.xfer().get(s).caps(), x), n.xfer().get(s).receive()) : null);
        plan.add(n -> suspend ? new Action.ReplyHandle(s, new Action.Handle(n.issued().size() - 1, 0), MessageInfo.of(g.rnd.nextInt(4), 1, 1),
                g.mr(s)) : g.rnd.nextBoolean() ? new Action.Reply(s, MessageInfo.of(g.rnd.nextInt(4), 1, 1), g.mr(s))
                : new Action.ReplyWait(s, sr, MessageInfo.of(g.rnd.nextInt(4), 1, 1), g.mr(s)));
        return plan;
    }

    /** The place of a handle among the first {@code upTo} issued that names a suspended context of {@code space} now, or -1. */
    private static int liveIn(Model m, int space, int upTo) {
        for (int n = 0; n < upTo; n++) {
            Model.Issued is = m.issued().get(n);
            Model.Entry e = is.space() == space ? m.entryAt(space, Handles.slot(is.handle())) : null;
            if (e != null && e.handle() == is.handle()) {
                return n;
            }
        }
        return -1;
    }

    /** Four slots a hostile thread writes: out of range, negative, or any slot. */
    List<Integer> rewrite() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int roll = g.rnd.nextInt(100);
            out.add(roll < 15 ? -1 - g.rnd.nextInt(3) : roll < 30 ? g.shape.slots() + g.rnd.nextInt(3) : g.rnd.nextInt(g.shape.slots()));
        }
        return List.copyOf(out);
    }

    // ---- The notification.

    /** A task binds the notification and waits in Recv, or waits on it; then often every capability to it goes. */
    List<Intent> notification(Model m, List<Integer> running) {
        int n0 = g.shape.notification();
        for (int w : caps.shuffled(running)) {
            int nr = slotOf(m, g.shape.space(w), n0, Model.READ);
            if (nr < 0) {
                continue;
            }
            List<Intent> plan = new ArrayList<>();
            int er = caps.capWith(m, g.shape.space(w), -1, Model.READ);
            int roll = g.rnd.nextInt(5);
            boolean bind = m.ntfn().bound() < 0 && m.ntfn().waiters().isEmpty() && er >= 0 && roll >= 3;
            int signaller = signaller(m, running);
            if (roll == 1 && signaller >= 0) {
                // Signalled with nobody waiting: pending, then polled.
                plan.add(n -> new Action.Signal(signaller, slotOf(n, g.shape.space(signaller), n0, Model.WRITE)));
                plan.add(n -> new Action.Poll(w, nr));
                return plan;
            }
            if (bind) {
                plan.add(n -> new Action.Bind(w, nr));
                plan.add(n -> new Action.Recv(w, er));
            } else {
                plan.add(n -> new Action.Wait(w, nr, g.rnd.nextInt(100) < 25 ? 10L * (1 + g.rnd.nextInt(5)) : Action.FOREVER));
                int binder = reader(m, running, w);
                if (binder >= 0 && g.rnd.nextBoolean()) {
                    plan.add(n -> n.ntfn().waiters().contains(w) ? new Action.Bind(binder, slotOf(n, g.shape.space(binder), n0, Model.READ)) : null);
                }
            }
            int ep = er < 0 ? -1 : m.caps().get(new Ref(g.shape.space(w), er)).object();
            List<Integer> others = running.stream().filter(u -> u != w).toList();
            if (bind && g.rnd.nextBoolean() && caps.reachable(m, ep, others)) {
                plan.addAll(caps.destroying(ep));
            } else if (g.rnd.nextInt(100) < 60 && caps.reachable(m, n0, others)) {
                plan.addAll(caps.destroying(n0));
            }
            return plan;
        }
        return List.of();
    }

    /** A running task other than {@code not} holding the notification with READ, or -1. */
    private int reader(Model m, List<Integer> running, int not) {
        for (int u : running) {
            if (u != not && slotOf(m, g.shape.space(u), g.shape.notification(), Model.READ) >= 0) {
                return u;
            }
        }
        return -1;
    }

    /** A running task holding the notification with WRITE, or -1. */
    private int signaller(Model m, List<Integer> running) {
        for (int u : running) {
            if (slotOf(m, g.shape.space(u), g.shape.notification(), Model.WRITE) >= 0) {
                return u;
            }
        }
        return -1;
    }

    /** A slot of {@code space} holding a capability to object {@code o} with {@code right}, or -1. */
    private int slotOf(Model m, int space, int o, int right) {
        for (int i = 0; i < g.shape.slots(); i++) {
            Model.Cap c = m.caps().get(new Ref(space, i));
            if (c != null && c.object() == o && (c.rights() & right) == right) {
                return i;
            }
        }
        return -1;
    }

    // ---- Single steps.

    /**
     * One step that makes a situation likelier than chance does, or null: a server works on the
     * context it holds, or on a suspended one by handle, at the boundaries of its caller's buffers; a
     * capability with grandchildren is revoked or deleted; a capability a queued message names, or its
     * ancestor, is cut; a reply capability is named where none may be.
     */
    Action single(Model m, int t, List<Integer> live) {
        if (!m.issued().isEmpty() && g.rnd.nextInt(100) < 20) {
            Action a = handleMatrix(m, t);
            if (a != null) {
                return a;
            }
        }
        int caller = m.cancelled().get(t) ? -1 : m.task(t).holds();
        if (caller >= 0 && g.rnd.nextInt(100) < 35) {
            return serverWork(m, t, caller);
        }
        List<Integer> held = live.stream().filter(n -> Situations.entry(m, t, new Action.Handle(n, 0)).caller() >= 0).toList();
        if (!held.isEmpty() && g.rnd.nextInt(100) < 25) {
            Action.Handle h = new Action.Handle(held.get(g.rnd.nextInt(held.size())), 0);
            int of = Situations.entry(m, t, h).caller();
            long[] at = boundary(m, of, g.rnd.nextBoolean());
            return switch (g.rnd.nextInt(5)) {
                case 0, 1 -> new Action.ReadHandle(t, h, at[0], (int) at[1]);
                case 2, 3 -> new Action.WriteHandle(t, h, at[0], (int) at[1], g.rnd.nextInt(256));
                default -> new Action.CallerInfoHandle(t, h);
            };
        }
        int space = g.shape.space(t);
        Map<Ref, List<Ref>> children = Situations.children(m);
        if (g.rnd.nextInt(100) < 6) {
            int best = -1;
            int height = 1;
            for (int i = 0; i < g.shape.slots(); i++) {
                int hi = Situations.height(children, new Ref(space, i));
                if (hi > height) {
                    best = i;
                    height = hi;
                }
            }
            if (best >= 0) {
                return g.rnd.nextInt(3) > 0 ? new Action.Revoke(t, best) : new Action.Delete(t, best);
            }
        }
        Set<Ref> flying = Situations.inFlight(m);
        if (!flying.isEmpty() && g.rnd.nextInt(100) < 20) {
            for (int i = 0; i < g.shape.slots(); i++) {
                Ref r = new Ref(space, i);
                if (m.caps().containsKey(r) && (flying.contains(r) || Situations.descendants(children, r).stream().anyMatch(flying::contains))) {
                    return switch (g.rnd.nextInt(3)) {
                        case 0 -> new Action.Revoke(t, i);
                        default -> new Action.Delete(t, i);
                    };
                }
            }
        }
        Action moved = withChildren(m, t, children);
        if (moved != null) {
            return moved;
        }
        Action derived = derive(m, t);
        return derived != null ? derived : replyCapability(m, t);
    }

    /**
     * A server at work on the context it holds: mostly Read or Write at a boundary of its caller's
     * buffers; else CallerInfo, Forward, Suspend.
     */
    private Action serverWork(Model m, int t, int caller) {
        int roll = g.rnd.nextInt(100);
        if (roll < 65) {
            boolean read = g.rnd.nextBoolean();
            long[] at = boundary(m, caller, read);
            return read ? new Action.Read(t, at[0], (int) at[1]) : new Action.Write(t, at[0], (int) at[1], g.rnd.nextInt(256));
        } else if (roll < 75) {
            return new Action.CallerInfo(t);
        } else if (roll < 87) {
            return new Action.Forward(t, g.slot(m, t, Model.WRITE), g.rnd.nextInt(100) < 85 ? MessageInfo.of(g.rnd.nextInt(4),
                    g.rnd.nextInt(4)) : g.info(), g.mr(t));
        }
        return new Action.Suspend(t);
    }

    /**
     * An offset and a length for Read ({@code read}) or Write on {@code caller}'s context: offset 0, the
     * last byte, the end, past it, negative, on a boundary between two of the caller's segments or just
     * before one, or anywhere; a length of 0, 1, exactly what is left, more than is left, or any.
     */
    private long[] boundary(Model m, int caller, boolean read) {
        Model.CallCtx ctx = m.task(caller).call();
        long end = read ? ctx.send().size() : ctx.recvSize();
        List<Long> cuts = new ArrayList<>();
        Action.Call call = g.call(caller);
        if (call != null) {
            long at = 0;
            for (int size : read ? call.send() : call.recv()) {
                at += size;
                if (at > 0 && at < end) {
                    cuts.add(at);
                }
            }
        }
        long cut = cuts.isEmpty() ? end / 2 : cuts.get(g.rnd.nextInt(cuts.size()));
        long offset = switch (g.rnd.nextInt(9)) {
            case 0 -> 0;
            case 1 -> end - 1;
            case 2 -> end;
            case 3 -> end + 1 + g.rnd.nextInt(3);
            case 4 -> -1 - g.rnd.nextInt(2);
            case 5, 6 -> cut;
            case 7 -> Math.max(0, cut - 1 - g.rnd.nextInt(3));
            default -> g.rnd.nextInt((int) end + 1);
        };
        long left = Math.max(0, end - offset);
        long len = switch (g.rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> left;
            case 3 -> left + 1 + g.rnd.nextInt(4);
            default -> 1 + g.rnd.nextInt(24);
        };
        return new long[] {offset, Math.min(len, io.capipc.props.model.Shape.AREA)};
    }

    /** A reply capability of t's Space named where none may be: copied, minted, moved, mutated or sent; else null. */
    private Action replyCapability(Model m, int t) {
        int space = g.shape.space(t);
        List<Integer> replies = m.entries().stream().filter(e -> e.space() == space && e.slot() >= 0).map(Model.Entry::slot).toList();
        if (replies.isEmpty() || g.rnd.nextInt(100) >= 8) {
            return null;
        }
        int r = replies.get(g.rnd.nextInt(replies.size()));
        List<Integer> empties = caps.empty(m, space);
        int dst = empties.isEmpty() ? g.rnd.nextInt(g.shape.slots()) : empties.get(0);
        return switch (g.rnd.nextInt(5)) {
            case 0 -> new Action.Copy(t, r, dst, 7);
            case 1 -> new Action.Mint(t, r, dst, 7, g.badgeArg());
            case 2 -> new Action.Move(t, r, dst);
            case 3 -> new Action.Mutate(t, r, dst, 7, 0);
            default -> new Action.SetCaps(t, Scenarios.withFirst(m.xfer().get(t).caps(), r), m.xfer().get(t).receive());
        };
    }


    /** Now and then a derivation that succeeds: Copy, Mint or Mutate of a full slot into an empty one, narrowing rights or setting a badge. */
    private Action derive(Model m, int t) {
        if (g.rnd.nextInt(100) >= 7) {
            return null;
        }
        int space = g.shape.space(t);
        for (int i = 0; i < g.shape.slots() && g.rnd.nextInt(4) == 0; i++) {
            Model.Cap c = m.caps().get(new Ref(space, i));
            if (c != null && c.object() < g.shape.endpoints() && c.rights() == 7 && c.badge() != 0) {
                return new Action.CancelBadgedSends(t, i);
            }
        }
        List<Integer> free = caps.empty(m, space);
        List<Integer> full = new ArrayList<>();
        for (int i = 0; i < g.shape.slots(); i++) {
            Model.Cap c = m.caps().get(new Ref(space, i));
            if (c != null && c.object() != g.shape.replyObject()) {
                full.add(i);
            }
        }
        if (free.isEmpty() || full.isEmpty()) {
            return null;
        }
        int src = full.get(g.rnd.nextInt(full.size()));
        int dst = free.get(g.rnd.nextInt(free.size()));
        int rights = g.rnd.nextInt(8);
        long badge = m.caps().get(new Ref(space, src)).badge() == 0 && g.rnd.nextBoolean() ? 1 + g.rnd.nextInt(4) : 0;
        return switch (g.rnd.nextInt(3)) {
            case 0 -> new Action.Copy(t, src, dst, rights);
            case 1 -> new Action.Mint(t, src, dst, rights, badge);
            default -> new Action.Mutate(t, src, dst, rights, badge);
        };
    }

    /** A capability with children moved, or narrowed by Mutate (refused), now and then; else null. */
    private Action withChildren(Model m, int t, Map<Ref, List<Ref>> children) {
        if (g.rnd.nextInt(100) >= 4) {
            return null;
        }
        int space = g.shape.space(t);
        List<Integer> free = caps.empty(m, space);
        for (int i = 0; i < g.shape.slots() && !free.isEmpty(); i++) {
            Model.Cap c = m.caps().get(new Ref(space, i));
            if (c != null && children.containsKey(new Ref(space, i)) && c.object() != g.shape.replyObject()) {
                return g.rnd.nextBoolean() ? new Action.Move(t, i, free.get(0))
                        : new Action.Mutate(t, i, free.get(0), c.rights() & ~(1 << g.rnd.nextInt(3)), 0);
            }
        }
        return null;
    }
}
