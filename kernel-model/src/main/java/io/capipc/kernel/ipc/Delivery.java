package io.capipc.kernel.ipc;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.cap.CSpace;
import io.capipc.cap.CapabilityListener;
import io.capipc.cap.Derivation;
import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.AsyncPort;
import io.capipc.kernel.object.Courier;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notice;
import io.capipc.kernel.object.Task;

/**
 * What arrives in a receiver's IPC buffer (docs/semantics.md §3): a message from another task, a
 * notification's word, or a system message. The three kinds of delivery, and only they, write the
 * received info word and badge; each clears what the previous message unwrapped.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock (either kind; see syscall.KernelLock) and has
 * decided the delivery happens.
 */
public final class Delivery {
    private final InjectedBugs bugs;
    private final CapabilityListener events;

    public Delivery(InjectedBugs bugs, CapabilityListener events) {
        this.bugs = bugs;
        this.events = events;
    }

    /**
     * The kind a queued or arriving sender's message is received as: CALL or SEND, and REPLY for an
     * async port entry carrying its AsyncCall's answer back to the client.
     */
    public static Kind kindOf(Task sender, boolean call) {
        Courier c = sender.courier();
        if (c != null && c.phase() == Courier.Phase.REPLYING) {
            return Kind.REPLY;
        }
        return call ? Kind.CALL : Kind.SEND;
    }

    /**
     * A message: copies exactly {@code length} registers, transfers the capabilities, and sets the
     * info word (with its kind and the number of capabilities that arrived) and the badge.
     *
     * @param through the endpoint the message arrives on; null for a reply
     */
    public void message(Task from, Task to, long info, long badge, Kind kind, Endpoint through) {
        to.ipc().copyFrom(from.ipc(), MessageInfo.length(info));
        to.ipc().clearUnwrapped();
        int arrived = MessageInfo.caps(info) == 0 ? 0 : CapabilityTransfer.transfer(from, to, info, through, bugs, events);
        long shown = bugs.on(InjectedBug.BADGE_FROM_LABEL) ? MessageInfo.label(info) : badge;
        long word = MessageInfo.withCaps(MessageInfo.withKind(info, kind), arrived);
        Courier c = from.courier();
        if (c != null) {
            c.markDelivered();
            word = MessageInfo.withAsync(word);
        }
        to.ipc().received(word, shown);
    }

    /**
     * After a delivered Call's sender is attached to its receiver: if the sender carries an async
     * port entry, what it still has in flight is deleted (a delivered send's entry is freed, and
     * cleared, when its carrier completes). Never inside {@link #message}: one of those capabilities
     * may be the port's last, and the port's destruction must find its entry where the delivery
     * left it, not half way through it.
     */
    public void settleCall(Task sender) {
        Courier c = sender.courier();
        if (c != null) {
            clearInFlight(c);
        }
    }

    /**
     * The capabilities an async port entry still has in flight are deleted: the message was delivered
     * (what arrived is now the receiver's), or it will never be. This may destroy the port.
     */
    public void clearInFlight(Courier c) {
        CSpace own = c.port().space().cspace();
        for (int i = 0; i < AsyncPort.SLOTS_PER_ENTRY; i++) {
            Derivation.delete(own.slot(c.firstSlot() + i), events);
        }
    }

    /** A notification's word, as the badge of a NOTIFICATION message with no registers (docs/semantics.md §5.4). */
    public static void notification(Task t, long word) {
        t.ipc().clearUnwrapped();
        t.ipc().received(MessageInfo.withKind(0, Kind.NOTIFICATION), word);
    }

    /** A system message: kind SEND, the SYSTEM flag, its kind as the label, one register MR0 (docs/semantics.md §6). */
    public static void systemMessage(Task t, Notice n) {
        t.ipc().setMr(0, n.word());
        t.ipc().clearUnwrapped();
        t.ipc().received(MessageInfo.withKind(MessageInfo.pack(n.kind().label(), 1, 0, true), Kind.SEND), n.badge());
    }
}
