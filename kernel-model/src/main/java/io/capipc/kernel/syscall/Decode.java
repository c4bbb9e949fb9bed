package io.capipc.kernel.syscall;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.ObjectType;
import io.capipc.cap.Slot;

/**
 * The checks of the decode half of a syscall (SPEC section 7): each returns OK or the status to
 * return, and changes nothing. User-supplied numbers are allegations until these accept them.
 */
final class Decode {
    private Decode() {}

    /**
     * An info word user code may send. A non-zero capability count is refused for now: capability
     * transfer is not implemented yet.
     */
    static Status sendable(long info) {
        return MessageInfo.isSendable(info) && MessageInfo.caps(info) == 0 ? Status.OK : Status.INVALID_ARGUMENT;
    }

    /**
     * A capability to an endpoint in slot {@code cap} of {@code cspace}, with {@code rights}: in this
     * order, slot out of range (INVALID_ARGUMENT), empty or not an endpoint (INVALID_CAPABILITY),
     * missing rights (INSUFFICIENT_RIGHTS).
     */
    static Status endpoint(CSpace cspace, int cap, int rights) {
        if (!cspace.inRange(cap)) {
            return Status.INVALID_ARGUMENT;
        }
        Slot slot = cspace.slot(cap);
        if (slot.isEmpty() || slot.object().type() != ObjectType.ENDPOINT) {
            return Status.INVALID_CAPABILITY;
        }
        return Rights.has(slot.rights(), rights) ? Status.OK : Status.INSUFFICIENT_RIGHTS;
    }
}
