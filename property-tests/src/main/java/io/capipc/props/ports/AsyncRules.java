package io.capipc.props.ports;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The reference model of async ports (docs/semantics.md §5.5, §2's rules for deletion, revocation,
 * CancelBadgedSends and destruction), written from the docs over plain values: a port is a list of
 * entries and a free stack; a queued message is an agent in an endpoint's queue, a task or an entry,
 * as the docs' "each entry is carried by a task of the kernel's own" says, so an entry's message meets
 * everything a queued Send or a taken Call meets. Nothing here is shared with kernel-model.
 *
 * <p>Objects: 0 the endpoint, 1 and 2 the reply endpoints, {@code 10 + p} port {@code p}. Agents:
 * tasks {@code 0..4}, and entry {@code i} of port {@code p} as {@code 1000 + 100 p + i}.
 */
final class AsyncRules {
    static final int CANCELLED = -2;
    static final int NONE = -1;
    private static final int PORT_BASE = 10;
    /** docs/semantics.md §5.5: entry i's capabilities in flight are in its port's slots 2 + 4i onwards. */
    static final int FIRST_IN_FLIGHT = 2;
    static final int PER_ENTRY = 4;

    enum State { RUNNING, BLOCKED_ON_SEND, BLOCKED_ON_RECEIVE, BLOCKED_ON_REPLY, DEAD }

    enum Phase { FREE, SENDING, CALLING, REPLYING }

    /** A slot: space 0 is the world's; space {@code 1 + p} is port p's own (slot 0 its endpoint, 1 its reply endpoint). */
    record Node(int space, int slot) {}

    /** A capability: object, rights, badge, parent (null: an original), and its place among its siblings (larger: nearer the front). */
    record Cap(int obj, int rights, long badge, @Nullable Node parent, long born) {}

    /** A task or an entry's carrier: what it waits on, what it sends, what it last received. */
    static final class Agent {
        State state = State.RUNNING;
        int blockedOn = NONE;
        long sendInfo;
        long sendBadge;
        boolean isCall;
        @Nullable Node via;
        long mr0;
        long mr1;
        Status status = Status.OK;
        long info;
        long badge;
        int holds = NONE;
        long tag;
        long lost;
    }

    static final class Entry {
        Phase phase = Phase.FREE;
        long tag;
        boolean delivered;
        /** How many capabilities the entry's message carries (the generator sends at most two), and which are moved. */
        int carries;
        final boolean[] moves = new boolean[PER_ENTRY];
    }

    static final class Port {
        final List<Entry> entries = new ArrayList<>();
        final Deque<Integer> free = new ArrayDeque<>();
        long lastTag;
        long lost;
        boolean revoked;
        boolean destroyed;
    }

    static final class Ep {
        /** SENDERS, RECEIVERS or IDLE, as the kernel's queue state names it. */
        String kind = "IDLE";
        final List<Integer> queue = new ArrayList<>();
        boolean destroyed;
    }

    final Map<Node, Cap> caps = new HashMap<>();
    /** Capabilities whose Delete is under way: what that deletion does may delete them again (§2). */
    private final Set<Node> dying = new HashSet<>();
    final List<Agent> tasks = new ArrayList<>();
    final Map<Integer, Agent> carriers = new HashMap<>();
    final List<Port> ports = new ArrayList<>();
    final List<Ep> eps = List.of(new Ep(), new Ep(), new Ep());
    private long births;

    AsyncRules() {
        for (int t = 0; t < PortWorld.TASKS; t++) {
            tasks.add(new Agent());
        }
        original(new Node(0, PortWorld.ENDPOINT), 0, Rights.ALL, 0);
        original(new Node(0, PortWorld.REPLY_SLOTS[0]), 1, Rights.ALL, 0);
        original(new Node(0, PortWorld.REPLY_SLOTS[1]), 2, Rights.ALL, 0);
        derive(new Node(0, PortWorld.ENDPOINT), new Node(0, PortWorld.CLIENT_EP), Rights.ALL, PortWorld.CLIENT_BADGE);
        derive(new Node(0, PortWorld.ENDPOINT), new Node(0, PortWorld.SYNC), Rights.WRITE, PortWorld.SYNC_BADGE);
    }

    static int carrier(int port, int index) {
        return 1000 + 100 * port + index;
    }

    static boolean isCarrier(int who) {
        return who >= 1000;
    }

    private Agent agent(int who) {
        return isCarrier(who) ? Objects.requireNonNull(carriers.get(who)) : tasks.get(who);
    }

    /** The capability in {@code n}, which must be there. */
    private Cap at(Node n) {
        return Objects.requireNonNull(caps.get(n), n.toString());
    }

    private Entry entry(int who) {
        return ports.get((who - 1000) / 100).entries.get((who - 1000) % 100);
    }

    private Port portOf(int who) {
        return ports.get((who - 1000) / 100);
    }

    private void original(Node n, int obj, int rights, long badge) {
        caps.put(n, new Cap(obj, rights, badge, null, ++births));
    }

    private void derive(Node from, Node to, int rights, long badge) {
        Cap src = at(from);
        caps.put(to, new Cap(src.obj(), rights & src.rights(), badge, from, ++births));
    }

    @Nullable Cap cap(int slot) {
        return caps.get(new Node(0, slot));
    }

    static boolean isEndpoint(Cap c) {
        return c.obj() < PORT_BASE;
    }

    static boolean inRange(int slot) {
        return slot >= 0 && slot < PortWorld.SLOTS;
    }

    /** The port a slot's capability names, or -1. */
    int portIn(int slot) {
        Cap c = cap(slot);
        return c == null || c.obj() < PORT_BASE ? -1 : c.obj() - PORT_BASE;
    }

    // ---- syscalls; each returns its status, or null if the task blocked

    void setRegisters(int t, long mr) {
        tasks.get(t).mr0 = mr * 100;
        tasks.get(t).mr1 = mr * 100 + 1;
    }

    Status bind(int t, int ep, int replySlot, int capacity, int dst) {
        if (capacity < 1 || capacity > io.capipc.api.Syscalls.MAX_PORT_CAPACITY || !inRange(ep) || !inRange(replySlot)
                || !inRange(dst)) {
            return Status.INVALID_ARGUMENT; // the arguments' ranges first: capacity, then each slot
        }
        Cap e = cap(ep);
        Cap r = cap(replySlot);
        if (e == null || r == null || !isEndpoint(e) || !isEndpoint(r)) {
            return Status.INVALID_CAPABILITY;
        }
        if ((e.rights() & Rights.WRITE) == 0 || (r.rights() & Rights.READ) == 0) {
            return Status.INSUFFICIENT_RIGHTS;
        }
        if (cap(dst) != null) {
            return Status.SLOT_OCCUPIED;
        }
        int p = ports.size();
        Port port = new Port();
        for (int i = 0; i < capacity; i++) {
            port.entries.add(new Entry());
            port.free.addLast(i);
            Agent a = new Agent();
            carriers.put(carrier(p, i), a);
        }
        ports.add(port);
        derive(new Node(0, ep), new Node(1 + p, 0), e.rights(), e.badge());
        derive(new Node(0, replySlot), new Node(1 + p, 1), r.rights(), r.badge());
        original(new Node(0, dst), PORT_BASE + p, Rights.ALL, 0);
        return Status.OK;
    }

    /** A port that takes no more: it lost a message, or its endpoint capability went. */
    boolean revoked(int p) {
        return ports.get(p).revoked || !caps.containsKey(new Node(1 + p, 0));
    }

    /**
     * AsyncSend or AsyncCall through the port in {@code slot}, carrying the capability in
     * {@code capSlot} (NONE: none), moved or copied into the entry's first slot in flight, and the one
     * in {@code capSlot2} (NONE: none), copied into its second.
     */
    @Nullable Status asyncSend(int t, int slot, long info, boolean call, int capSlot, boolean move, int capSlot2) {
        boolean ranges = (capSlot == NONE || inRange(capSlot)) && (capSlot2 == NONE || inRange(capSlot2));
        if (!io.capipc.api.MessageInfo.isSendable(info) || !ranges || !inRange(slot)) {
            return Status.INVALID_ARGUMENT; // the word, the transferred slots' ranges, the port's slot's range
        }
        int p = portIn(slot);
        if (p < 0 || (capSlot != NONE && cap(capSlot) == null) || (capSlot2 != NONE && cap(capSlot2) == null)) {
            return Status.INVALID_CAPABILITY;
        }
        Port port = ports.get(p);
        Cap through = caps.get(new Node(1 + p, 0));
        if (capSlot != NONE && through != null && (through.rights() & Rights.GRANT) == 0) {
            return Status.INSUFFICIENT_RIGHTS;
        }
        if (revoked(p) || (call && !caps.containsKey(new Node(1 + p, 1)))) {
            tasks.get(t).lost = port.lost;
            return Status.REVOKED;
        }
        if (port.free.isEmpty()) {
            return Status.WOULD_BLOCK;
        }
        int i = port.free.pop();
        Entry en = port.entries.get(i);
        en.phase = call ? Phase.CALLING : Phase.SENDING;
        int who = carrier(p, i);
        Agent c = agent(who);
        int len = MessageInfo.length(info);
        if (len > 0) {
            c.mr0 = tasks.get(t).mr0;
        }
        if (len > 1) {
            c.mr1 = tasks.get(t).mr1;
        }
        int[] from = {capSlot, capSlot2};
        en.carries = capSlot == NONE ? 0 : capSlot2 == NONE ? 1 : 2;
        for (int k = 0; k < en.carries; k++) {
            en.moves[k] = k == 0 && move;
            Node src = new Node(0, from[k]);
            Node dst = new Node(inFlight(who).space(), inFlight(who).slot() + k);
            if (en.moves[k]) {
                moveNode(src, dst);
            } else {
                derive(src, dst, Rights.ALL, at(src).badge());
            }
        }
        Node via = new Node(1 + p, 0);
        if (call) {
            en.tag = ++port.lastTag;
            tasks.get(t).tag = en.tag;
        }
        carrierSend(who, via, info, call, at(via).badge());
        return Status.OK;
    }

    @Nullable Status portCall(int t, int slot, long info) {
        int p = portIn(slot);
        if (p < 0) {
            return Status.INVALID_CAPABILITY;
        }
        if (revoked(p)) {
            return Status.REVOKED;
        }
        Node via = new Node(1 + p, 0);
        Cap c = at(via);
        Ep ep = eps.get(c.obj());
        if (ep.kind.equals("RECEIVERS")) {
            int r = popHead(c.obj());
            deliver(t, r, info, c.badge(), Kind.CALL, c.obj());
            tasks.get(t).state = State.BLOCKED_ON_REPLY;
            tasks.get(t).blockedOn = NONE;
            agent(r).holds = t;
            complete(r, Status.OK);
            return null;
        }
        block(t, c.obj(), info, c.badge(), true, via);
        return null;
    }

    @Nullable Status send(int t, int slot, long info, boolean blocking) {
        Cap c = cap(slot);
        if (c == null || !isEndpoint(c)) {
            return Status.INVALID_CAPABILITY;
        }
        Ep ep = eps.get(c.obj());
        if (ep.kind.equals("RECEIVERS")) {
            int r = popHead(c.obj());
            deliver(t, r, info, c.badge(), Kind.SEND, c.obj());
            complete(r, Status.OK);
            return Status.OK;
        }
        if (!blocking) {
            return Status.WOULD_BLOCK;
        }
        block(t, c.obj(), info, c.badge(), false, new Node(0, slot));
        return null;
    }

    @Nullable Status recv(int t, int slot, boolean blocking) {
        Cap c = cap(slot);
        if (c == null || !isEndpoint(c)) {
            return Status.INVALID_CAPABILITY;
        }
        Ep ep = eps.get(c.obj());
        if (!blocking && !ep.kind.equals("SENDERS")) {
            return Status.WOULD_BLOCK;
        }
        release(t, Status.NO_REPLY);
        if (!ep.kind.equals("SENDERS")) {
            Agent me = tasks.get(t);
            me.state = State.BLOCKED_ON_RECEIVE;
            me.blockedOn = c.obj();
            enqueue(c.obj(), t, "RECEIVERS");
            return null;
        }
        int s = popHead(c.obj());
        Agent sender = agent(s);
        deliver(s, t, sender.sendInfo, sender.sendBadge, kindOf(s, sender.isCall), c.obj());
        if (sender.isCall) {
            sender.state = State.BLOCKED_ON_REPLY;
            sender.blockedOn = NONE;
            tasks.get(t).holds = s;
            clearInFlight(s);
        } else {
            complete(s, Status.OK);
        }
        return Status.OK;
    }

    /**
     * CallerInfo: OK while the task holds a context (its badge and label are those of the message
     * that brought it, {@link #callerBadge}, {@link #callerLabel}); CANCELLED once its caller gave up
     * or died; NO_CALLER with none.
     */
    Status callerInfo(int t) {
        int caller = tasks.get(t).holds;
        return caller >= 0 ? Status.OK : caller == CANCELLED ? Status.CANCELLED : Status.NO_CALLER;
    }

    /** The badge CallerInfo reports to {@code t}, which holds a context: the one its message came with. */
    long callerBadge(int t) {
        return tasks.get(t).badge;
    }

    /** The label CallerInfo reports to {@code t}: its message's. */
    int callerLabel(int t) {
        return MessageInfo.label(tasks.get(t).info);
    }

    Status reply(int t, long info) {
        Agent me = tasks.get(t);
        int caller = me.holds;
        me.holds = NONE;
        if (caller >= 0) {
            deliver(t, caller, info, 0, Kind.REPLY, NONE);
            complete(caller, Status.OK);
        }
        return Status.OK;
    }

    Status exit(int t) {
        release(t, Status.PEER_DIED);
        tasks.get(t).state = State.DEAD;
        return Status.OK;
    }

    Status portInfo(int t, int slot) {
        int p = portIn(slot);
        if (p < 0) {
            return Status.INVALID_CAPABILITY;
        }
        tasks.get(t).lost = ports.get(p).lost;
        return Status.OK;
    }

    Status copy(int src, int dst) {
        Cap s = cap(src);
        if (s == null) {
            return Status.INVALID_CAPABILITY;
        }
        if (cap(dst) != null) {
            return Status.SLOT_OCCUPIED;
        }
        derive(new Node(0, src), new Node(0, dst), Rights.ALL, s.badge());
        return Status.OK;
    }

    /** Mint of an unbadged source (the only kind generated): Copy that sets the badge. */
    Status mint(int src, int dst, int rights, long badge) {
        Cap s = cap(src);
        if (s == null) {
            return Status.INVALID_CAPABILITY;
        }
        if (cap(dst) != null) {
            return Status.SLOT_OCCUPIED;
        }
        if (badge != 0 && s.badge() != 0) {
            return Status.INVALID_ARGUMENT;
        }
        derive(new Node(0, src), new Node(0, dst), rights, badge == 0 ? s.badge() : badge);
        return Status.OK;
    }

    Status delete(int slot) {
        deleteNode(new Node(0, slot));
        return Status.OK;
    }

    /** Deletes every descendant, leaves first, newest child first (docs/semantics.md §2, the order of deletions). */
    Status revoke(int slot) {
        Node root = new Node(0, slot);
        for (Node leaf = firstChild(root); leaf != null; leaf = firstChild(root)) {
            for (Node c = firstChild(leaf); c != null; c = firstChild(c)) {
                leaf = c;
            }
            deleteNode(leaf);
        }
        return Status.OK;
    }

    Status cancelBadgedSends(int slot) {
        Cap c = cap(slot);
        if (c == null || !isEndpoint(c)) {
            return Status.INVALID_CAPABILITY;
        }
        if (c.rights() != Rights.ALL) {
            return Status.INSUFFICIENT_RIGHTS;
        }
        if (c.badge() == 0) {
            return Status.INVALID_ARGUMENT;
        }
        releaseSenders(c.obj(), null, c.badge());
        return Status.OK;
    }

    // ---- capabilities

    private List<Node> children(Node n) {
        List<Node> out = new ArrayList<>();
        for (Map.Entry<Node, Cap> e : caps.entrySet()) {
            if (n.equals(e.getValue().parent())) {
                out.add(e.getKey());
            }
        }
        out.sort(Comparator.comparingLong((Node x) -> at(x).born()).reversed());
        return out;
    }

    private @Nullable Node firstChild(Node n) {
        List<Node> c = children(n);
        return c.isEmpty() ? null : c.get(0);
    }

    /** Delete: queued senders through it are released; its children go up to its parent, in front, in order; a last capability destroys its object. */
    void deleteNode(Node n) {
        Cap c = caps.get(n);
        if (c == null) {
            return;
        }
        if (!dying.add(n)) {
            if (children(n).isEmpty()) {
                detach(n); // deleted again by what its own deletion does: the first Delete finishes it
            }
            return;
        }
        if (c.obj() < PORT_BASE) {
            releaseSenders(c.obj(), n, 0);
        }
        dying.remove(n);
        detach(n);
        caps.remove(n);
        boolean last = caps.values().stream().noneMatch(x -> x.obj() == c.obj());
        if (last) {
            destroyed(c.obj());
        }
    }

    /** {@code n} leaves the tree: its children go up to its parent, in front, in order (or become originals). */
    private void detach(Node n) {
        Cap c = at(n);
        List<Node> kids = children(n);
        for (int i = kids.size() - 1; i >= 0; i--) {
            Cap k = at(kids.get(i));
            caps.put(kids.get(i), new Cap(k.obj(), k.rights(), k.badge(), c.parent(), ++births));
        }
        caps.put(n, new Cap(c.obj(), c.rights(), c.badge(), null, c.born()));
    }

    /** Move: the capability goes to {@code to} keeping its place in the tree; its children follow it. */
    private void moveNode(Node from, Node to) {
        Cap c = at(from);
        caps.remove(from);
        caps.put(to, c);
        for (Node k : children(from)) {
            Cap kc = at(k);
            caps.put(k, new Cap(kc.obj(), kc.rights(), kc.badge(), to, kc.born()));
        }
    }

    /** The first slot of {@code who}'s entry's capabilities in flight. */
    private static Node inFlight(int who) {
        int p = (who - 1000) / 100;
        return new Node(1 + p, FIRST_IN_FLIGHT + PER_ENTRY * ((who - 1000) % 100));
    }

    /** The entry's capabilities in flight are deleted (this may destroy its port). */
    private void clearInFlight(int who) {
        Node first = inFlight(who);
        for (int k = 0; k < PER_ENTRY; k++) {
            deleteNode(new Node(first.space(), first.slot() + k));
        }
    }

    private void destroyed(int obj) {
        if (obj < PORT_BASE) {
            Ep ep = eps.get(obj);
            ep.destroyed = true;
            while (!ep.queue.isEmpty()) {
                int who = popHead(obj);
                complete(who, Status.REVOKED);
            }
            return;
        }
        int p = obj - PORT_BASE;
        Port port = ports.get(p);
        port.destroyed = true;
        for (int i = 0; i < port.entries.size(); i++) {
            if (port.entries.get(i).phase != Phase.FREE) {
                leaveWaiting(carrier(p, i));
            }
        }
        for (int i = 0; i < port.entries.size(); i++) {
            Entry en = port.entries.get(i);
            int who = carrier(p, i);
            Agent c = agent(who);
            if (en.phase != Phase.FREE) {
                clearInFlight(who);
                releaseEntry(who);
            }
            c.state = State.DEAD;
            c.blockedOn = NONE;
        }
        deleteNode(new Node(1 + p, 0));
        deleteNode(new Node(1 + p, 1));
    }

    /** A blocked agent leaves whatever it waits in; a taken call leaves its holder a cancelled context. */
    private void leaveWaiting(int who) {
        Agent a = agent(who);
        if (a.state == State.BLOCKED_ON_SEND || a.state == State.BLOCKED_ON_RECEIVE) {
            remove(a.blockedOn, who);
        } else if (a.state == State.BLOCKED_ON_REPLY) {
            for (Agent t : tasks) {
                if (t.holds == who) {
                    t.holds = CANCELLED;
                }
            }
        }
    }

    /** Releases with REVOKED the senders queued on {@code obj} through {@code via}, or if it is null, with {@code badge}. */
    private void releaseSenders(int obj, @Nullable Node via, long badge) {
        Ep ep = eps.get(obj);
        if (!ep.kind.equals("SENDERS")) {
            return;
        }
        for (int who : List.copyOf(ep.queue)) {
            Agent a = agent(who);
            if (a.state == State.BLOCKED_ON_SEND && ep.queue.contains(who)
                    && (via != null ? via.equals(a.via) : a.sendBadge == badge)) {
                remove(obj, who);
                complete(who, Status.REVOKED);
            }
        }
    }

    // ---- delivery

    private static Kind kindOf(int who, boolean call) {
        return call ? Kind.CALL : Kind.SEND;
    }

    private Kind kindOfCarrier(int who, boolean call) {
        return entry(who).phase == Phase.REPLYING ? Kind.REPLY : kindOf(who, call);
    }

    /**
     * A message from {@code from} arrives at {@code to} through endpoint {@code through} (NONE: a
     * reply). Nobody here names receive slots, so a capability arrives only unwrapped: a copy naming
     * the endpoint it arrives on, still in flight (its badge is reported, §3).
     */
    private void deliver(int from, int to, long info, long badge, Kind kind, int through) {
        Agent f = agent(from);
        Agent r = agent(to);
        int len = MessageInfo.length(info);
        if (len > 0) {
            r.mr0 = f.mr0;
        }
        if (len > 1) {
            r.mr1 = f.mr1;
        }
        long word = MessageInfo.withKind(info, isCarrier(from) ? kindOfCarrier(from, kind == Kind.CALL) : kind);
        int arrived = 0;
        if (isCarrier(from)) {
            Entry en = entry(from);
            // In order, each unwrapped if it names the endpoint it arrives on; the first that is not (it
            // would need a receive slot, and nobody names one), or that is gone, ends the transfer (§5.1).
            for (int k = 0; k < en.carries && k < MessageInfo.caps(info); k++) {
                Cap c = caps.get(new Node(inFlight(from).space(), inFlight(from).slot() + k));
                if (c == null || en.moves[k] || c.obj() != through) {
                    break;
                }
                arrived++;
            }
            en.delivered = true;
            word = MessageInfo.withAsync(word);
        }
        word = MessageInfo.withCaps(word, arrived);
        r.info = word;
        r.badge = badge;
    }

    /** An entry's carrier sends through {@code via}: to the oldest waiting receiver, or queued. */
    private void carrierSend(int who, Node via, long info, boolean call, long badge) {
        int obj = at(via).obj();
        Ep ep = eps.get(obj);
        if (!ep.kind.equals("RECEIVERS")) {
            block(who, obj, info, badge, call, via);
            return;
        }
        int r = popHead(obj);
        deliver(who, r, info, badge, call ? Kind.CALL : Kind.SEND, obj);
        if (call) {
            Agent c = agent(who);
            c.state = State.BLOCKED_ON_REPLY;
            c.blockedOn = NONE;
            agent(r).holds = who;
            clearInFlight(who);
        }
        complete(r, Status.OK);
        if (!call) {
            finish(who);
        }
    }

    /** A blocked syscall of {@code who} ends with {@code s}; an entry's carrier hands the result to its port. */
    void complete(int who, Status s) {
        Agent a = agent(who);
        a.state = State.RUNNING;
        a.blockedOn = NONE;
        a.status = s;
        if (!isCarrier(who)) {
            return;
        }
        Entry en = entry(who);
        if (s == Status.REVOKED && !en.delivered && en.phase != Phase.REPLYING) {
            Port port = portOf(who);
            port.lost++;
            port.revoked = true;
        }
        switch (en.phase) {
            case SENDING, REPLYING -> finish(who);
            case CALLING -> answer(who, s);
            case FREE -> throw new AssertionError(who + " completed while free");
        }
    }

    /** An AsyncCall ended: its reply, or the error, goes to the port's reply endpoint with the tag. */
    private void answer(int who, Status s) {
        Entry en = entry(who);
        en.phase = Phase.REPLYING;
        if (s != Status.OK) {
            clearInFlight(who); // an error carries nothing; this may end the port, freeing the entry
            if (en.phase == Phase.FREE) {
                return;
            }
        }
        int p = (who - 1000) / 100;
        Node via = new Node(1 + p, 1);
        Cap r = caps.get(via);
        if (r == null || eps.get(r.obj()).destroyed) {
            finish(who);
            return;
        }
        Agent c = agent(who);
        long info = s == Status.OK ? c.info
                : MessageInfo.withSystem(MessageInfo.pack(s.ordinal(), 0, 0, false));
        carrierSend(who, via, MessageInfo.withKind(info, Kind.NONE), false, en.tag);
    }

    /** The entry is done: it is free, then what it still had in flight is deleted. */
    private void finish(int who) {
        releaseEntry(who);
        clearInFlight(who);
    }

    private void releaseEntry(int who) {
        Entry en = entry(who);
        en.phase = Phase.FREE;
        en.tag = 0;
        en.delivered = false;
        en.carries = 0;
        portOf(who).free.push((who - 1000) % 100);
    }

    /** Drops {@code t}'s current context: its caller's call ends with {@code why}. */
    private void release(int t, Status why) {
        Agent me = tasks.get(t);
        int caller = me.holds;
        me.holds = NONE;
        if (caller >= 0) {
            complete(caller, why);
        }
    }

    // ---- queues

    private void block(int who, int obj, long info, long badge, boolean call, Node via) {
        Agent a = agent(who);
        a.state = State.BLOCKED_ON_SEND;
        a.blockedOn = obj;
        a.sendInfo = info;
        a.sendBadge = badge;
        a.isCall = call;
        a.via = via;
        enqueue(obj, who, "SENDERS");
    }

    private void enqueue(int obj, int who, String kind) {
        Ep ep = eps.get(obj);
        ep.kind = kind;
        ep.queue.add(who);
    }

    private int popHead(int obj) {
        Ep ep = eps.get(obj);
        int who = ep.queue.remove(0);
        if (ep.queue.isEmpty()) {
            ep.kind = "IDLE";
        }
        return who;
    }

    private void remove(int obj, int who) {
        Ep ep = eps.get(obj);
        ep.queue.remove(Integer.valueOf(who));
        if (ep.queue.isEmpty()) {
            ep.kind = "IDLE";
        }
    }
}
