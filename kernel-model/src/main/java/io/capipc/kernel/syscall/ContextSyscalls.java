package io.capipc.kernel.syscall;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.CapabilityListener;
import io.capipc.cap.Derivation;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.ReplyPoolEntry;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import java.lang.foreign.MemorySegment;

/**
 * Suspended contexts (SPEC section 5.2; QNX keeps rcvids, seL4 keeps reply capabilities): Suspend,
 * Resume, and Reply, Forward, Read, Write and CallerInfo by handle.
 *
 * <p>Suspend moves the current context into an entry of the Space's reply pool, whose capability
 * goes into the lowest free slot; the handle is that slot and the entry's generation. Any task of the
 * Space may use the handle. Reply, Forward and Resume consume it: the capability is deleted and the
 * entry goes back to the pool. Delete of the capability drops the context (its caller gets NO_REPLY).
 * A handle whose caller has gone answers CANCELLED (Read, Write, CallerInfo, Forward) or drops the
 * reply (Reply, OK); a handle that names no entry as it is now is INVALID_CAPABILITY.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock and {@code t} is RUNNING.
 */
public final class ContextSyscalls {
    private final MessageSyscalls messages;
    private final CapabilityListener events;
    private final InjectedBugs faults;

    public ContextSyscalls(MessageSyscalls messages, CapabilityListener events, InjectedBugs faults) {
        this.messages = messages;
        this.events = events;
        this.faults = faults;
    }

    /** Suspend: NO_CALLER (or CANCELLED) without a current context; NO_SPACE without a free entry or slot. */
    public Status suspend(Task t) {
        CallerContext context = t.heldContext();
        if (context == null) {
            return t.ipc().complete(BufferSyscalls.noContext(t));
        }
        Space space = t.space();
        int slot = lowestEmptySlot(space.cspace());
        if (slot < 0 || !space.hasFreeEntry()) {
            return t.ipc().complete(Status.NO_SPACE);
        }
        if (faults.has(InjectedBug.SUSPEND_ALLOCATES)) {
            MessageSyscalls.sink = new long[2];
        }
        ReplyPoolEntry entry = space.takeEntry(slot);
        Derivation.installOriginal(space.cspace().slot(slot), entry, Rights.NONE, 0);
        context.suspend(entry);
        t.ipc().handle(entry.handle());
        return t.ipc().complete(Status.OK);
    }

    /**
     * Resume: stale handle INVALID_CAPABILITY, then a current context already held INVALID_ARGUMENT.
     * If the caller has gone, {@code t} now holds a cancelled context, as if it had gone after.
     */
    public Status resume(Task t, long handle) {
        ReplyPoolEntry entry = Decode.handle(t.space(), handle, faults.has(InjectedBug.STALE_HANDLE_ACCEPTED));
        Status s = entry == null ? Status.INVALID_CAPABILITY : t.heldContext() != null ? Status.INVALID_ARGUMENT : Status.OK;
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        CallerContext context = entry.context();
        t.holdsCancelled(context == null);
        if (context != null) {
            context.resume(t);
        }
        consume(t, entry);
        return t.ipc().complete(Status.OK);
    }

    /** Reply by handle: Reply's checks, the handle among the lookups; a caller that has gone: OK, dropped. */
    public Status reply(Task t, long handle, long info) {
        t.latchSendCaps(info);
        ReplyPoolEntry entry = Decode.handle(t.space(), handle, faults.has(InjectedBug.STALE_HANDLE_ACCEPTED));
        Status s = MessageSyscalls.replyChecks(t, info, entry == null ? Status.INVALID_CAPABILITY : Status.OK,
                entry == null ? null : entry.context());
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        if (entry.context() == null && faults.has(InjectedBug.GONE_REPLY_FAILS)) {
            return t.ipc().complete(Status.CANCELLED);
        }
        if (entry.context() != null) {
            messages.answer(t, entry.context(), info);
        }
        consume(t, entry);
        return t.ipc().complete(Status.OK);
    }

    /** Forward by handle: the word and slot ranges, the handle, the endpoint and WRITE, then CANCELLED. */
    public Status forward(Task t, long handle, int cap, long info) {
        CSpace cs = t.space().cspace();
        Status s = MessageInfo.caps(info) == 0 && cs.inRange(cap) ? Decode.sendable(info) : Status.INVALID_ARGUMENT;
        ReplyPoolEntry entry = Decode.handle(t.space(), handle, faults.has(InjectedBug.STALE_HANDLE_ACCEPTED));
        if (s == Status.OK && entry == null) {
            s = Status.INVALID_CAPABILITY;
        }
        if (s == Status.OK) {
            s = Decode.message(t, cap, info, Rights.WRITE);
        }
        if (s == Status.OK && entry.context() == null) {
            s = Status.CANCELLED;
        }
        if (s != Status.OK) {
            return t.ipc().complete(s);
        }
        messages.pass(t, entry.context(), cap, info);
        consume(t, entry);
        return t.ipc().complete(Status.OK);
    }

    /** Read by handle. */
    public Status read(Task t, long handle, long offset, MemorySegment dst) {
        ReplyPoolEntry entry = Decode.handle(t.space(), handle, faults.has(InjectedBug.STALE_HANDLE_ACCEPTED));
        return BufferSyscalls.read(t, entry == null ? null : entry.context(), absent(entry), offset, dst);
    }

    /** Write by handle. */
    public Status write(Task t, long handle, long offset, MemorySegment src) {
        ReplyPoolEntry entry = Decode.handle(t.space(), handle, faults.has(InjectedBug.STALE_HANDLE_ACCEPTED) || faults.has(InjectedBug.WRITE_HANDLE_WRONG_CONTEXT));
        return BufferSyscalls.write(t, entry == null ? null : entry.context(), absent(entry), offset, src);
    }

    /** CallerInfo by handle. */
    public Status callerInfo(Task t, long handle) {
        ReplyPoolEntry entry = Decode.handle(t.space(), handle, faults.has(InjectedBug.STALE_HANDLE_ACCEPTED));
        return BufferSyscalls.callerInfo(t, entry == null ? null : entry.context(), absent(entry));
    }

    /** Why a handle has no context: it names nothing (INVALID_CAPABILITY) or its caller has gone (CANCELLED). */
    private static Status absent(ReplyPoolEntry entry) {
        return entry == null ? Status.INVALID_CAPABILITY : Status.CANCELLED;
    }

    /** Deletes the entry's capability; with no context left in it, that only returns it to the pool. */
    private void consume(Task t, ReplyPoolEntry entry) {
        Derivation.delete(t.space().cspace().slot(entry.slot()), events);
    }

    private static int lowestEmptySlot(CSpace cs) {
        for (int i = 0; i < cs.size(); i++) {
            if (cs.slot(i).isEmpty()) {
                return i;
            }
        }
        return -1;
    }
}
