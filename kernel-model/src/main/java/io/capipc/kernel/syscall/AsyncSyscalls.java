package io.capipc.kernel.syscall;

import static io.capipc.kernel.bugs.InjectedBug.ASYNC_ERROR_LOST;
import static io.capipc.kernel.bugs.InjectedBug.ASYNC_LOSS_GAP;
import static io.capipc.kernel.bugs.InjectedBug.ASYNC_SECOND_REPLY;
import static io.capipc.kernel.bugs.InjectedBug.ASYNC_SEND_BLOCKS;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.cap.CSpace;
import io.capipc.cap.Derivation;
import io.capipc.cap.Slot;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.QueueState;
import io.capipc.kernel.ipc.Delivery;
import io.capipc.kernel.object.AsyncPort;
import io.capipc.kernel.object.Courier;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.state.Registry;

/**
 * The async port syscalls (docs/semantics.md §5.5): Bind, AsyncSend, AsyncCall and PortInfo, and
 * what happens when an entry's carrier finishes a send ({@link #completed}).
 *
 * <p>An entry's message is read once, at the syscall, into the entry: its registers into the
 * carrier's, its capabilities as children of the sender's into the entry's slots (in flight:
 * Revoke finds them there). Then the carrier sends it exactly as a task would: to a waiting receiver
 * at once, or queued among the synchronous senders. When the carrier's send completes, the port
 * takes the result: a delivered AsyncSend frees its entry; an AsyncCall's reply, or the error that
 * ends it (PEER_DIED, NO_REPLY, or REVOKED if it was dropped before delivery), goes to the reply
 * endpoint with the call's tag, and the entry is freed when the client receives that. A message
 * dropped before delivery is counted and revokes the port, so a port's losses are always the last
 * of what it sent (docs/semantics.md guarantee 7).
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock and {@code t} is RUNNING.
 */
public final class AsyncSyscalls implements Wakeups.CarrierSink {
    private final Registry registry;
    private final Wakeups wakeups;
    private final Delivery delivery;
    private final MessageSyscalls messages;
    private final Expiry expiry;
    private final CapabilityEvents events;
    private final InjectedBugs bugs;

    public AsyncSyscalls(Registry registry, Wakeups wakeups, Delivery delivery, MessageSyscalls messages, Expiry expiry,
                         CapabilityEvents events, InjectedBugs bugs) {
        this.bugs = bugs;
        this.registry = registry;
        this.wakeups = wakeups;
        this.delivery = delivery;
        this.messages = messages;
        this.expiry = expiry;
        this.events = events;
        wakeups.carriers(this);
        events.ports(this);
    }

    /** Bind: checks in docs/semantics.md §7's order, then makes the port and its entries. */
    public Status bind(Task t, int endpoint, int replyEndpoint, int capacity, int dst) {
        CSpace cs = t.space().cspace();
        Reason r = capacity < 1 || capacity > Syscalls.MAX_PORT_CAPACITY ? Reason.CAPACITY_OUT_OF_RANGE : Reason.NONE;
        if (r == Reason.NONE) {
            r = Decode.slot(cs, endpoint);
        }
        if (r == Reason.NONE && !cs.inRange(replyEndpoint)) {
            r = Reason.REPLY_ENDPOINT_OUT_OF_RANGE;
        }
        if (r == Reason.NONE && !cs.inRange(dst)) {
            r = Reason.DESTINATION_OUT_OF_RANGE;
        }
        if (r == Reason.NONE) {
            r = Decode.object(t, endpoint, ObjectType.ENDPOINT);
        }
        if (r == Reason.NONE && !(cs.slot(replyEndpoint).object() instanceof Endpoint)) {
            r = Reason.REPLY_NOT_AN_ENDPOINT;
        }
        if (r == Reason.NONE) {
            r = Decode.rights(t, Rights.WRITE);
        }
        if (r == Reason.NONE && !Rights.has(cs.slot(replyEndpoint).rights(), Rights.READ)) {
            r = Reason.REPLY_NEEDS_READ;
        }
        if (r == Reason.NONE && !cs.slot(dst).isEmpty()) {
            r = Reason.DESTINATION_OCCUPIED;
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        AsyncPort port = registry.addAsyncPort(capacity);
        copyInto(t.decodedSlot(), port.endpointSlot());
        copyInto(cs.slot(replyEndpoint), port.replySlot());
        Derivation.installOriginal(cs.slot(dst), port, Rights.ALL, 0);
        for (Courier c : port.entries()) {
            c.carrier().start();
        }
        return t.ipc().complete(Status.OK);
    }

    /** AsyncSend: the message takes a free entry and goes; never blocks. */
    public Status asyncSend(Task t, int cap, long info) {
        Reason r = checks(t, cap, info, false, bugs);
        if (r == Reason.PORT_FULL && bugs.on(ASYNC_SEND_BLOCKS)) { return InjectedBugs.blockOnPort(t, (AsyncPort) t.decodedSlot().object(), info, (ep, u) -> messages.queue(ep, u, QueueState.SENDERS)); }
        if (r != Reason.NONE) {
            return refuse(t, r);
        }
        AsyncPort port = (AsyncPort) t.decodedSlot().object();
        Courier c = load(t, port, info, Courier.Phase.SENDING);
        send(c, port.endpointSlot(), info, false, port.endpointSlot().badge());
        return t.ipc().complete(Status.OK);
    }

    /** AsyncCall: as AsyncSend, the receiver gets a Call, and the tag is left in the IPC buffer. */
    public Status asyncCall(Task t, int cap, long info) {
        Reason r = checks(t, cap, info, true, bugs);
        if (r != Reason.NONE) {
            return refuse(t, r);
        }
        AsyncPort port = (AsyncPort) t.decodedSlot().object();
        Courier c = load(t, port, info, Courier.Phase.CALLING);
        c.tag(port.nextTag());
        t.ipc().tag(c.tag());
        c.carrier().ownContext().begin(port.endpointSlot().badge(), MessageInfo.label(info));
        send(c, port.endpointSlot(), info, true, port.endpointSlot().badge());
        return t.ipc().complete(Status.OK);
    }

    /** PortInfo: how many messages the port lost. */
    public Status portInfo(Task t, int cap) {
        Reason r = Decode.slot(t.space().cspace(), cap);
        if (r == Reason.NONE) {
            r = Decode.object(t, cap, ObjectType.ASYNC_PORT);
        }
        if (r == Reason.NONE) {
            r = Decode.rights(t, Rights.READ);
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        t.ipc().lost(((AsyncPort) t.decodedSlot().object()).lost());
        return t.ipc().complete(Status.OK);
    }

    /**
     * AsyncSend's and AsyncCall's checks, in docs/semantics.md §7's order: the word and the slots it
     * transfers; the port, then each transferred capability; WRITE, and GRANT (on the port's
     * endpoint capability) if capabilities go; then the port's state: REVOKED, then WOULD_BLOCK.
     */
    private static Reason checks(Task t, int cap, long info, boolean call, InjectedBugs bugs) {
        t.latchSendCaps(info);
        Reason r = Decode.sendable(info);
        if (r == Reason.NONE) {
            r = Decode.transferRanges(t, info);
        }
        if (r == Reason.NONE) {
            r = Decode.slot(t.space().cspace(), cap);
        }
        if (r == Reason.NONE) {
            r = Decode.object(t, cap, ObjectType.ASYNC_PORT);
        }
        if (r == Reason.NONE) {
            r = Decode.transferLookups(t, info);
        }
        if (r == Reason.NONE) {
            r = Decode.rights(t, Rights.WRITE);
        }
        if (r != Reason.NONE) {
            return r;
        }
        AsyncPort port = (AsyncPort) t.decodedSlot().object();
        if (MessageInfo.caps(info) > 0 && !Rights.has(port.endpointSlot().rights(), Rights.GRANT)) {
            return port.endpointSlot().isEmpty() ? Reason.PORT_REVOKED : Reason.NEEDS_GRANT;
        }
        if ((bugs.on(ASYNC_LOSS_GAP) ? port.endpointSlot().isEmpty() : isRevoked(port)) || (call && port.replySlot().isEmpty())) {
            return Reason.PORT_REVOKED;
        }
        return port.hasFree() ? Reason.NONE : Reason.PORT_FULL;
    }

    /** True once the port takes no more: it lost a message, or its endpoint capability went. */
    static boolean isRevoked(AsyncPort port) {
        return port.isRevoked() || port.endpointSlot().isEmpty();
    }

    /** A refusal; a REVOKED one also says how many messages the port lost. */
    private static Status refuse(Task t, Reason r) {
        if (r == Reason.PORT_REVOKED) {
            t.ipc().lost(((AsyncPort) t.decodedSlot().object()).lost());
        }
        return t.ipc().refuse(r);
    }

    /** Takes a free entry and reads the message into it, once: registers, then capabilities in flight. */
    private Courier load(Task t, AsyncPort port, long info, Courier.Phase phase) {
        Courier c = port.take();
        c.phase(phase);
        Task carrier = c.carrier();
        carrier.ipc().copyFrom(t.ipc(), MessageInfo.length(info));
        CSpace src = t.space().cspace();
        CSpace own = port.space().cspace();
        int caps = MessageInfo.caps(info);
        int moves = 0;
        for (int i = 0; i < caps; i++) {
            Slot from = src.slot(t.sendCap(i));
            if (t.sendMove(i)) {
                Derivation.move(from, own.slot(c.firstSlot() + i), from.rights(), from.badge(), events);
                moves |= 1 << i;
            } else {
                copyInto(from, own.slot(c.firstSlot() + i));
            }
        }
        carrier.sendCapsAt(c.firstSlot(), caps, moves);
        return c;
    }

    private static void copyInto(Slot src, Slot dst) {
        Derivation.derive(src, dst, src.rights(), src.badge());
        Endpoint.countIfBadged(dst);
    }

    private static Endpoint endpointOf(Slot slot) {
        return (Endpoint) slot.object();
    }

    /**
     * The carrier sends through {@code via}, as Send or Call would: to the oldest waiting receiver,
     * or queued. A send (not a Call) delivered at once finishes its entry at once.
     */
    private void send(Courier c, Slot via, long info, boolean call, long badge) {
        Task carrier = c.carrier();
        Endpoint ep = endpointOf(via);
        Task receiver = ep.firstReceiver();
        if (receiver == null) {
            carrier.blockOnSend(ep, via, info, call, badge);
            messages.queue(ep, carrier, QueueState.SENDERS);
            return;
        }
        ep.remove(receiver);
        delivery.message(carrier, receiver, info, badge, Delivery.kindOf(carrier, call), ep);
        if (call) {
            carrier.blockOnReply();
            carrier.ownContext().attach(receiver, ep);
            delivery.settleCall(carrier);
        }
        wakeups.complete(receiver, Status.OK);
        if (!call) {
            finish(c);
        }
    }

    /**
     * A carrier's queued send or taken Call completed with {@code status} (Wakeups routes it here
     * instead of to a runtime): the port takes the result. A message that ends with REVOKED before
     * it ever reached a receiver was dropped.
     */
    @Override
    public void completed(Courier c, Status status) {
        Task carrier = c.carrier();
        carrier.complete(status);
        if (status == Status.REVOKED && !c.delivered() && c.phase() != Courier.Phase.REPLYING) {
            c.port().dropped();
        }
        if (c.phase() == Courier.Phase.REPLYING && bugs.on(ASYNC_SECOND_REPLY) && InjectedBugs.firstAnswer(c)) { answer(c, Status.NO_REPLY); return; }
        switch (c.phase()) {
            case SENDING, REPLYING -> finish(c);
            case CALLING -> answer(c, status);
            case FREE -> throw new AssertionError(c + " completed while free");
        }
    }

    /** An AsyncCall ended: its reply (OK) or its error goes to the reply endpoint, tagged. */
    private void answer(Courier c, Status status) {
        Task carrier = c.carrier();
        c.phase(Courier.Phase.REPLYING);
        if (status != Status.OK) {
            // An error carries nothing, so what is in flight goes first. That may end the port (its
            // last capability), which frees this entry, or its reply endpoint (an untyped in flight).
            delivery.clearInFlight(c);
            if (c.phase() == Courier.Phase.FREE) {
                return;
            }
        }
        Slot via = c.port().replySlot();
        if (via.isEmpty() || endpointOf(via).isDestroyed() || (status != Status.OK && bugs.on(ASYNC_ERROR_LOST))) {
            finish(c);
            return;
        }
        long info;
        if (status == Status.OK) {
            info = carrier.ipc().info();
            // The reply's capabilities move on: each arrives as it would have from the replier.
            carrier.sendCapsAt(c.firstSlot(), MessageInfo.caps(info), (1 << MessageInfo.MAX_CAPS) - 1);
        } else {
            info = MessageInfo.withSystem(MessageInfo.pack(status.ordinal(), 0, 0, false));
            carrier.sendCapsAt(c.firstSlot(), 0, 0);
        }
        send(c, via, MessageInfo.withKind(info, Kind.NONE), false, c.tag());
    }

    /**
     * The port's last capability went (docs/semantics.md §5.5): each entry ends where it is, silently,
     * since nobody is left to hear: a queued message leaves its queue, a taken AsyncCall leaves its
     * server a cancelled context (as a caller that gave up does); what is in flight is deleted, the
     * carriers are dead, and the port's own capabilities go (a Call still queued through them is
     * released with REVOKED).
     */
    void destroyed(AsyncPort port) {
        // Every entry leaves where it waits before any capability in flight goes: deleting those may
        // release senders (an untyped's revoke), and no entry of this port may then be answered.
        for (Courier c : port.entries()) {
            if (c.phase() != Courier.Phase.FREE) {
                expiry.leaveWaiting(c.carrier());
            }
        }
        for (Courier c : port.entries()) {
            if (c.phase() != Courier.Phase.FREE) {
                delivery.clearInFlight(c);
                port.release(c);
            }
            var _ = c.carrier().die();
        }
        Derivation.delete(port.endpointSlot(), events);
        Derivation.delete(port.replySlot(), events);
    }

    /**
     * The entry is done: it is free, and what it still had in flight is deleted (in that order: if
     * that deletes the port's last capability, its destruction finds this entry already free).
     */
    private void finish(Courier c) {
        c.port().release(c);
        delivery.clearInFlight(c);
    }
}
