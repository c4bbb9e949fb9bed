package io.capipc.kernel.syscall;

import org.jspecify.annotations.Nullable;

import static io.capipc.kernel.bugs.InjectedBug.GONE_REPLY_FAILS;
import static io.capipc.kernel.bugs.InjectedBug.STALE_HANDLE_ACCEPTED;
import static io.capipc.kernel.bugs.InjectedBug.SUSPEND_ALLOCATES;
import static io.capipc.kernel.bugs.InjectedBug.WRITE_HANDLE_WRONG_CONTEXT;

import io.capipc.api.Handles;
import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.CapabilityListener;
import io.capipc.cap.Derivation;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.ReplyPoolEntry;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import java.lang.foreign.MemorySegment;

/**
 * Suspended contexts (docs/semantics.md §5.2; QNX keeps rcvids, seL4 keeps reply capabilities): Suspend,
 * Resume, and Reply, Forward, Read, Write and CallerInfo by handle.
 *
 * <p>Suspend moves the current context into an entry of the Space's reply pool, whose capability
 * goes into the lowest free slot; the handle names that slot and the entry's generation
 * ({@link Handles}). Any task of the Space may use the handle. Reply, Forward and Resume consume it:
 * the capability is deleted and the entry goes back to the pool. Delete of the capability drops the
 * context (its caller gets NO_REPLY). A handle whose caller has gone answers CANCELLED (Read, Write,
 * CallerInfo, Forward) or drops the reply (Reply, OK); a handle that names no entry as it is now is
 * INVALID_CAPABILITY.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock and {@code t} is RUNNING.
 */
public final class ContextSyscalls {
    private final MessageSyscalls messages;
    private final CapabilityListener events;
    private final InjectedBugs bugs;

    public ContextSyscalls(MessageSyscalls messages, CapabilityListener events, InjectedBugs bugs) {
        this.messages = messages;
        this.events = events;
        this.bugs = bugs;
    }

    /** Suspend: NO_CALLER (or CANCELLED) without a current context; NO_SPACE without a free entry, slot or generation. */
    public Status suspend(Task t) {
        CallerContext context = t.heldContext();
        if (context == null) {
            return t.ipc().refuse(Decode.noContext(t));
        }
        Space space = t.space();
        int slot = lowestEmptySlot(space.cspace());
        Reason r = slot < 0 ? Reason.NO_EMPTY_SLOT : !space.hasFreeEntry() ? Reason.REPLY_POOL_EXHAUSTED
                : !space.hasGeneration() ? Reason.GENERATIONS_EXHAUSTED : Reason.NONE;
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        if (bugs.on(SUSPEND_ALLOCATES)) { InjectedBugs.allocate(); }
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
        Reason r = handle(t, handle, false);
        if (r == Reason.NONE && t.heldContext() != null) {
            r = Reason.ALREADY_HOLDS_CONTEXT;
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        ReplyPoolEntry entry = t.decodedEntry();
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
        Reason lookup = handle(t, handle, false);
        ReplyPoolEntry entry = lookup == Reason.NONE ? t.decodedEntry() : null;
        Reason r = MessageSyscalls.replyChecks(t, info, lookup, entry == null ? null : entry.context());
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        if (entry.context() == null && bugs.on(GONE_REPLY_FAILS)) { return t.ipc().refuse(Reason.CALLER_GONE); }
        if (entry.context() != null) {
            messages.answer(t, entry.context(), info, false);
        }
        consume(t, entry);
        return t.ipc().complete(Status.OK);
    }

    /** Forward by handle: the word and slot ranges, the handle, the endpoint and WRITE, then CANCELLED. */
    public Status forward(Task t, long handle, int cap, long info) {
        CSpace cs = t.space().cspace();
        Reason r = MessageInfo.caps(info) != 0 ? Reason.FORWARD_WITH_CAPS : Decode.sendable(info);
        if (r == Reason.NONE) {
            r = Decode.slot(cs, cap);
        }
        if (r == Reason.NONE) {
            r = handle(t, handle, false);
        }
        if (r == Reason.NONE) {
            r = Decode.object(t, cap, ObjectType.ENDPOINT);
        }
        if (r == Reason.NONE) {
            r = Decode.rights(t, Rights.WRITE);
        }
        if (r == Reason.NONE && t.decodedEntry().context() == null) {
            r = Reason.CALLER_GONE;
        }
        if (r != Reason.NONE) {
            return t.ipc().refuse(r);
        }
        ReplyPoolEntry entry = t.decodedEntry();
        messages.pass(t, entry.context(), t.decodedSlot(), info);
        consume(t, entry);
        return t.ipc().complete(Status.OK);
    }

    /** Read by handle. */
    public Status read(Task t, long handle, long offset, MemorySegment dst) {
        Reason lookup = handle(t, handle, false);
        return BufferSyscalls.read(t, context(t, lookup), absent(lookup), offset, dst);
    }

    /** Write by handle. */
    public Status write(Task t, long handle, long offset, MemorySegment src) {
        Reason lookup = handle(t, handle, bugs.on(WRITE_HANDLE_WRONG_CONTEXT));
        return BufferSyscalls.write(t, context(t, lookup), absent(lookup), offset, src);
    }

    /** CallerInfo by handle. */
    public Status callerInfo(Task t, long handle) {
        Reason lookup = handle(t, handle, false);
        return BufferSyscalls.callerInfo(t, context(t, lookup), absent(lookup));
    }

    /** The handle's lookup; {@code anyGeneration} (and STALE_HANDLE_ACCEPTED) stand for the injected bugs that skip the generation. */
    private Reason handle(Task t, long handle, boolean anyGeneration) {
        Reason r = Decode.handle(t, handle);
        if (r != Reason.NONE && (anyGeneration || bugs.on(STALE_HANDLE_ACCEPTED))) { return InjectedBugs.handleBySlot(t, handle); }
        return r;
    }

    /** The context the looked-up handle names, or null (none, or its caller has gone). */
    private static @Nullable CallerContext context(Task t, Reason lookup) {
        return lookup == Reason.NONE ? t.decodedEntry().context() : null;
    }

    /** Why a handle has no context: it names nothing (its lookup's reason), or its caller has gone. */
    private static Reason absent(Reason lookup) {
        return lookup == Reason.NONE ? Reason.CALLER_GONE : lookup;
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
