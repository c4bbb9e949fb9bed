package io.capipc.kernel.ipc;

import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.cap.CSpace;
import io.capipc.cap.CapabilityListener;
import io.capipc.cap.Derivation;
import io.capipc.cap.Slot;
import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Registers;
import io.capipc.kernel.object.Task;

/**
 * Capability transfer at delivery (docs/semantics.md §3; seL4's transferCaps). The slot <em>indices</em>
 * are the ones read when each side made its syscall ({@link Task#sendCap}, {@link Task#receiveSlot}:
 * docs/semantics.md §7, read once), so neither side can change them under the other; the slots'
 * <em>contents</em> are read now: a capability deleted or revoked while its message waited in a queue
 * is not in flight any more, and transfer stops there (docs/semantics.md guarantee 3).
 *
 * <p>In order: a capability marked MOVE (docs/semantics.md §12.1) leaves the sender's slot for the
 * receiver's next receive slot, keeping its place in the derivation tree (its mapping in the
 * sender's Space ends). Otherwise, a capability naming the very endpoint the message arrives on is
 * not placed; its badge is reported instead and it counts as arrived (unwrapping); any other goes,
 * as a child of the sender's capability with its rights and badge, into the receiver's next receive
 * slot. Transfer stops at the first capability that is gone (or whose slot now holds a reply
 * capability, which never travels) or has no usable receive slot (missing, out of range or occupied).
 */
final class CapabilityTransfer {
    private CapabilityTransfer() {}

    /**
     * Transfers the capabilities {@code info} names from {@code from} to {@code to}.
     *
     * @param through the endpoint the message arrives on, or null for a reply (nothing is unwrapped)
     * @return how many arrived
     */
    static int transfer(Task from, Task to, long info, Endpoint through, InjectedBugs bugs, CapabilityListener events) {
        Registers in = to.ipc();
        CSpace src = from.space().cspace();
        CSpace dst = to.space().cspace();
        boolean reread = bugs.on(InjectedBug.TRANSFER_REREADS_IPC_BUFFER);
        int arrived = 0;
        int nextReceive = 0;
        for (int i = 0; i < MessageInfo.caps(info); i++) {
            int named = reread ? from.ipc().cap(i) : from.sendCap(i);
            if (!src.inRange(named) || !transferable(src.slot(named))) {
                break; // gone since the syscall (out of range only under the injected bug)
            }
            Slot cap = src.slot(named);
            boolean move = from.sendMove(i) && !bugs.on(InjectedBug.MOVE_LEAVES_COPY);
            if (!move && through != null && cap.object() == through) {
                in.unwrappedCap(i, bugs.on(InjectedBug.UNWRAP_LOSES_BADGE) ? 0 : cap.badge());
                arrived++;
                continue;
            }
            int r = nextReceive >= MessageInfo.MAX_CAPS ? -1 : reread ? in.receiveSlot(nextReceive) : to.receiveSlot(nextReceive);
            if (!dst.inRange(r) || !dst.slot(r).isEmpty()) {
                break;
            }
            if (move) {
                Derivation.move(cap, dst.slot(r), cap.rights(), cap.badge(), events);
            } else {
                Derivation.derive(cap, dst.slot(r), cap.rights(), cap.badge());
                Endpoint.countIfBadged(dst.slot(r));
            }
            nextReceive++;
            arrived++;
        }
        return arrived;
    }

    /** A capability that may still travel: not empty, not a reply capability. */
    private static boolean transferable(Slot slot) {
        return !slot.isEmpty() && slot.object().type() != ObjectType.REPLY_POOL_ENTRY;
    }
}
