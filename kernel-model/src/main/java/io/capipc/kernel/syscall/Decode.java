package io.capipc.kernel.syscall;

import io.capipc.api.Handles;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.ObjectType;
import io.capipc.cap.Slot;
import io.capipc.kernel.object.ReplyPoolEntry;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;

/**
 * The checks of the decode half of a syscall (SPEC section 7): each returns OK or the status to
 * return, and changes nothing. User-supplied numbers are allegations until these accept them.
 */
final class Decode {
    private Decode() {}

    /** An info word user code may send (SPEC section 3). */
    static Status sendable(long info) {
        return MessageInfo.isSendable(info) ? Status.OK : Status.INVALID_ARGUMENT;
    }

    /**
     * The slots of the capabilities a message transfers are in range. They are read from the copy
     * {@link Task#latchSendCaps} made (SPEC section 7, read once), never from the IPC buffer again;
     * the word was checked first, so it names at most 4.
     */
    static Status transferRanges(Task t, long info) {
        CSpace cspace = t.space().cspace();
        for (int i = 0; i < MessageInfo.caps(info); i++) {
            if (!cspace.inRange(t.sendCap(i))) {
                return Status.INVALID_ARGUMENT;
            }
        }
        return Status.OK;
    }

    /** The slots of the capabilities a message transfers are full, and none holds a reply capability. */
    static Status transferLookups(Task t, long info) {
        CSpace cspace = t.space().cspace();
        for (int i = 0; i < MessageInfo.caps(info); i++) {
            if (!transferable(cspace.slot(t.sendCap(i)))) {
                return Status.INVALID_CAPABILITY;
            }
        }
        return Status.OK;
    }

    /**
     * A message sent through slot {@code cap}, in SPEC section 7's order: the info word and every
     * slot index (INVALID_ARGUMENT); the endpoint, then each transferred capability
     * (INVALID_CAPABILITY); {@code rights} on the endpoint, and GRANT if capabilities go with it
     * (INSUFFICIENT_RIGHTS).
     */
    static Status message(Task t, int cap, long info, int rights) {
        CSpace cspace = t.space().cspace();
        Status s = sendable(info);
        if (s == Status.OK) {
            s = transferRanges(t, info);
        }
        if (s == Status.OK) {
            s = cspace.inRange(cap) ? Status.OK : Status.INVALID_ARGUMENT;
        }
        if (s == Status.OK) {
            s = endpointLookup(cspace, cap);
        }
        if (s == Status.OK) {
            s = transferLookups(t, info);
        }
        if (s == Status.OK) {
            int needed = MessageInfo.caps(info) > 0 ? rights | Rights.GRANT : rights;
            s = Rights.has(cspace.slot(cap).rights(), needed) ? Status.OK : Status.INSUFFICIENT_RIGHTS;
        }
        return s;
    }

    /** A capability that may travel in a message: not empty, not a reply capability. */
    static boolean transferable(Slot slot) {
        return !slot.isEmpty() && slot.object().type() != ObjectType.REPLY;
    }

    /**
     * The reply-pool entry {@code handle} names in {@code space}: its slot holds a reply capability of
     * that entry's current generation. Null for anything else: a stale or forged handle.
     * {@code anyGeneration} skips the generation check: only the injected fault STALE_HANDLE_ACCEPTED
     * sets it.
     */
    static ReplyPoolEntry handle(Space space, long handle, boolean anyGeneration) {
        CSpace cs = space.cspace();
        int slot = Handles.slot(handle);
        if (!cs.inRange(slot) || !(cs.slot(slot).object() instanceof ReplyPoolEntry entry)) {
            return null;
        }
        return entry.isNamedBy(handle) || anyGeneration ? entry : null;
    }

    static Status endpointLookup(CSpace cspace, int cap) {
        Slot slot = cspace.slot(cap);
        return slot.isEmpty() || slot.object().type() != ObjectType.ENDPOINT ? Status.INVALID_CAPABILITY : Status.OK;
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
