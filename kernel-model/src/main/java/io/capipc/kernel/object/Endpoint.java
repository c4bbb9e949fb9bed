package io.capipc.kernel.object;

import org.jspecify.annotations.Nullable;

import io.capipc.api.ObjectType;
import io.capipc.api.SystemMessage;
import io.capipc.api.TaskState;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import io.capipc.kernel.inspect.QueueState;
import java.util.List;

/**
 * A synchronous rendezvous point (docs/semantics.md §1; seL4's endpoint).
 *
 * <p>States: {@link Queue#IDLE} (nobody waits), {@link Queue#SENDERS} (tasks blocked in Send or Call,
 * oldest first) or {@link Queue#RECEIVERS} (tasks blocked in Recv, oldest first): never both at once,
 * because a sender that finds a receiver waiting delivers at once, and the other way round (docs/semantics.md
 * guarantee 9). The queue is a {@link TaskQueue}, linked through the tasks: queueing allocates
 * nothing and a task is taken out of the middle in O(1) (release on Delete, cancellation).
 *
 * <p>Invariant: every queued task's state is BLOCKED_ON_SEND (SENDERS) or BLOCKED_ON_RECEIVE
 * (RECEIVERS), the same for all, and names this endpoint. Which of the two the queue holds is also
 * recorded on the queue's own line ({@link #holdsReceivers}), so a transition finding the head need
 * not read the head's state, a line its partner wrote; the invariants check that they agree.
 *
 * <p>System messages wait in a second FIFO, of {@link Notice}s, ahead of queued senders: a receiver
 * takes them first. Like senders, they never wait while a receiver does. Which kinds the endpoint
 * accepts is its mask, set by a holder of READ; a notice of another kind is not posted at all.
 */
public final class Endpoint extends EndpointPad {
    private @Nullable Notice noticeHead;
    private @Nullable Notice noticeTail;
    private int accepts = SystemMessage.TASK_FAULTED.bit();

    /** Badge records an endpoint is made with unless its creator says otherwise; more are made as needed. */
    public static final int DEFAULT_BADGES = 16;

    /**
     * An endpoint that tracks up to 65 536 distinct badges at once (live or waiting to be reported),
     * {@value #DEFAULT_BADGES} of them without making a record.
     */
    public Endpoint(int id) {
        super(id, BadgeTable.BOOT_LIMIT, DEFAULT_BADGES);
    }

    /** An endpoint that tracks at most {@code badges} distinct badges at once, all preallocated (see {@link BadgeRecord}). */
    public Endpoint(int id, int badges) {
        super(id, badges, badges);
    }

    /**
     * {@code slot} was just filled (Copy, Mint, Mutate, transfer, boot install, a TCB copy): a badged
     * endpoint capability is counted in its badge's record, which the caller made sure exists or can
     * be had ({@link #canCount(KernelObject, long)}).
     */
    public static void countIfBadged(Slot slot) {
        if (slot.object() instanceof Endpoint ep && slot.badge() != 0) {
            ep.count(slot.badge());
        }
    }

    /** True if a slot filled with {@code object} and {@code badge} can be counted (else NO_SPACE). */
    public static boolean canCount(KernelObject object, long badge) {
        return !(object instanceof Endpoint ep) || badge == 0 || ep.canCount(badge);
    }

    /** The live record counting {@code badge}, or null. */
    public @Nullable BadgeRecord liveRecord(long badge) {
        return badges.live(badge);
    }

    /**
     * True if a capability with {@code badge} (non-zero) can be counted now: its record is live, one
     * is free, or one more may be made (under the endpoint's limit and, if Retype made it, within
     * its untyped's budget).
     */
    public boolean canCount(long badge) {
        return badges.canCount(badge);
    }

    /** Kernel: one more capability with non-zero {@code badge}; the caller checked {@link #canCount}. */
    public void count(long badge) {
        badges.count(badge);
    }

    /**
     * Kernel: one capability with non-zero {@code badge} fewer; returns its record if that was the
     * last, else null. The caller posts the record's notice, then gives it back with {@link #released}.
     */
    public @Nullable BadgeRecord uncount(long badge) {
        return badges.uncount(badge);
    }

    /** Kernel: {@code r}, returned by {@link #uncount}, had its notice posted (or not): free now unless it waits in the queue. */
    public void released(BadgeRecord r) {
        badges.release(r);
    }

    /** Kernel, Retype: badge records beyond the preallocated ones are charged to {@code u}, which made this endpoint. */
    public void chargeBadgesTo(Untyped u) {
        badges.chargeTo(u, this);
    }

    /** Every badge record, free or not; for views and invariants. */
    public List<BadgeRecord> badgeRecords() {
        return badges.records();
    }

    @Override
    public ObjectType type() {
        return ObjectType.ENDPOINT;
    }

    /** What the queue holds, by its head's state: for views and checks (transitions use {@link #holdsReceivers}). */
    public QueueState queue() {
        Task head = waiting.head();
        if (head == null) {
            return QueueState.IDLE;
        }
        return head.state() == TaskState.BLOCKED_ON_RECEIVE ? QueueState.RECEIVERS : QueueState.SENDERS;
    }

    // ---- The endpoint's own lock, on its queue's line (see syscall.KernelLock).

    /** A fast path takes the endpoint's lock if it is free. */
    public boolean tryLockQueue() {
        return waiting.tryLock();
    }

    /** The fast path that holds the endpoint's lock lets it go. */
    public void unlockQueue() {
        waiting.unlock();
    }

    /** True if a fast path holds the endpoint's lock. */
    public boolean queueLocked() {
        return waiting.isLocked();
    }

    /** True if Call and ReplyWait on this endpoint may take fast paths. */
    public boolean isHot() {
        return waiting.isHot();
    }

    /** Under the kernel-wide lock: Call and ReplyWait on this endpoint may (or may no longer) take fast paths. */
    public void hot(boolean hot) {
        waiting.hot(hot);
    }

    /** How many Calls and ReplyWaits on this endpoint took the fast path. */
    public long fastPaths() {
        return waiting.fastPaths();
    }

    /** A fast path, holding the endpoint's lock, counts itself. */
    public void countFastPath() {
        waiting.countFastPath();
    }

    /** The oldest queued task, or null. */
    public @Nullable Task head() {
        return waiting.head();
    }

    /** The task queued after {@code t}, or null. */
    public static @Nullable Task next(Task t) {
        return TaskQueue.next(t);
    }

    /** The oldest queued sender, or null if no sender waits. */
    public @Nullable Task firstSender() {
        return headIf(TaskState.BLOCKED_ON_SEND);
    }

    /** The oldest queued receiver, or null if no receiver waits. */
    public @Nullable Task firstReceiver() {
        return headIf(TaskState.BLOCKED_ON_RECEIVE);
    }

    /**
     * The head, if it is blocked as {@code state} says; else null. Told by the queue's kind, on the
     * line the transition holds, not by the head's state, which a Call only writes (see {@code Task.stateLine}).
     */
    private @Nullable Task headIf(TaskState state) {
        Task head = waiting.head();
        if (head == null || waiting.receivers() != (state == TaskState.BLOCKED_ON_RECEIVE)) {
            return null;
        }
        assert head.state() == state : head + " heads " + this + "'s queue while " + head.state();
        return head;
    }

    /** Appends {@code t}, whose state already names this endpoint, to the queue of its kind. */
    public void enqueue(Task t, QueueState kind) {
        TaskState blocked = kind == QueueState.SENDERS ? TaskState.BLOCKED_ON_SEND : TaskState.BLOCKED_ON_RECEIVE;
        if (t.state() != blocked || (waiting.head() != null && waiting.head().state() != blocked)) {
            throw new AssertionError(this + " would hold senders and receivers at once, or " + t + " is " + t.state());
        }
        if (t.blockedOn() != this) {
            throw new AssertionError(t + " enqueued on " + this + " while blocked on " + t.blockedOn());
        }
        waiting.receivers(kind == QueueState.RECEIVERS);
        waiting.add(t);
    }

    /** Takes {@code t} out of the queue, wherever it is. */
    public void remove(Task t) {
        waiting.remove(t);
    }

    /** The queue's recorded kind: receivers (else senders); meaningful while a task is queued. */
    public boolean holdsReceivers() {
        return waiting.receivers();
    }

    /** The mask of {@link SystemMessage#bit()}s this endpoint receives. */
    public int accepts() {
        return accepts;
    }

    /** True if this endpoint receives system messages of {@code kind}. */
    public boolean accepts(SystemMessage kind) {
        return (accepts & kind.bit()) != 0;
    }

    /** Kernel: sets the mask of kinds received. */
    public void accept(int mask) {
        accepts = mask;
    }

    /** The oldest queued system message, or null. */
    public @Nullable Notice firstNotice() {
        return noticeHead;
    }

    /** The notice queued after {@code n}, or null. */
    public static @Nullable Notice next(Notice n) {
        return n.next;
    }

    /** Appends {@code n}, which is in no queue, to the notices. */
    public void enqueue(Notice n) {
        if (n.isQueued() || firstReceiver() != null) {
            throw new AssertionError(n.kind() + " notice queued on " + this + " twice or while a receiver waits");
        }
        n.queuedOn(this);
        n.prev = noticeTail;
        if (noticeTail == null) {
            noticeHead = n;
        } else {
            noticeTail.next = n;
        }
        noticeTail = n;
    }

    /** Takes {@code n} out of the notices; its owner is then told by the caller. */
    public void remove(Notice n) {
        if (n.queuedOn() != this) {
            throw new AssertionError(n.kind() + " notice is not queued on " + this);
        }
        if (n.prev == null) {
            noticeHead = n.next;
        } else {
            n.prev.next = n.next;
        }
        if (n.next == null) {
            noticeTail = n.prev;
        } else {
            n.next.prev = n.prev;
        }
        n.next = null;
        n.prev = null;
        n.queuedOn(null);
    }

    @Override
    public String toString() {
        return "endpoint#" + id();
    }
}
