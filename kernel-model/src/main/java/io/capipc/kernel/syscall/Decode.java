package io.capipc.kernel.syscall;

import io.capipc.api.Handles;
import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.cap.CSpace;
import io.capipc.cap.Slot;
import io.capipc.kernel.object.AsyncPort;
import io.capipc.kernel.object.ReplyPoolEntry;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;

/**
 * The decode half of a syscall (docs/semantics.md §7): each check returns {@link Reason#NONE} or why the
 * syscall is refused, and changes nothing but the task's decode results ({@link Task#decoded}), which
 * invoke then uses instead of looking anything up again. User-supplied numbers are allegations until
 * these accept them. The order of the checks is section 7's: argument ranges, capability lookups
 * (source before destination), rights, context state, RANGE, WOULD_BLOCK.
 */
final class Decode {
    private Decode() {}

    /** A timeout: negative is out of range, checked before anything else. */
    static Reason timeout(long timeout) {
        return timeout < 0 ? Reason.TIMEOUT_NEGATIVE : Reason.NONE;
    }

    /** An info word user code may send (docs/semantics.md §3), and which of its fields is wrong if not. */
    static Reason sendable(long info) {
        if (MessageInfo.isSendable(info)) {
            return Reason.NONE;
        }
        if (MessageInfo.label(info) < 0) {
            return Reason.LABEL_NEGATIVE;
        }
        if (MessageInfo.length(info) > MessageInfo.MAX_LENGTH) {
            return Reason.LENGTH_OVER_64;
        }
        if (MessageInfo.caps(info) > MessageInfo.MAX_CAPS) {
            return Reason.CAPS_OVER_4;
        }
        return MessageInfo.isSystem(info) ? Reason.SYSTEM_FLAG : Reason.KIND_OR_RESERVED_BITS;
    }

    /** A slot index. */
    static Reason slot(CSpace cs, long slot) {
        return cs.inRange(slot) ? Reason.NONE : Reason.SLOT_OUT_OF_RANGE;
    }

    /**
     * The slots a message transfers are in range. They are read from the copy
     * {@link Task#latchSendCaps} made (docs/semantics.md §7, read once), never from the IPC buffer again;
     * the word was checked first, so it names at most 4.
     */
    static Reason transferRanges(Task t, long info) {
        CSpace cs = t.space().cspace();
        for (int i = 0; i < MessageInfo.caps(info); i++) {
            if (!cs.inRange(t.sendCap(i))) {
                return Reason.TRANSFER_SLOT_OUT_OF_RANGE;
            }
        }
        return Reason.NONE;
    }

    /** The slots a message transfers are full, and none holds a reply capability. */
    static Reason transferLookups(Task t, long info) {
        CSpace cs = t.space().cspace();
        for (int i = 0; i < MessageInfo.caps(info); i++) {
            if (!transferable(cs.slot(t.sendCap(i)))) {
                return Reason.TRANSFER_SLOT_UNUSABLE;
            }
        }
        return Reason.NONE;
    }

    /** A capability that may travel in a message: not empty, not a reply capability. */
    static boolean transferable(Slot slot) {
        return !slot.isEmpty() && slot.object().type() != ObjectType.REPLY_POOL_ENTRY;
    }

    /**
     * The one lookup: slot {@code cap} (in range, checked before) holds an object of {@code type};
     * it is left in {@link Task#decodedSlot}.
     */
    static Reason object(Task t, int cap, ObjectType type) {
        Slot slot = t.space().cspace().slot(cap);
        if (slot.isEmpty()) {
            return Reason.EMPTY_SLOT;
        }
        if (slot.object().type() != type) {
            return switch (type) {
                case ENDPOINT -> Reason.NOT_AN_ENDPOINT;
                case NOTIFICATION -> Reason.NOT_A_NOTIFICATION;
                case ASYNC_PORT -> Reason.NOT_AN_ASYNC_PORT;
                case REGION -> Reason.NOT_A_REGION;
                case REPLY_POOL_ENTRY -> Reason.REPLY_CAPABILITY;
                case UNTYPED -> Reason.NOT_AN_UNTYPED;
                case TASK -> Reason.NOT_A_TASK;
                case SPACE -> throw new AssertionError("no syscall acts through a Space capability");
            };
        }
        t.decoded(slot);
        return Reason.NONE;
    }

    /** The decoded capability has {@code rights}; the reason names the first it lacks. */
    static Reason rights(Task t, int rights) {
        int held = t.decodedSlot().rights();
        if (!Rights.has(held, rights)) {
            return Rights.has(held, rights & Rights.READ) ? Reason.NEEDS_WRITE : Reason.NEEDS_READ;
        }
        return Reason.NONE;
    }

    /** Range, lookup and rights of one capability of {@code type} in slot {@code cap}, in that order. */
    static Reason capability(Task t, int cap, ObjectType type, int rights) {
        Reason r = slot(t.space().cspace(), cap);
        if (r == Reason.NONE) {
            r = object(t, cap, type);
        }
        return r == Reason.NONE ? rights(t, rights) : r;
    }

    /**
     * A message sent through slot {@code cap}, in docs/semantics.md §7's order: the info word and every
     * slot index; the endpoint, then each transferred capability; {@code rights} on the endpoint,
     * and GRANT if capabilities go with it. The endpoint's slot is left in {@link Task#decodedSlot}.
     */
    static Reason message(Task t, int cap, long info, int rights) {
        return message(t, cap, info, rights, false);
    }

    /**
     * As {@link #message(Task, int, long, int)}; with {@code viaPort}, {@code cap} may also name an
     * async port (a Call through it, docs/semantics.md §5.5): {@code rights} are checked on the port's
     * capability, GRANT on the port's own capability to its endpoint, then the port must not be
     * revoked; the port's endpoint slot is what is left in {@link Task#decodedSlot}, so the Call
     * queues through it, behind what the port queued.
     */
    static Reason message(Task t, int cap, long info, int rights, boolean viaPort) {
        Reason r = sendable(info);
        if (r == Reason.NONE) {
            r = transferRanges(t, info);
        }
        if (r == Reason.NONE) {
            r = slot(t.space().cspace(), cap);
        }
        boolean port = r == Reason.NONE && viaPort && t.space().cspace().slot(cap).object() instanceof AsyncPort;
        if (r == Reason.NONE) {
            r = object(t, cap, port ? ObjectType.ASYNC_PORT : ObjectType.ENDPOINT);
        }
        if (r == Reason.NONE) {
            r = transferLookups(t, info);
        }
        if (r == Reason.NONE) {
            r = rights(t, rights);
        }
        if (r == Reason.NONE && port) {
            AsyncPort p = (AsyncPort) t.decodedSlot().object();
            if (AsyncSyscalls.isRevoked(p)) {
                return Reason.PORT_REVOKED;
            }
            t.decoded(p.endpointSlot());
        }
        if (r == Reason.NONE && MessageInfo.caps(info) > 0 && !Rights.has(t.decodedSlot().rights(), Rights.GRANT)) {
            r = Reason.NEEDS_GRANT;
        }
        return r;
    }

    /**
     * The reply-pool entry {@code handle} names in {@code t}'s Space: its slot holds a reply
     * capability of that entry's current generation. Anything else, a stale or forged handle, is
     * {@link Reason#STALE_HANDLE}. The entry is left in {@link Task#decodedEntry}.
     */
    static Reason handle(Task t, long handle) {
        Space space = t.space();
        int slot = Handles.slot(handle);
        if (!space.cspace().inRange(slot) || !(space.cspace().slot(slot).object() instanceof ReplyPoolEntry entry)
                || !entry.isNamedBy(handle)) {
            return Reason.STALE_HANDLE;
        }
        t.decoded(entry);
        return Reason.NONE;
    }

    /** Without a context: CALLER_GONE if the caller gave up on the one held, else NO_CONTEXT. */
    static Reason noContext(Task t) {
        return t.holdsCancelled() ? Reason.CALLER_GONE : Reason.NO_CONTEXT;
    }
}
