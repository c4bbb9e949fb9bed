package io.capipc.kernel.syscall;

import static io.capipc.kernel.bugs.InjectedBug.LIFO_RECEIVERS;
import static io.capipc.kernel.bugs.InjectedBug.LIFO_SENDERS;
import static io.capipc.kernel.bugs.InjectedBug.NBSEND_ALLOCATES;
import static io.capipc.kernel.bugs.InjectedBug.RECV_FORGETS_CONTEXT;
import static io.capipc.kernel.bugs.InjectedBug.REPLY_KEEPS_CONTEXT;
import static io.capipc.kernel.bugs.InjectedBug.REPLY_WAIT_COMPLETES_TWICE;
import static io.capipc.kernel.bugs.InjectedBug.REPLY_WITHOUT_CALLER_FAILS;
import static io.capipc.kernel.bugs.InjectedBug.SEND_DROPS_MESSAGE;
import static io.capipc.kernel.bugs.InjectedBug.SYSTEM_FLAG_FORGEABLE;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.Slot;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.QueueState;
import io.capipc.kernel.ipc.Delivery;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Task;
import java.lang.foreign.MemorySegment;

/**
 * The message syscalls (docs/semantics.md §5.1): Send, NBSend, Call, Recv, NBRecv, Reply, ReplyWait and
 * Forward.
 *
 * <p>Each is decode, then invoke: the checks run first, in docs/semantics.md §7's order, and return before
 * anything changes; after them the transition cannot fail. A method returns the syscall's status, or
 * null when the task is now blocked; its status then lands in its IPC buffer when another task's
 * transition completes it. The rendezvous follows seL4's sendIPC and receiveIPC: whoever arrives
 * second delivers, so an endpoint never queues senders and receivers at once.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock (the kernel-wide one; or, for Call and
 * ReplyWait when {@link #fastCallable} or {@link #fastReplyWaitable} holds, the endpoint's) and
 * {@code t} is RUNNING.
 */
public final class MessageSyscalls {
    private final Wakeups wakeups;
    private final Delivery delivery;
    private final InjectedBugs bugs;

    public MessageSyscalls(Wakeups wakeups, Delivery delivery, InjectedBugs bugs) {
        this.wakeups = wakeups;
        this.delivery = delivery;
        this.bugs = bugs;
    }

    /** Send (seL4 Send) and NBSend: deliver to the oldest waiting receiver, or queue FIFO, or WOULD_BLOCK. */
    public Status send(Task t, int cap, long info, boolean blocking, long timeout) {
        t.latchSendCaps(info);
        long checked = bugs.on(SYSTEM_FLAG_FORGEABLE) ? info & ~MessageInfo.pack(0, 0, 0, true) : info;
        Reason r = Decode.timeout(timeout);
        if (r == Reason.NONE) {
            r = Decode.message(t, cap, checked, Rights.WRITE);
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        Slot via = t.decodedSlot();
        Endpoint ep = (Endpoint) via.object();
        Task receiver = ep.firstReceiver();
        if (!blocking && bugs.on(NBSEND_ALLOCATES)) { InjectedBugs.allocate(); }
        if (receiver == null) {
            if (!blocking) {
                return t.ipc().refuse(Reason.NOTHING_WAITING);
            }
            t.blockOnSend(ep, via, info, false);
            queue(ep, t, QueueState.SENDERS);
            return null;
        }
        ep.remove(receiver);
        if (!bugs.on(SEND_DROPS_MESSAGE)) { delivery.message(t, receiver, info, via.badge(), Kind.SEND, ep); }
        wakeups.complete(receiver, Status.OK);
        return t.ipc().complete(Status.OK);
    }

    /**
     * Call (seL4 Call): as Send, then wait for the reply. The buffers go into the caller's own idle
     * context first, which no other task can see, and are validated there.
     */
    public Status call(Task t, int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf, long timeout) {
        CallerContext context = t.ownContext();
        t.latchSendCaps(info);
        Reason r = Decode.timeout(timeout);
        if (r == Reason.NONE) {
            r = Decode.sendable(info);
        }
        if (r == Reason.NONE) {
            r = context.buffers().attach(sendBuf, recvBuf);
        }
        if (r == Reason.NONE) {
            r = Decode.message(t, cap, info, Rights.WRITE, true);
        }
        if (r != Reason.NONE) {
            context.buffers().clear();
            return t.ipc().refuse(r);
        }
        Slot via = t.decodedSlot();
        Endpoint ep = (Endpoint) via.object();
        t.latchReceiveSlots();
        context.begin(via.badge(), MessageInfo.label(info));
        Task receiver = ep.firstReceiver();
        if (receiver == null) {
            t.blockOnSend(ep, via, info, true);
            queue(ep, t, QueueState.SENDERS);
            return null;
        }
        ep.remove(receiver);
        delivery.message(t, receiver, info, via.badge(), Kind.CALL, ep);
        t.blockOnReply();
        context.attach(receiver, ep);
        wakeups.complete(receiver, Status.OK);
        return null;
    }

    /**
     * Recv and NBRecv (seL4 Recv, NBRecv). Recv first drops a still-unanswered current context (its
     * caller gets NO_REPLY); NBRecv does so only when it takes a message, so a WOULD_BLOCK changes
     * nothing.
     */
    public Status receive(Task t, int cap, boolean blocking, long timeout) {
        Reason r = Decode.timeout(timeout);
        if (r == Reason.NONE) {
            r = Decode.capability(t, cap, ObjectType.ENDPOINT, Rights.READ);
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        Slot via = t.decodedSlot();
        Endpoint ep = (Endpoint) via.object();
        if (!blocking && nothingToTake(t, ep, ep.firstSender())) {
            return t.ipc().refuse(Reason.NOTHING_WAITING);
        }
        t.receivingWithGrant(Rights.has(via.rights(), Rights.GRANT));
        t.latchReceiveSlots();
        dropCurrent(t, Status.NO_REPLY);
        // Looked up after the drop: dropping an AsyncCall's context queues its NO_REPLY error as a
        // sender on the port's reply endpoint, which may be this one (found by SyscallDecodeFuzzTest).
        // Whatever the drop did to the queue, NBRecv never queues its task.
        Task sender = ep.firstSender();
        if (!blocking && nothingToTake(t, ep, sender)) {
            return t.ipc().refuse(Reason.NOTHING_WAITING);
        }
        return take(t, ep, sender);
    }

    /**
     * True if a Call by {@code t} of {@code info} through {@code cap}, which names {@code ep}, may run
     * holding only {@code ep}'s lock (a fast path; see KernelLock): it then changes nothing but
     * {@code ep}'s queue, {@code t}, the receiver it takes from that queue if one waits, and their
     * mailboxes and contexts. No capability moves, so no capability space changes; no task involved
     * carries an async port's entry, whose completion would go to its port; decode's refusals write
     * only {@code t}'s mailbox. A task waiting in {@code ep}'s queue is reached only by whoever holds
     * {@code ep}'s lock, and {@code t}, running, only by itself, so fast paths on other endpoints
     * touch none of it. Under {@code ep}'s lock, with no kernel-wide section running.
     */
    public boolean fastCallable(Task t, Endpoint ep, int cap, long info) {
        if (!names(t, cap, ep) || MessageInfo.caps(info) != 0 || t.courier() != null) {
            return false;
        }
        Task receiver = ep.firstReceiver();
        return receiver == null || (receiver.courier() == null && !parked(receiver));
    }

    /**
     * As {@link #fastCallable}, for a ReplyWait: besides, the caller it answers (reached only by the
     * holder of its context, {@code t}) carries no async port's entry, and what it takes is a
     * message from {@code ep}'s queue or nothing: no bound notification is pending and no system
     * message waits, and a queued sender moves no capability and carries no entry.
     */
    public boolean fastReplyWaitable(Task t, Endpoint ep, int cap, long info) {
        if (!names(t, cap, ep) || MessageInfo.caps(info) != 0 || t.courier() != null
                || notificationPending(t) || ep.firstNotice() != null) {
            return false;
        }
        CallerContext held = t.heldContext();
        if (held != null && (held.caller().courier() != null || parked(held.caller()))) {
            return false;
        }
        Task sender = ep.firstSender();
        return sender == null || (sender.courier() == null && MessageInfo.caps(sender.sendInfo()) == 0
                && (sender.isCall() || !parked(sender)));
    }

    /**
     * True if {@code t}'s thread is parked (the threaded runtime's flag; never on the driver): its
     * wake is a system call, which a fast path would make holding the endpoint's lock, so that the
     * woken thread's next syscall finds it held. The kernel-wide path gives that wake last.
     */
    private static boolean parked(Task t) {
        return t.ipc().parkedVolatile() != 0;
    }

    /** True if {@code t}'s slot {@code cap} names {@code ep}. */
    private static boolean names(Task t, int cap, Endpoint ep) {
        CSpace cs = t.space().cspace();
        return cs.inRange(cap) && cs.slot(cap).object() == ep;
    }

    /** Nothing for {@code t} on {@code ep}: no pending bound notification, no system message, no {@code sender}. */
    private static boolean nothingToTake(Task t, Endpoint ep, Task sender) {
        return sender == null && !notificationPending(t) && ep.firstNotice() == null;
    }

    /** Reply: answer the current caller; OK and no effect when there is none (docs/semantics.md guarantee 8). */
    public Status reply(Task t, long info) {
        t.latchSendCaps(info);
        Reason r = replyChecks(t, info, Reason.NONE, t.heldContext());
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        if (t.heldContext() == null && bugs.on(REPLY_WITHOUT_CALLER_FAILS)) { return t.ipc().refuse(Reason.NO_CONTEXT); }
        answerHeld(t, info);
        return t.ipc().complete(Status.OK);
    }

    /** ReplyWait (seL4 ReplyRecv): both halves are validated before either happens. */
    public Status replyWait(Task t, int cap, long info, long timeout) {
        t.latchSendCaps(info);
        Reason r = Decode.timeout(timeout);
        if (r == Reason.NONE) {
            r = Decode.sendable(info);
        }
        if (r == Reason.NONE) {
            r = Decode.transferRanges(t, info);
        }
        if (r == Reason.NONE) {
            r = Decode.slot(t.space().cspace(), cap);
        }
        if (r == Reason.NONE) {
            r = Decode.object(t, cap, ObjectType.ENDPOINT);
        }
        if (r == Reason.NONE) {
            r = Decode.transferLookups(t, info);
        }
        if (r == Reason.NONE) {
            r = Decode.rights(t, Rights.READ);
        }
        if (r == Reason.NONE) {
            r = grantToReply(t.heldContext(), info);
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        Slot via = t.decodedSlot();
        Endpoint ep = (Endpoint) via.object();
        t.receivingWithGrant(Rights.has(via.rights(), Rights.GRANT));
        t.latchReceiveSlots();
        CallerContext answered = t.heldContext();
        answerHeld(t, info);
        if (answered != null && bugs.on(REPLY_WAIT_COMPLETES_TWICE)) { wakeups.complete(answered.caller(), Status.NO_REPLY); }
        return take(t, ep, ep.firstSender());
    }

    /**
     * Forward (QNX MsgForward): hands {@code t}'s current Call to the endpoint in slot {@code cap}.
     * Checks: the word (no capabilities: Forward transfers none), the slot; the endpoint; WRITE;
     * then NO_CALLER (or CANCELLED).
     */
    public Status forward(Task t, int cap, long info) {
        Reason r = MessageInfo.caps(info) == 0 ? Decode.message(t, cap, info, Rights.WRITE) : Reason.FORWARD_WITH_CAPS;
        CallerContext context = t.heldContext();
        if (r == Reason.NONE && context == null) {
            r = Decode.noContext(t);
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        pass(t, context, t.decodedSlot(), info);
        return t.ipc().complete(Status.OK);
    }

    /**
     * Forward's invoke half, for the current context and by handle: {@code context} leaves whoever
     * holds it and goes, with {@code t}'s registers, to the endpoint in {@code via}. The caller's
     * registers are replaced by {@code t}'s first {@code length}, its buffers pass through unchanged,
     * and the next server sees the badge of {@code via} and {@code t}'s label; the eventual reply goes
     * straight to the caller. If no receiver waits, the caller is queued there as a Call, through
     * {@code via}. {@code t} continues at once.
     */
    void pass(Task t, CallerContext context, Slot via, long info) {
        Endpoint ep = (Endpoint) via.object();
        Task caller = context.caller();
        caller.ipc().copyFrom(t.ipc(), MessageInfo.length(info));
        context.forwarded();
        context.begin(via.badge(), MessageInfo.label(info));
        Task receiver = ep.firstReceiver();
        if (receiver == null) {
            caller.blockOnSend(ep, via, info, true);
            queue(ep, caller, QueueState.SENDERS);
        } else {
            ep.remove(receiver);
            delivery.message(caller, receiver, info, via.badge(), Kind.CALL, ep);
            context.attach(receiver, ep);
            delivery.settleCall(caller);
            wakeups.complete(receiver, Status.OK);
        }
    }

    /**
     * Reply's checks for {@code context} (null: none), shared with Reply by handle: the info word
     * and the transferred slots' ranges, then {@code handleLookup} (NONE for the current context),
     * then the transferred slots' lookups, then GRANT on the capability the Call came through.
     */
    static Reason replyChecks(Task t, long info, Reason handleLookup, CallerContext context) {
        Reason r = Decode.sendable(info);
        if (r == Reason.NONE) {
            r = Decode.transferRanges(t, info);
        }
        if (r == Reason.NONE) {
            r = handleLookup;
        }
        if (r == Reason.NONE) {
            r = Decode.transferLookups(t, info);
        }
        return r == Reason.NONE ? grantToReply(context, info) : r;
    }

    /** A reply carrying capabilities needs GRANT on the capability {@code context}'s Call was received through. */
    static Reason grantToReply(CallerContext context, long info) {
        boolean refused = context != null && MessageInfo.caps(info) > 0 && !context.grant();
        return refused ? Reason.NEEDS_GRANT_TO_REPLY : Reason.NONE;
    }

    private static boolean notificationPending(Task t) {
        return t.boundNotification() != null && t.boundNotification().isPending();
    }

    /**
     * Takes what there is for {@code t}: its bound notification if pending (before any queued message,
     * docs/semantics.md §5.1), else a system message, else {@code sender}'s message; or queues {@code t} as
     * a receiver.
     */
    private Status take(Task t, Endpoint ep, Task sender) {
        if (notificationPending(t)) {
            Delivery.notification(t, t.boundNotification().take());
            return t.ipc().complete(Status.OK);
        }
        if (ep.firstNotice() != null) {
            SystemMessages.receive(t, ep);
            return t.ipc().complete(Status.OK);
        }
        if (sender == null) {
            t.blockOnReceive(ep);
            queue(ep, t, QueueState.RECEIVERS);
            return null;
        }
        ep.remove(sender);
        boolean isCall = sender.isCall();
        delivery.message(sender, t, sender.sendInfo(), sender.sendBadge(), Delivery.kindOf(sender, isCall), ep);
        if (isCall) {
            sender.blockOnReply();
            sender.ownContext().attach(t, ep);
            delivery.settleCall(sender);
        } else {
            wakeups.complete(sender, Status.OK);
        }
        return t.ipc().complete(Status.OK);
    }

    /** Delivers a reply to {@code t}'s current caller, if it has one, and consumes the context. */
    private void answerHeld(Task t, long info) {
        t.holdsCancelled(false);
        CallerContext context = t.heldContext();
        if (context != null) {
            answer(t, context, info, true);
        }
    }

    /**
     * Delivers {@code t}'s reply to {@code context}'s caller and consumes the context: {@code t}'s
     * current one ({@code current}), or one it names by handle.
     */
    void answer(Task t, CallerContext context, long info, boolean current) {
        Task caller = context.caller();
        delivery.message(t, caller, info, 0, Kind.REPLY, null);
        if (!bugs.on(REPLY_KEEPS_CONTEXT)) {
            if (current) {
                context.answeredBy(t);
            } else {
                context.detach();
            }
        }
        wakeups.complete(caller, Status.OK);
    }

    /** Releases {@code t}'s unanswered current context, if any; its caller's Call ends with {@code why}. */
    void dropCurrent(Task t, Status why) {
        t.holdsCancelled(false);
        CallerContext context = t.heldContext();
        if (context != null) {
            Task caller = context.caller();
            context.detach();
            if (!bugs.on(RECV_FORGETS_CONTEXT)) { wakeups.complete(caller, why); }
        }
    }

    void queue(Endpoint ep, Task t, QueueState kind) {
        ep.enqueue(t, kind);
        if (bugs.on(kind == QueueState.SENDERS ? LIFO_SENDERS : LIFO_RECEIVERS)) { InjectedBugs.moveToFront(ep, t, kind); }
    }
}
