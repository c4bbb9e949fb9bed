package io.capipc.kernel.syscall;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.Slot;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Endpoint.Queue;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.Task;
import java.lang.foreign.MemorySegment;

/**
 * The message syscalls (SPEC section 5.1): Send, NBSend, Call, Recv, NBRecv, Reply, ReplyWait, and
 * the end of a task.
 *
 * <p>Each is decode, then invoke: the checks run first, in SPEC section 7's order, and return before
 * anything changes; after them the transition cannot fail. A method returns the syscall's status, or
 * null when the task is now blocked; its status then lands in its IPC buffer when another task's
 * transition completes it. The rendezvous follows seL4's sendIPC and receiveIPC: whoever arrives
 * second delivers, so an endpoint never queues senders and receivers at once.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock and {@code t} is RUNNING.
 */
public final class MessageSyscalls {
    /** Where NBSEND_ALLOCATES leaves its garbage, so the allocation cannot be optimized away. */
    static volatile Object sink;

    private final Wakeups wakeups;
    private final InjectedBugs faults;

    public MessageSyscalls(Wakeups wakeups, InjectedBugs faults) {
        this.wakeups = wakeups;
        this.faults = faults;
    }

    /** Send (seL4 Send): deliver to the oldest waiting receiver, or queue FIFO. */
    public Status send(Task t, int cap, long info, boolean blocking) {
        long checked = faults.has(InjectedBug.SYSTEM_FLAG_FORGEABLE) ? info & ~MessageInfo.pack(0, 0, 0, true) : info;
        t.latchSendCaps(info);
        Status s = Decode.message(t, cap, checked, Rights.WRITE);
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        Slot slot = t.space().cspace().slot(cap);
        Endpoint ep = (Endpoint) slot.object();
        Task receiver = ep.firstReceiver();
        if (!blocking && faults.has(InjectedBug.NBSEND_ALLOCATES)) {
            sink = new long[2];
        }
        if (receiver == null) {
            if (!blocking) {
                return t.ipc().complete(Status.WOULD_BLOCK);
            }
            t.blockOnSend(ep, slot, info, false);
            queue(ep, t, Queue.SENDERS);
            return null;
        }
        ep.remove(receiver);
        if (!faults.has(InjectedBug.SEND_DROPS_MESSAGE)) {
            deliver(t, receiver, info, slot.badge(), Kind.SEND, ep);
        }
        wakeups.complete(receiver, Status.OK);
        return t.ipc().complete(Status.OK);
    }

    /**
     * Call (seL4 Call): as Send, then wait for the reply. The buffers go into the caller's own idle
     * context first, which no other task can see, and are validated there.
     */
    public Status call(Task t, int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf) {
        CallerContext context = t.ownContext();
        t.latchSendCaps(info);
        Status s = Decode.sendable(info);
        if (s == Status.OK) {
            s = context.buffers().attach(sendBuf, recvBuf);
        }
        if (s == Status.OK) {
            s = Decode.message(t, cap, info, Rights.WRITE);
        }
        if (s != Status.OK) {
            context.buffers().clear();
            return t.ipc().complete(s);
        }
        Slot slot = t.space().cspace().slot(cap);
        Endpoint ep = (Endpoint) slot.object();
        t.latchReceiveSlots();
        context.begin(slot.badge(), MessageInfo.label(info));
        Task receiver = ep.firstReceiver();
        if (receiver == null) {
            t.blockOnSend(ep, slot, info, true);
            queue(ep, t, Queue.SENDERS);
            return null;
        }
        ep.remove(receiver);
        deliver(t, receiver, info, slot.badge(), Kind.CALL, ep);
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
    public Status receive(Task t, int cap, boolean blocking) {
        Status s = Decode.endpoint(t.space().cspace(), cap, Rights.READ);
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        Slot slot = t.space().cspace().slot(cap);
        Endpoint ep = (Endpoint) slot.object();
        Task sender = ep.firstSender();
        if (sender == null && !blocking && !notificationPending(t) && ep.firstNotice() == null) {
            return t.ipc().complete(Status.WOULD_BLOCK);
        }
        t.receivingWithGrant(Rights.has(slot.rights(), Rights.GRANT));
        t.latchReceiveSlots();
        dropCurrent(t, Status.NO_REPLY);
        return take(t, ep, sender);
    }

    /** Reply: answer the current caller; OK and no effect when there is none (SPEC guarantee 8). */
    public Status reply(Task t, long info) {
        t.latchSendCaps(info);
        Status s = replyChecks(t, info);
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        if (t.heldContext() == null && faults.has(InjectedBug.REPLY_WITHOUT_CALLER_FAILS)) {
            return t.ipc().complete(Status.NO_CALLER);
        }
        answer(t, info);
        return t.ipc().complete(Status.OK);
    }

    /** ReplyWait (seL4 ReplyRecv): both halves are validated before either happens. */
    public Status replyWait(Task t, int cap, long info) {
        CSpace cs = t.space().cspace();
        t.latchSendCaps(info);
        Status s = Decode.sendable(info);
        if (s == Status.OK) {
            s = Decode.transferRanges(t, info);
        }
        if (s == Status.OK) {
            s = cs.inRange(cap) ? Decode.endpointLookup(cs, cap) : Status.INVALID_ARGUMENT;
        }
        if (s == Status.OK) {
            s = Decode.transferLookups(t, info);
        }
        if (s == Status.OK) {
            s = Rights.has(cs.slot(cap).rights(), Rights.READ) ? grantToReply(t, info) : Status.INSUFFICIENT_RIGHTS;
        }
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        Slot slot = cs.slot(cap);
        Endpoint ep = (Endpoint) slot.object();
        t.receivingWithGrant(Rights.has(slot.rights(), Rights.GRANT));
        t.latchReceiveSlots();
        CallerContext answered = t.heldContext();
        answer(t, info);
        if (answered != null && faults.has(InjectedBug.REPLY_WAIT_COMPLETES_TWICE)) {
            wakeups.complete(answered.caller(), Status.NO_REPLY);
        }
        return take(t, ep, ep.firstSender());
    }

    /**
     * Forward (QNX MsgForward): hands {@code t}'s current Call to the endpoint in slot {@code cap}.
     * The caller's registers are replaced by {@code t}'s first {@code length}, its buffers pass
     * through unchanged, and the next server sees the badge of the capability {@code t} invoked and
     * {@code t}'s label; the eventual reply goes straight to the caller. If no receiver waits, the
     * caller is queued there as a Call, through {@code t}'s capability. {@code t} continues at once.
     * Checks: the word (no capabilities: Forward transfers none), the slot; the endpoint; WRITE;
     * then NO_CALLER.
     */
    public Status forward(Task t, int cap, long info) {
        Status s = MessageInfo.caps(info) == 0 ? Decode.message(t, cap, info, Rights.WRITE)
                : Status.INVALID_ARGUMENT;
        CallerContext context = t.heldContext();
        if (s == Status.OK && context == null) {
            s = t.holdsCancelled() ? Status.CANCELLED : Status.NO_CALLER;
        }
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        pass(t, context, cap, info);
        return t.ipc().complete(Status.OK);
    }

    /**
     * Forward's invoke half, for the current context and by handle: {@code context} leaves whoever
     * holds it and goes, with {@code t}'s registers, to the endpoint in {@code t}'s slot {@code cap}.
     */
    void pass(Task t, CallerContext context, int cap, long info) {
        Slot slot = t.space().cspace().slot(cap);
        Endpoint ep = (Endpoint) slot.object();
        Task caller = context.caller();
        caller.ipc().copyFrom(t.ipc(), MessageInfo.length(info));
        context.forwarded();
        context.begin(slot.badge(), MessageInfo.label(info));
        Task receiver = ep.firstReceiver();
        if (receiver == null) {
            caller.blockOnSend(ep, slot, info, true);
            queue(ep, caller, Queue.SENDERS);
        } else {
            ep.remove(receiver);
            deliver(caller, receiver, info, slot.badge(), Kind.CALL, ep);
            context.attach(receiver, ep);
            wakeups.complete(receiver, Status.OK);
        }
    }

    /**
     * The task's body returned: it becomes DEAD, and a caller whose context it held gets PEER_DIED.
     * A running task is in no queue, so nothing else refers to it. If it was its Space's last live
     * task, the callers of the Space's suspended contexts get PEER_DIED too: nobody is left to answer.
     */
    public Status exit(Task t) {
        dropCurrent(t, Status.PEER_DIED);
        if (t.boundNotification() != null) {
            t.boundNotification().unbind();
        }
        if (t.die() && !faults.has(InjectedBug.LAST_TASK_KEEPS_SUSPENDED)) {
            for (int i = 0; i < t.space().replyPoolSize(); i++) {
                CallerContext context = t.space().entry(i).context();
                if (context != null) {
                    context.detach();
                    wakeups.complete(context.caller(), Status.PEER_DIED);
                }
            }
        }
        return t.ipc().complete(Status.OK);
    }

    /**
     * Reply's checks: the info word and the transferred slots' ranges (INVALID_ARGUMENT), then their
     * lookups (INVALID_CAPABILITY), then GRANT on the capability the Call came through.
     */
    private static Status replyChecks(Task t, long info) {
        return replyChecks(t, info, Status.OK, t.heldContext());
    }

    /**
     * Reply's checks for {@code context}, shared with Reply by handle: {@code handleLookup} is the
     * outcome of looking up the handle (OK for the current context), reported among the lookups,
     * before those of the transferred slots.
     */
    static Status replyChecks(Task t, long info, Status handleLookup, CallerContext context) {
        Status s = Decode.sendable(info);
        if (s == Status.OK) {
            s = Decode.transferRanges(t, info);
        }
        if (s == Status.OK) {
            s = handleLookup;
        }
        if (s == Status.OK) {
            s = Decode.transferLookups(t, info);
        }
        return s == Status.OK ? grantToReply(context, info) : s;
    }

    private static Status grantToReply(Task t, long info) {
        return grantToReply(t.heldContext(), info);
    }

    /** A reply carrying capabilities needs GRANT on the capability {@code context}'s Call was received through. */
    static Status grantToReply(CallerContext context, long info) {
        boolean refused = context != null && MessageInfo.caps(info) > 0 && !context.grant();
        return refused ? Status.INSUFFICIENT_RIGHTS : Status.OK;
    }

    private static boolean notificationPending(Task t) {
        return t.boundNotification() != null && t.boundNotification().isPending();
    }

    /**
     * Takes what there is for {@code t}: its bound notification if pending (before any queued message,
     * SPEC section 5.1), else {@code sender}'s message; or queues {@code t} as a receiver.
     */
    private Status take(Task t, Endpoint ep, Task sender) {
        if (notificationPending(t)) {
            NotificationSyscalls.deliver(t, t.boundNotification().take());
            return t.ipc().complete(Status.OK);
        }
        if (ep.firstNotice() != null) {
            SystemMessages.receive(t, ep);
            return t.ipc().complete(Status.OK);
        }
        if (sender == null) {
            t.blockOnReceive(ep);
            queue(ep, t, Queue.RECEIVERS);
            return null;
        }
        ep.remove(sender);
        boolean isCall = sender.isCall();
        deliver(sender, t, sender.sendInfo(), sender.sendBadge(), isCall ? Kind.CALL : Kind.SEND, ep);
        if (isCall) {
            sender.blockOnReply();
            sender.ownContext().attach(t, ep);
        } else {
            wakeups.complete(sender, Status.OK);
        }
        return t.ipc().complete(Status.OK);
    }

    /** Delivers a reply to {@code t}'s current caller, if it has one, and consumes the context. */
    private void answer(Task t, long info) {
        t.holdsCancelled(false);
        CallerContext context = t.heldContext();
        if (context != null) {
            answer(t, context, info);
        }
    }

    /** Delivers {@code t}'s reply to {@code context}'s caller and consumes the context. */
    void answer(Task t, CallerContext context, long info) {
        Task caller = context.caller();
        deliver(t, caller, info, 0, Kind.REPLY, null);
        if (!faults.has(InjectedBug.REPLY_KEEPS_CONTEXT)) {
            context.detach();
        }
        wakeups.complete(caller, Status.OK);
    }

    /** Releases {@code t}'s unanswered current context, if any; its caller's Call ends with {@code why}. */
    private void dropCurrent(Task t, Status why) {
        t.holdsCancelled(false);
        CallerContext context = t.heldContext();
        if (context != null) {
            Task caller = context.caller();
            context.detach();
            if (!faults.has(InjectedBug.RECV_FORGETS_CONTEXT)) {
                wakeups.complete(caller, why);
            }
        }
    }

    private void queue(Endpoint ep, Task t, Queue kind) {
        InjectedBug lifo = kind == Queue.SENDERS ? InjectedBug.LIFO_SENDERS : InjectedBug.LIFO_RECEIVERS;
        if (faults.has(lifo)) {
            ep.enqueueAtHead(t, kind);
        } else {
            ep.enqueue(t, kind);
        }
    }

    /**
     * Copies exactly {@code length} registers, transfers the capabilities, and sets the info word
     * (with its kind and the number of capabilities that arrived) and the badge.
     *
     * @param through the endpoint the message arrives on; null for a reply
     */
    private void deliver(Task from, Task to, long info, long badge, Kind kind, Endpoint through) {
        to.ipc().copyFrom(from.ipc(), MessageInfo.length(info));
        to.ipc().clearUnwrapped();
        int arrived = MessageInfo.caps(info) == 0 ? 0 : CapabilityTransfer.transfer(from, to, info, through, faults);
        long shown = faults.has(InjectedBug.BADGE_FROM_LABEL) ? MessageInfo.label(info) : badge;
        to.ipc().received(MessageInfo.withCaps(MessageInfo.withKind(info, kind), arrived), shown);
    }
}
