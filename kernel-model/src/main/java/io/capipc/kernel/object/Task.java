package io.capipc.kernel.object;

import org.jspecify.annotations.Nullable;

import io.capipc.api.TaskState;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;

/**
 * A thread of control: seL4's TCB (docs/semantics.md §1).
 *
 * <p>A task runs in one {@link Space}, owns an IPC buffer ({@link Registers}) and one caller context
 * ({@link CallerContext}) for its own Calls, and may hold one <em>current</em> context: the Call it received
 * and has not yet answered. All of it is created with the task, so no syscall allocates.
 *
 * <p>States are {@link TaskState}. While queued on an endpoint the task also records what it is
 * sending: the info word and the badge of the capability it invoked, which is how a receiver learns
 * an unforgeable badge (docs/semantics.md guarantee 1). Queue links are intrusive: a task is in at most one queue.
 * Only kernel transitions change a task, under the kernel's lock.
 *
 * <p>Where the state lives follows who writes it (docs/benchmarks.md, "The line budget"): what a
 * partner's transition writes every time (the {@link TaskState}, whether the task holds a context,
 * is queued, or has its own context held) is a line of its own, {@code stateLine}, written without being
 * read; what partners only read (the references those flags validate, the queued send) is in
 * {@link TaskShared}, padded apart, each field written only when it changes; the message, the status
 * and the wake go to its mailbox; what its own syscalls write every time is here, two lines further.
 * The endpoint it waits on is kept only while it waits: {@link #blockedOn()} is null in every other
 * state.
 */
public final class Task extends TaskSharedPad {
    private static final TaskState[] STATES = TaskState.values();
    /** Task control (docs/semantics.md §13): restarts so far, how the last run ended, its fault. */
    private int restarts;
    private int ended = io.capipc.api.TaskInfo.ALIVE;
    private int faultKind;
    private int faultHash;
    /** The thread running this task on the threaded runtime (null on the deterministic driver). */
    private @Nullable Thread runner;
    /** The object Task capabilities name, made the first time the boot API hands one out. */
    private @Nullable TaskControl control;

    /** What decode resolved for the syscall being made, for invoke to use: nothing is looked up twice. */
    private @Nullable Slot decodedSlot;
    private @Nullable ReplyPoolEntry decodedEntry;

    public Task(int id, String name, Space space) {
        super(id, name, space);
        state(TaskState.INACTIVE);
        space.taskCreated();
    }

    private void state(TaskState s) {
        stateLine[STATE] = (byte) s.ordinal();
    }

    /** Kernel, {@link CallerContext}: this task now holds {@code c} as its current context. */
    void hold(CallerContext c) {
        if (held != c) {
            held = c;
        }
        stateLine[HOLDS] = 1;
    }

    /** Kernel, {@link CallerContext}: this task holds no current context any more. */
    void releaseHeld() {
        stateLine[HOLDS] = 0;
    }

    /** The queue this task is linked into, or null. */
    @Nullable TaskQueue queuedIn() {
        return stateLine[QUEUED] != 0 ? queuedIn : null;
    }

    /** {@link TaskQueue}: linked into {@code q}, or (null) into none. */
    void queuedIn(@Nullable TaskQueue q) {
        if (q != null && queuedIn != q) {
            queuedIn = q;
        }
        stateLine[QUEUED] = (byte) (q != null ? 1 : 0);
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Space space() {
        return space;
    }

    /** The capability slot decode resolved for the syscall being made (docs/semantics.md §7: decode, then invoke). */
    public Slot decodedSlot() {
        return decodedSlot;
    }

    /** Decode: {@code slot} is the capability the syscall being made acts through. */
    public void decoded(Slot slot) {
        if (decodedSlot != slot) {
            decodedSlot = slot; // only when it changes: the heap may put a partner-read object on this line
        }
    }

    /** The reply-pool entry decode resolved from the handle of the syscall being made. */
    public ReplyPoolEntry decodedEntry() {
        return decodedEntry;
    }

    /** Decode: {@code entry} is the one the handle of the syscall being made names. */
    public void decoded(ReplyPoolEntry entry) {
        if (decodedEntry != entry) {
            decodedEntry = entry;
        }
    }

    /** The async port entry this task carries, or null for every task a boot API or user made. */
    public @Nullable Courier courier() {
        return courier;
    }

    /** Kernel, once, when an async port is made: this task carries {@code c}. */
    void carries(Courier c) {
        courier = c;
    }

    /**
     * Kernel: the capability slots a carrier's message transfers, instead of a latched IPC buffer;
     * capability {@code i} moves on if bit {@code i} of {@code moves} is set.
     */
    public void sendCapsAt(int first, int n, int moves) {
        for (int i = 0; i < n; i++) {
            sendCaps[i] = first + i;
            sendMoves[i] = (moves & (1 << i)) != 0;
        }
    }

    /** The IPC buffer. */
    public Registers ipc() {
        return registers;
    }

    /** This task's own caller context, used when it Calls. */
    public CallerContext ownContext() {
        return reply;
    }

    /** The context this task holds as a server, or null. */
    public @Nullable CallerContext heldContext() {
        return stateLine[HOLDS] != 0 ? held : null;
    }

    public TaskState state() {
        return STATES[stateLine[STATE]];
    }

    /** The endpoint or notification whose queue this task is in, or null. */
    public @Nullable KernelObject blockedOn() {
        return switch (state()) {
            case BLOCKED_ON_SEND, BLOCKED_ON_RECEIVE, BLOCKED_ON_NOTIFICATION -> blockedOn;
            default -> null;
        };
    }

    private void blockedOn(KernelObject on) {
        if (blockedOn != on) {
            blockedOn = on;
        }
    }

    /** Clears what a queued send left; only what is set, so a completion writes no line it need not. */
    private void sendDone() {
        if (sendSlot != null) {
            sendSlot = null;
        }
        if (isCall) {
            isCall = false;
        }
    }

    /** True if the queued send is a Call. */
    public boolean isCall() {
        return isCall;
    }

    /** The info word of the queued send. */
    public long sendInfo() {
        return sendInfo;
    }

    /** The badge of the capability the queued send invoked. */
    public long sendBadge() {
        return sendBadge;
    }

    /** The slot of the capability the queued send invoked: deleting it releases the send. */
    public Slot sendSlot() {
        return sendSlot;
    }

    /** Kernel: the capability the queued send invoked moved to {@code to}. */
    public void sendSlotMoved(Slot to) {
        sendSlot = to;
    }

    /** True if the capability this task last received through has GRANT: it may then reply with capabilities. */
    public boolean receiveGrant() {
        return receiveGrant;
    }

    /** Kernel: the task receives through a capability with (or without) GRANT. */
    public void receivingWithGrant(boolean grant) {
        if (receiveGrant != grant) {
            receiveGrant = grant;
        }
    }

    /** The notification bound to this task, or null. */
    public @Nullable Notification boundNotification() {
        return bound;
    }

    /** Kernel: set by {@link Notification#bind} and {@link Notification#unbind}. */
    void boundTo(Notification n) {
        bound = n;
    }

    /** When the blocked syscall times out, on the kernel's clock; Long.MAX_VALUE: never. */
    public long deadline() {
        return deadline;
    }

    /** Kernel: the blocked syscall's deadline. */
    public void deadline(long at) {
        deadline = at;
    }

    /** True if the context this task held was cancelled: its caller gave up (docs/semantics.md §6). */
    public boolean holdsCancelled() {
        return holdsCancelled;
    }

    /** Kernel: sets or clears the cancelled-context mark. */
    public void holdsCancelled(boolean cancelled) {
        if (holdsCancelled != cancelled) {
            holdsCancelled = cancelled;
        }
    }

    /** Kernel: INACTIVE becomes RUNNING. */
    public void start() {
        requireState(TaskState.INACTIVE);
        state(TaskState.RUNNING);
    }

    /** Kernel: the task blocks sending on {@code ep}; the caller then queues it. */
    public void blockOnSend(Endpoint ep, Slot via, long info, boolean call) {
        blockOnSend(ep, via, info, call, via.badge());
    }

    /**
     * Kernel: as {@link #blockOnSend(Endpoint, Slot, long, boolean)}, with the badge the receiver
     * will see given (an async reply carries its tag there).
     */
    public void blockOnSend(Endpoint ep, Slot via, long info, boolean call, long badge) {
        state(TaskState.BLOCKED_ON_SEND);
        blockedOn(ep);
        sendSlot = via;
        sendInfo = info;
        sendBadge = badge;
        isCall = call;
    }

    /** Kernel: the task blocks receiving on {@code ep}; the caller then queues it. */
    public void blockOnReceive(Endpoint ep) {
        state(TaskState.BLOCKED_ON_RECEIVE);
        blockedOn(ep);
    }

    /** Kernel: the task waits on notification {@code n}; the caller then queues it. */
    public void blockOnNotification(Notification n) {
        state(TaskState.BLOCKED_ON_NOTIFICATION);
        blockedOn(n);
    }

    /** Kernel: the task's Call was taken; it waits for the holder of its context. */
    public void blockOnReply() {
        state(TaskState.BLOCKED_ON_REPLY);
        sendDone();
    }

    /** Kernel: the task's syscall completes with {@code status}; it runs again. */
    public void complete(Status status) {
        state(TaskState.RUNNING);
        if (deadline != Long.MAX_VALUE) {
            deadline = Long.MAX_VALUE;
        }
        sendDone();
        registers.complete(status);
    }

    /**
     * The TCB's slot holding this task's fault endpoint capability (empty for none), copied from the
     * task's Space when it was created (docs/semantics.md §7): a child of that capability, so revoking it
     * takes the fault endpoint away, but nothing the task does to its own slots redirects it.
     */
    public Slot faultCap() {
        return tcb.slot(0);
    }

    /** The TCB's capability space (one slot, {@link #faultCap()}); for views and invariants. */
    public CSpace tcbSpace() {
        return tcb;
    }

    /**
     * Kernel, read once (docs/semantics.md §7): copies the capability slots {@code info} names for transfer
     * out of the IPC buffer; decode checks and delivery use only this copy.
     */
    public void latchSendCaps(long info) {
        int n = Math.min(MessageInfo.caps(info), MessageInfo.MAX_CAPS);
        for (int i = 0; i < n; i++) {
            sendCaps[i] = registers.cap(i);
            sendMoves[i] = registers.move(i);
        }
    }

    /** True if capability {@code i} was marked MOVE, as read by the last {@link #latchSendCaps}. */
    public boolean sendMove(int i) {
        return sendMoves[i];
    }

    /** The slot of capability {@code i} as read by the last {@link #latchSendCaps}. */
    public int sendCap(int i) {
        return sendCaps[i];
    }

    /**
     * Kernel, read once: copies the receive slots out of the IPC buffer when a receiving syscall
     * starts (Recv, NBRecv, ReplyWait, Call); a message that arrives later uses this copy. Written only
     * where it changed, so the sender's core, which reads it at delivery, keeps its copy of the line.
     */
    public void latchReceiveSlots() {
        for (int i = 0; i < MessageInfo.MAX_CAPS; i++) {
            int r = registers.receiveSlot(i);
            if (receiveSlots[i] != r) {
                receiveSlots[i] = r;
            }
        }
    }

    /** Receive slot {@code i} as read by the last {@link #latchReceiveSlots}. */
    public int receiveSlot(int i) {
        return receiveSlots[i];
    }

    /** The TASK_FAULTED notice sent about this task when its body throws; a task faults at most once. */
    public Notice faultedNotice() {
        return faulted;
    }

    /** Kernel: the task has ended; true if it was the last live task of its Space. */
    public boolean die() {
        state(TaskState.DEAD);
        sendDone();
        deadline = Long.MAX_VALUE;
        return space.taskDied();
    }

    // ---- Task control (docs/semantics.md §13).

    /** How many times Restart started this task again. */
    public int restarts() {
        return restarts;
    }

    /** How its last run ended: {@link io.capipc.api.TaskInfo#ALIVE} until it ends, then EXITED, FAULTED or KILLED. */
    public int ended() {
        return ended;
    }

    /** The kind of the fault that ended its last run (0 unless it faulted). */
    public int faultKind() {
        return faultKind;
    }

    /** The hash of the class name of the fault that ended its last run (0 unless it faulted). */
    public int faultHash() {
        return faultHash;
    }

    /** Kernel: the run that just ended ended {@code how}, with this fault (0, 0 unless FAULTED). */
    public void ended(int how, int kind, int hash) {
        ended = how;
        faultKind = kind;
        faultHash = hash;
    }

    /** True if this task's last run was ended by a kill (and it was not restarted since). */
    public boolean wasKilled() {
        return ended == io.capipc.api.TaskInfo.KILLED;
    }

    /** The thread that runs this task on the threaded runtime, or null (the driver, or not started). */
    public @Nullable Thread runner() {
        return runner;
    }

    /** Runtime, under the kernel's lock: {@code thread} runs this task from now on. */
    public void runner(@Nullable Thread thread) {
        runner = thread;
    }

    /** The object Task capabilities to this task name, or null if none was made yet. */
    public @Nullable TaskControl control() {
        return control;
    }

    /** Boot API, once: Task capabilities name {@code c}. */
    public void control(TaskControl c) {
        if (control != null) {
            throw new AssertionError(this + " has a task object already");
        }
        control = c;
    }

    /**
     * Restart: a DEAD task runs again, from the start of its body, in the same Space with the same
     * fault endpoint. Its IPC buffer is {@code fresh} (the threaded runtime's new one) or, if null,
     * this one cleared in place (the driver, allocating nothing). Everything a run leaves is reset;
     * the restart count goes up. A TASK_FAULTED notice about its last run that is still queued stays.
     */
    public void restart(@Nullable Registers fresh) {
        requireState(TaskState.DEAD);
        if (heldContext() != null || queuedIn() != null || bound != null || reply.isHeld()) {
            throw new AssertionError(this + " is dead but still holds a context, a queue place, a binding"
                    + " or its own held context");
        }
        if (fresh != null) {
            registers = fresh;
        } else {
            registers.reset();
        }
        space.taskCreated();
        restarts++;
        ended(io.capipc.api.TaskInfo.ALIVE, 0, 0);
        holdsCancelled = false;
        receiveGrant = false;
        deadline = Long.MAX_VALUE;
        decodedSlot = null;
        decodedEntry = null;
        for (int i = 0; i < MessageInfo.MAX_CAPS; i++) {
            sendCaps[i] = 0;
            receiveSlots[i] = -1;
        }
        state(TaskState.RUNNING);
    }

    /** Runtime: a fresh IPC buffer for a restart on the threaded runtime. */
    public static Registers freshRegisters() {
        return new Registers();
    }

    /** Raises AssertionError unless the task is in {@code expected}: a kernel bug otherwise. */
    public void requireState(TaskState expected) {
        if (state() != expected) {
            throw new AssertionError(this + " is " + state() + ", expected " + expected);
        }
    }

    @Override
    public String toString() {
        return name + "#" + id;
    }
}
