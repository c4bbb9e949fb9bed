package io.capipc.kernel.syscall;

import io.capipc.api.MessageInfo;
import io.capipc.cap.CSpace;
import io.capipc.cap.Derivation;
import io.capipc.cap.Slot;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Registers;
import io.capipc.kernel.object.Task;

/**
 * Capability transfer at delivery (SPEC section 3; seL4's transferCaps). The slot <em>indices</em>
 * are the ones read when each side made its syscall ({@link Task#sendCap}, {@link Task#receiveSlot}:
 * SPEC section 7, read once), so neither side can change them under the other; the slots'
 * <em>contents</em> are read now: a capability deleted or revoked while its message waited in a queue
 * is not in flight any more, and transfer stops there (SPEC guarantee 3).
 *
 * <p>In order: a capability naming the very endpoint the message arrives on is not placed; its badge
 * is reported instead and it counts as arrived (unwrapping). Any other goes, as a child of the
 * sender's capability with its rights and badge, into the receiver's next receive slot; transfer
 * stops at the first capability that is gone (or whose slot now holds a reply capability, which
 * never travels) or has no usable receive slot (missing, out of range or occupied).
 */
final class CapabilityTransfer {
    private CapabilityTransfer() {}

    /**
     * Transfers the capabilities {@code info} names from {@code from} to {@code to}.
     *
     * @param through the endpoint the message arrives on, or null for a reply (nothing is unwrapped)
     * @return how many arrived
     */
    static int transfer(Task from, Task to, long info, Endpoint through, InjectedBugs faults) {
        Registers in = to.ipc();
        CSpace src = from.space().cspace();
        CSpace dst = to.space().cspace();
        int arrived = 0;
        int nextReceive = 0;
        for (int i = 0; i < MessageInfo.caps(info); i++) {
            int named = faults.has(InjectedBug.TRANSFER_REREADS_IPC_BUFFER) ? from.ipc().cap(i) : from.sendCap(i);
            if (!src.inRange(named)) {
                break; // only the injected fault can get here: the copy was checked at the syscall
            }
            Slot cap = src.slot(named);
            if (!Decode.transferable(cap)) {
                break;
            }
            if (through != null && cap.object() == through) {
                in.unwrappedCap(i, faults.has(InjectedBug.UNWRAP_LOSES_BADGE) ? 0 : cap.badge());
                arrived++;
                continue;
            }
            int r = nextReceive >= MessageInfo.MAX_CAPS ? -1
                    : faults.has(InjectedBug.TRANSFER_REREADS_IPC_BUFFER) ? in.receiveSlot(nextReceive) : to.receiveSlot(nextReceive);
            if (!dst.inRange(r) || !dst.slot(r).isEmpty()) {
                break;
            }
            Derivation.derive(cap, dst.slot(r), cap.rights(), cap.badge());
            CapabilityEvents.filled(dst.slot(r));
            nextReceive++;
            arrived++;
        }
        return arrived;
    }
}
