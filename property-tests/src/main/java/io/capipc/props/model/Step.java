package io.capipc.props.model;

import io.capipc.api.Status;
import io.capipc.props.harness.Action;
import io.capipc.props.model.Model.CallCtx;
import io.capipc.props.model.Model.Cap;
import io.capipc.props.model.Model.Kind;
import io.capipc.props.model.Model.MTask;
import io.capipc.props.model.Model.Queue;
import io.capipc.props.model.Model.Ref;
import io.capipc.props.model.Model.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/semantics.md's transitions over a mutable copy of a {@link Model}, for one action. Each method reads
 * as the docs/semantics.md table row it implements: refusals first, in section 7's order, then the effect.
 */
public final class Step {
    /** The result of applying an action: the next model and the status (null: the task blocked). */
    public record Outcome(Model next, Status status) {}

    private static final int KIND_SEND = 1;
    private static final int KIND_CALL = 2;
    static final int KIND_REPLY = 4;

    final Shape shape;
    final List<MTask> tasks;
    final Map<Ref, Cap> caps;
    final List<Queue> eps;
    final Map<Integer, Ref> via;
    final List<Model.Xfer> xfer;
    Model.Ntfn ntfn;
    long now;
    final List<Long> deadlines;
    final List<Boolean> cancelled;
    final List<Model.Entry> entries;
    final List<Long> gens;
    final List<Model.Issued> issued;
    final List<Long> handles;
    final List<Integer> accepts;
    final List<List<Model.Notice>> notices;
    final List<Model.Posted> posted = new ArrayList<>();
    final Map<Ref, Long> born;
    long births;
    private final NotificationRules notes = new NotificationRules(this);
    private final CapabilityRules capability = new CapabilityRules(this);
    final ExpiryRules expiry = new ExpiryRules(this);
    final ContextRules contexts = new ContextRules(this);
    final NoticeRules system = new NoticeRules(this);
    final BufferRules buffers = new BufferRules(this);

    final TaskRules control;
    final BudgetRules budgets;

    Step(Model m) {
        control = new TaskRules(this, m.control());
        budgets = new BudgetRules(this, m);
        shape = m.shape();
        tasks = new ArrayList<>(m.tasks());
        caps = new HashMap<>(m.caps());
        eps = new ArrayList<>(m.endpoints());
        via = new HashMap<>(m.sendVia());
        xfer = new ArrayList<>(m.xfer());
        ntfn = m.ntfn();
        now = m.now();
        deadlines = new ArrayList<>(m.deadlines());
        cancelled = new ArrayList<>(m.cancelled());
        entries = new ArrayList<>(m.entries());
        gens = new ArrayList<>(m.gens());
        issued = new ArrayList<>(m.issued());
        handles = new ArrayList<>(m.handles());
        accepts = new ArrayList<>(m.accepts());
        notices = new ArrayList<>(m.notices());
        born = new HashMap<>(m.born());
        births = m.births();
    }

    /** {@code r} was just put under its parent: it goes in front of its siblings (see {@link Model#born()}). */
    void placeChild(Ref r) {
        born.put(r, ++births);
    }

    /**
     * Applies {@code a}, whose task must be RUNNING unless it is a {@link Action.Driver} action
     * (which acts on a task from outside, in any state, and always has status OK).
     */
    public static Outcome apply(Model m, Action a) {
        boolean driver = a instanceof Action.Driver;
        if (!driver && m.task(a.task()).state() != State.RUNNING) {
            throw new IllegalArgumentException("t" + a.task() + " is not RUNNING: " + Action.show(a));
        }
        Step s = m.begin();
        Status st = driver ? s.expiry.drive((Action.Driver) a) : s.expiry.timed(a, s.run(a));
        if (st != null && !driver && !(a instanceof Action.SetCaps)) {
            s.setStatus(a.task(), st);
        }
        s.control.after(m, a);
        s.budgets.sweep();
        return new Outcome(new Model(m.shape(), List.copyOf(s.tasks), Map.copyOf(s.caps), List.copyOf(s.eps),
                Map.copyOf(s.via), List.copyOf(s.xfer), s.ntfn, s.now, List.copyOf(s.deadlines), List.copyOf(s.cancelled),
                List.copyOf(s.entries), List.copyOf(s.gens), List.copyOf(s.issued), List.copyOf(s.handles), List.copyOf(s.accepts),
                List.copyOf(s.notices), List.copyOf(s.posted), Map.copyOf(s.born), s.births, s.control.freeze(s.budgets)), st);
    }

    private Status run(Action a) {
        if (Action.timeoutOf(a) < 0) {
            return expiry.refuseTimeout(a);
        }
        return switch (a) {
            case Action.SetCaps c -> {
                xfer.set(c.task(), xfer.get(c.task()).withBuffer(c.caps(), c.receive()));
                yield Status.OK;
            }
            case Action.Send s -> send(s.task(), s.slot(), s.info(), s.mr(), true);
            case Action.NBSend s -> send(s.task(), s.slot(), s.info(), s.mr(), false);
            case Action.Call c -> call(c);
            case Action.Recv r -> recv(r.task(), r.slot(), true);
            case Action.NBRecv r -> recv(r.task(), r.slot(), false);
            case Action.Reply r -> reply(r.task(), r.info(), r.mr());
            case Action.ReplyWait r -> replyWait(r);
            case Action.Forward f -> forward(f.task(), f.slot(), f.info(), f.mr());
            case Action.Read r -> buffers.read(r.task(), tasks.get(r.task()).holds(), buffers.noCaller(r.task()), r.offset(), r.len());
            case Action.Write w -> buffers.write(w.task(), tasks.get(w.task()).holds(), buffers.noCaller(w.task()), w.offset(), w.len(),
                    w.fill());
            case Action.CallerInfo c -> buffers.callerInfo(c.task(), tasks.get(c.task()).holds(), buffers.noCaller(c.task()));
            case Action.Suspend c -> contexts.suspend(c.task());
            case Action.Resume c -> contexts.resume(c.task(), resolve(c.handle()));
            case Action.ReplyHandle r -> contexts.reply(r, resolve(r.handle()));
            case Action.ForwardHandle f -> contexts.forward(f, resolve(f.handle()));
            case Action.ReadHandle r -> contexts.read(r, resolve(r.handle()));
            case Action.WriteHandle w -> contexts.write(w, resolve(w.handle()));
            case Action.CallerInfoHandle c -> contexts.callerInfo(c.task(), resolve(c.handle()));
            case Action.SystemMessages m -> system.choose(m.task(), m.slot(), m.mask());
            case Action.Fault f -> system.fault(f.task());
            case Action.Signal n -> notes.signal(n.task(), n.slot());
            case Action.Wait n -> notes.waitFor(n.task(), n.slot(), true);
            case Action.Poll n -> notes.waitFor(n.task(), n.slot(), false);
            case Action.Bind n -> notes.bind(n.task(), n.slot());
            case Action.Unbind n -> {
                if (ntfn.bound() != n.task()) {
                    yield Status.INVALID_ARGUMENT;
                }
                ntfn = new Model.Ntfn(ntfn.word(), ntfn.pending(), ntfn.waiters(), -1);
                yield Status.OK;
            }
            case Action.Copy c -> capability.derive(c.task(), c.src(), c.dst(), c.rights(), 0, false);
            case Action.Mint m -> capability.derive(m.task(), m.src(), m.dst(), m.rights(), m.badge(), true);
            case Action.Move m -> capability.move(m.task(), m.src(), m.dst(), false, 0, 0);
            case Action.Mutate m -> capability.move(m.task(), m.src(), m.dst(), true, m.rights(), m.badge());
            case Action.Delete d -> capability.delete(d.task(), d.slot());
            case Action.Revoke r -> capability.revoke(r.task(), r.slot());
            case Action.CancelBadgedSends c -> capability.cancelBadgedSends(c.task(), c.slot());
            case Action.Exit e -> exit(e.task());
            case Action.KillTask k -> control.kill(k.task(), k.slot());
            case Action.RestartTask r -> control.restart(r.task(), r.slot());
            case Action.TaskInfo i -> control.info(i.task(), i.slot());
            case Action.Retype r -> budgets.retype(r.task(), r.slot(), r.type(), r.param(), r.dst());
            case Action.Driver d -> throw new IllegalArgumentException("not a syscall: " + Action.show(d));
        };
    }

    /** A handle argument's value: the issued handle it names (-1 if that many were not issued), or the forged one. */
    private long resolve(Action.Handle h) {
        return h.nth() < 0 ? h.raw() : h.nth() < issued.size() ? issued.get(h.nth()).handle() : -1L;
    }

    // ---- messages

    private Status send(int t, int slot, long info, long mr, boolean blocking) {
        setRegisters(t, mr);
        latchSend(t, info);
        Status s = message(t, slot, info, Model.WRITE);
        if (s != Status.OK) {
            return s;
        }
        Cap cap = caps.get(new Ref(shape.space(t), slot));
        int ep = cap.object();
        Queue q = eps.get(ep);
        if (q.kind() == Kind.RECEIVERS) {
            int r = popHead(ep);
            deliver(t, r, info, cap.badge(), KIND_SEND, ep);
            wake(r, Status.OK);
            return Status.OK;
        }
        if (!blocking) {
            return Status.WOULD_BLOCK;
        }
        block(t, State.BLOCKED_ON_SEND, ep, false, info, cap.badge());
        via.put(t, new Ref(shape.space(t), slot));
        return null;
    }

    private Status call(Action.Call c) {
        int t = c.task();
        setRegisters(t, c.mr());
        latchSend(t, c.info());
        Status s = sendable(c.info()) ? Status.OK : Status.INVALID_ARGUMENT;
        if (s == Status.OK && (c.send().size() > 8 || c.recv().size() > 8 || c.send().stream().anyMatch(x -> x < 0)
                || c.recv().stream().anyMatch(x -> x < 0))) {
            s = Status.INVALID_ARGUMENT; // too many segments, or a null, closed, confined or (receiving) read-only one
        }
        if (s == Status.OK) {
            s = message(t, c.slot(), c.info(), Model.WRITE);
        }
        if (s != Status.OK) {
            return s;
        }
        Cap cap = caps.get(new Ref(shape.space(t), c.slot()));
        xfer.set(t, xfer.get(t).latchReceive());
        int sendSize = c.send().stream().mapToInt(Integer::intValue).sum();
        List<Byte> bytes = new ArrayList<>();
        for (int i = 0; i < sendSize; i++) {
            bytes.add(sendByte(c.mr(), i));
        }
        MTask me = tasks.get(t);
        int recvSize = c.recv().stream().mapToInt(Integer::intValue).sum();
        tasks.set(t, copy(me, me.holds(), new CallCtx(cap.badge(), label(c.info()), List.copyOf(bytes), recvSize, -1)));
        int ep = cap.object();
        if (eps.get(ep).kind() == Kind.RECEIVERS) {
            int r = popHead(ep);
            deliver(t, r, c.info(), cap.badge(), KIND_CALL, ep);
            tasks.set(t, tasks.get(t).with(State.BLOCKED_ON_REPLY, -1));
            hold(r, t, ep);
            wake(r, Status.OK);
            return null;
        }
        block(t, State.BLOCKED_ON_SEND, ep, true, c.info(), cap.badge());
        via.put(t, new Ref(shape.space(t), c.slot()));
        return null;
    }

    private Status recv(int t, int slot, boolean blocking) {
        Status s = endpointCap(t, slot, Model.READ);
        if (s != Status.OK) {
            return s;
        }
        Cap cap = caps.get(new Ref(shape.space(t), slot));
        int ep = cap.object();
        if (eps.get(ep).kind() != Kind.SENDERS && !blocking && !notes.boundPending(t) && notices.get(ep).isEmpty()) {
            return Status.WOULD_BLOCK;
        }
        receiveGrant(t, (cap.rights() & Model.GRANT) != 0);
        xfer.set(t, xfer.get(t).latchReceive());
        release(t, Status.NO_REPLY);
        return take(t, ep);
    }

    private Status reply(int t, long info, long mr) {
        setRegisters(t, mr);
        latchSend(t, info);
        if (!sendable(info) || !transferInRange(t, info)) {
            return Status.INVALID_ARGUMENT;
        }
        if (!transferFull(t, info)) {
            return Status.INVALID_CAPABILITY;
        }
        if (!mayReplyWith(t, info)) {
            return Status.INSUFFICIENT_RIGHTS;
        }
        answer(t, info);
        return Status.OK;
    }

    private Status replyWait(Action.ReplyWait r) {
        int t = r.task();
        setRegisters(t, r.mr());
        latchSend(t, r.info());
        if (!sendable(r.info()) || !transferInRange(t, r.info()) || !inRange(r.slot())) {
            return Status.INVALID_ARGUMENT;
        }
        Cap cap = caps.get(new Ref(shape.space(t), r.slot()));
        if (cap == null || cap.object() >= shape.endpoints() || !transferFull(t, r.info())) {
            return Status.INVALID_CAPABILITY;
        }
        if ((cap.rights() & Model.READ) == 0 || !mayReplyWith(t, r.info())) {
            return Status.INSUFFICIENT_RIGHTS;
        }
        receiveGrant(t, (cap.rights() & Model.GRANT) != 0);
        xfer.set(t, xfer.get(t).latchReceive());
        answer(t, r.info());
        return take(t, cap.object());
    }

    /**
     * Forward: the caller's registers become the forwarder's, its buffers stay, and its Call goes to
     * the endpoint in {@code slot} with the forwarder's badge and label: taken by a waiting receiver,
     * or queued as a Call through the forwarder's slot. No capabilities may go with it.
     */
    private Status forward(int t, int slot, long info, long mr) {
        setRegisters(t, mr);
        Status s = capCount(info) == 0 ? message(t, slot, info, Model.WRITE) : Status.INVALID_ARGUMENT;
        int caller = tasks.get(t).holds();
        if (s == Status.OK && caller < 0) {
            s = buffers.noCaller(t);
        }
        if (s != Status.OK) {
            return s;
        }
        MTask server = tasks.get(t);
        tasks.set(t, copy(server, -1, server.call()));
        pass(t, caller, slot, info);
        return Status.OK;
    }

    /**
     * Forward's effect, for the current context and by handle: {@code caller}'s Call, no longer held
     * by anyone, goes with {@code t}'s registers, badge and label to the endpoint in {@code t}'s slot.
     */
    void pass(int t, int caller, int slot, long info) {
        Cap cap = caps.get(new Ref(shape.space(t), slot));
        copyRegisters(t, caller, (int) (info & 0x7F));
        MTask c = tasks.get(caller);
        CallCtx old = c.call();
        tasks.set(caller, copy(c, c.holds(), new CallCtx(cap.badge(), label(info), old.send(), old.recvSize(), -1)));
        int ep = cap.object();
        if (eps.get(ep).kind() == Kind.RECEIVERS) {
            int r = popHead(ep);
            deliver(caller, r, info, cap.badge(), KIND_CALL, ep);
            hold(r, caller, ep);
            wake(r, Status.OK);
        } else {
            block(caller, State.BLOCKED_ON_SEND, ep, true, info, cap.badge());
            via.put(caller, new Ref(shape.space(t), slot));
        }
    }

    private void copyRegisters(int from, int to, int length) {
        MTask r = tasks.get(to);
        List<Long> regs = new ArrayList<>(r.mr());
        for (int i = 0; i < length; i++) {
            regs.set(i, tasks.get(from).mr().get(i));
        }
        tasks.set(to, new MTask(r.state(), r.blockedOn(), r.isCall(), r.sendInfo(), r.sendBadge(), List.copyOf(regs),
                r.status(), r.info(), r.badge(), r.count(), r.ciBadge(), r.ciLabel(), r.ciSend(), r.ciRecv(),
                r.holds(), r.call(), r.recvArea(), r.scratch()));
    }

    /**
     * Exit (and the end of a kill or a fault): the context held goes back to its caller with
     * PEER_DIED; the binding ends; if it was its Space's last live task, the callers of the contexts
     * suspended there get PEER_DIED too.
     */
    Status exit(int t) {
        release(t, Status.PEER_DIED);
        if (ntfn.bound() == t) {
            ntfn = new Model.Ntfn(ntfn.word(), ntfn.pending(), ntfn.waiters(), -1);
        }
        tasks.set(t, tasks.get(t).with(State.DEAD, -1));
        int space = shape.space(t);
        boolean last = true;
        for (int u = 0; u < tasks.size(); u++) {
            last &= shape.space(u) != space || tasks.get(u).state() == State.DEAD;
        }
        if (last) {
            contexts.spaceDied(space);
        }
        return Status.OK;
    }

    /** The oldest sender's message for {@code t}, or {@code t} queued as a receiver. */
    private Status take(int t, int ep) {
        if (notes.boundPending(t)) {
            notes.deliverNote(t, notes.takeWord());
            return Status.OK;
        }
        if (!notices.get(ep).isEmpty()) {
            system.receive(t, ep);
            return Status.OK;
        }
        if (eps.get(ep).kind() != Kind.SENDERS) {
            block(t, State.BLOCKED_ON_RECEIVE, ep, false, 0, 0);
            return null;
        }
        int s = popHead(ep);
        via.remove(s);
        MTask sender = tasks.get(s);
        deliver(s, t, sender.sendInfo(), sender.sendBadge(), sender.isCall() ? KIND_CALL : KIND_SEND, ep);
        if (sender.isCall()) {
            tasks.set(s, plain(tasks.get(s)).with(State.BLOCKED_ON_REPLY, -1));
            hold(t, s, ep);
        } else {
            wake(s, Status.OK);
        }
        return Status.OK;
    }

    /** Reply to {@code t}'s current caller, if any (docs/semantics.md §5.1: unreliable by design). */
    private void answer(int t, long info) {
        cancelled.set(t, false);
        int caller = tasks.get(t).holds();
        if (caller < 0) {
            return;
        }
        deliver(t, caller, info, 0, KIND_REPLY, -1);
        MTask server = tasks.get(t);
        tasks.set(t, copy(server, -1, server.call()));
        endCall(caller, Status.OK);
    }

    /** Drops {@code t}'s unanswered context (or the mark of a cancelled one); its caller's Call ends with {@code why}. */
    private void release(int t, Status why) {
        cancelled.set(t, false);
        int caller = tasks.get(t).holds();
        if (caller >= 0) {
            MTask server = tasks.get(t);
            tasks.set(t, copy(server, -1, server.call()));
            endCall(caller, why);
        }
    }

    void endCall(int caller, Status why) {
        MTask c = tasks.get(caller);
        tasks.set(caller, copy(c, c.holds(), null));
        wake(caller, why);
    }

    // ---- helpers

    /** docs/semantics.md §3: label >= 0, length <= 64, at most 4 capabilities, and nothing else (no SYSTEM, no kind). */
    static boolean sendable(long info) {
        int label = label(info);
        int length = (int) (info & 0x7F);
        int n = capCount(info);
        return label >= 0 && length <= 64 && n <= 4 && info == (((long) label << 32) | ((long) n << 8) | length);
    }

    static int capCount(long info) {
        return (int) ((info >> 8) & 7);
    }

    /**
     * A message through slot {@code slot}: the word and every slot index (INVALID_ARGUMENT); the
     * endpoint, then the transferred capabilities (INVALID_CAPABILITY); {@code right}, and GRANT if
     * capabilities go with it (INSUFFICIENT_RIGHTS).
     */
    Status message(int t, int slot, long info, int right) {
        if (!sendable(info) || !transferInRange(t, info) || !inRange(slot)) {
            return Status.INVALID_ARGUMENT;
        }
        Cap c = caps.get(new Ref(shape.space(t), slot));
        if (c == null || c.object() >= shape.endpoints() || !transferFull(t, info)) {
            return Status.INVALID_CAPABILITY;
        }
        int needed = capCount(info) > 0 ? right | Model.GRANT : right;
        return (c.rights() & needed) == needed ? Status.OK : Status.INSUFFICIENT_RIGHTS;
    }

    /** docs/semantics.md §7, read once: a send reads the slots of its capabilities out of the IPC buffer when it is made. */
    void latchSend(int t, long info) {
        xfer.set(t, xfer.get(t).latchSend(capCount(info)));
    }

    boolean transferInRange(int t, long info) {
        for (int i = 0; i < capCount(info); i++) {
            if (!inRange(xfer.get(t).sentCaps().get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Every capability sent is there, and none is a reply capability (which never travels). */
    boolean transferFull(int t, long info) {
        for (int i = 0; i < capCount(info); i++) {
            Cap c = caps.get(new Ref(shape.space(t), xfer.get(t).sentCaps().get(i)));
            if (c == null || c.object() == shape.replyObject()) {
                return false;
            }
        }
        return true;
    }

    /** A reply with capabilities needs a context received through a capability with GRANT. */
    private boolean mayReplyWith(int t, long info) {
        return tasks.get(t).holds() < 0 || capCount(info) == 0 || xfer.get(t).contextGrant();
    }

    private void receiveGrant(int t, boolean grant) {
        Model.Xfer x = xfer.get(t);
        xfer.set(t, x.withReceiveGrant(grant));
    }

    static int label(long info) {
        return (int) (info >> 32);
    }

    /** Range, then lookup, then type, then rights (docs/semantics.md §7). */
    Status endpointCap(int t, int slot, int right) {
        if (!inRange(slot)) {
            return Status.INVALID_ARGUMENT;
        }
        Cap c = caps.get(new Ref(shape.space(t), slot));
        if (c == null || c.object() >= shape.endpoints()) {
            return Status.INVALID_CAPABILITY;
        }
        return (c.rights() & right) == right ? Status.OK : Status.INSUFFICIENT_RIGHTS;
    }

    boolean inRange(long slot) {
        return slot >= 0 && slot < shape.slots();
    }

    /** Register i of a sender holds {@code mr * 100 + i} (see {@link Action}). */
    void setRegisters(int t, long mr) {
        List<Long> regs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            regs.add(mr * 100 + i);
        }
        MTask me = tasks.get(t);
        tasks.set(t, new MTask(me.state(), me.blockedOn(), me.isCall(), me.sendInfo(), me.sendBadge(), List.copyOf(regs),
                me.status(), me.info(), me.badge(), me.count(), me.ciBadge(), me.ciLabel(), me.ciSend(), me.ciRecv(),
                me.holds(), me.call(), me.recvArea(), me.scratch()));
    }

    /** Byte i of a caller's send buffer (see {@link Action}). */
    public static byte sendByte(long mr, int i) {
        return (byte) (mr + i);
    }

    void deliver(int from, int to, long info, long badge, int kind, int through) {
        int length = (int) (info & 0x7F);
        MTask r = tasks.get(to);
        List<Long> regs = new ArrayList<>(r.mr());
        for (int i = 0; i < length; i++) {
            regs.set(i, tasks.get(from).mr().get(i));
        }
        int arrived = capability.transfer(from, to, capCount(info), through);
        long shown = (info & ~(7L << 8)) | ((long) arrived << 8) | ((long) kind << 13);
        tasks.set(to, new MTask(r.state(), r.blockedOn(), r.isCall(), r.sendInfo(), r.sendBadge(), List.copyOf(regs),
                r.status(), shown, badge, r.count(), r.ciBadge(), r.ciLabel(), r.ciSend(), r.ciRecv(),
                r.holds(), r.call(), r.recvArea(), r.scratch()));
    }


    private void block(int t, State s, int ep, boolean isCall, long info, long badge) {
        MTask me = tasks.get(t);
        tasks.set(t, new MTask(s, ep, isCall, info, badge, me.mr(), me.status(), me.info(), me.badge(), me.count(),
                me.ciBadge(), me.ciLabel(), me.ciSend(), me.ciRecv(), me.holds(), me.call(), me.recvArea(), me.scratch()));
        Queue q = eps.get(ep);
        List<Integer> waiting = new ArrayList<>(q.waiting());
        waiting.add(t);
        eps.set(ep, new Queue(s == State.BLOCKED_ON_SEND ? Kind.SENDERS : Kind.RECEIVERS, List.copyOf(waiting)));
    }

    int popHead(int ep) {
        Queue q = eps.get(ep);
        List<Integer> rest = q.waiting().subList(1, q.waiting().size());
        eps.set(ep, rest.isEmpty() ? Queue.IDLE : new Queue(q.kind(), List.copyOf(rest)));
        return q.waiting().get(0);
    }

    /** {@code t}'s blocked syscall completes with {@code s}; its deadline, if it had one, is gone. */
    void wake(int t, Status s) {
        tasks.set(t, plain(tasks.get(t)).with(State.RUNNING, -1));
        deadlines.set(t, Model.NEVER);
        setStatus(t, s);
    }

    /** The task with its queued-send fields cleared. */
    private static MTask plain(MTask m) {
        return new MTask(m.state(), m.blockedOn(), false, m.sendInfo(), m.sendBadge(), m.mr(), m.status(), m.info(), m.badge(),
                m.count(), m.ciBadge(), m.ciLabel(), m.ciSend(), m.ciRecv(), m.holds(), m.call(), m.recvArea(), m.scratch());
    }

    /** {@code server} now holds {@code caller}'s context, received through endpoint {@code ep}. */
    private void hold(int server, int caller, int ep) {
        MTask s = tasks.get(server);
        tasks.set(server, copy(s, caller, s.call()));
        contextGrant(server, xfer.get(server).receiveGrant());
        MTask c = tasks.get(caller);
        CallCtx call = c.call();
        tasks.set(caller, copy(c, c.holds(), new CallCtx(call.badge(), call.label(), call.send(), call.recvSize(), ep)));
    }

    /** Whether the context {@code t} holds came through a capability with GRANT. */
    void contextGrant(int t, boolean grant) {
        Model.Xfer x = xfer.get(t);
        xfer.set(t, x.withContextGrant(grant));
    }

    void setStatus(int t, Status st) {
        MTask m = tasks.get(t);
        tasks.set(t, new MTask(m.state(), m.blockedOn(), m.isCall(), m.sendInfo(), m.sendBadge(), m.mr(), st, m.info(),
                m.badge(), m.count(), m.ciBadge(), m.ciLabel(), m.ciSend(), m.ciRecv(), m.holds(), m.call(), m.recvArea(),
                m.scratch()));
    }

    static MTask copy(MTask m, int holds, CallCtx call) {
        return new MTask(m.state(), m.blockedOn(), m.isCall(), m.sendInfo(), m.sendBadge(), m.mr(), m.status(), m.info(),
                m.badge(), m.count(), m.ciBadge(), m.ciLabel(), m.ciSend(), m.ciRecv(), holds, call, m.recvArea(), m.scratch());
    }

    static MTask withMemory(MTask m, long count, List<Byte> recvArea, List<Byte> scratch) {
        return new MTask(m.state(), m.blockedOn(), m.isCall(), m.sendInfo(), m.sendBadge(), m.mr(), m.status(), m.info(),
                m.badge(), count, m.ciBadge(), m.ciLabel(), m.ciSend(), m.ciRecv(), m.holds(), m.call(), recvArea, scratch);
    }
}
