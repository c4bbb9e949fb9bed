package io.capipc.kernel;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.Derivation;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import io.capipc.kernel.inspect.BlockedOnGraph;
import io.capipc.kernel.inspect.Invariants;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;
import io.capipc.kernel.syscall.BufferSyscalls;
import io.capipc.kernel.syscall.CapabilityEvents;
import io.capipc.kernel.syscall.CapabilitySyscalls;
import io.capipc.kernel.syscall.ContextSyscalls;
import io.capipc.kernel.syscall.Expiry;
import io.capipc.kernel.syscall.InjectedBug;
import io.capipc.kernel.syscall.InjectedBugs;
import io.capipc.kernel.syscall.MessageSyscalls;
import io.capipc.kernel.syscall.NotificationSyscalls;
import io.capipc.kernel.syscall.SyscallName;
import io.capipc.kernel.syscall.SystemMessages;
import io.capipc.kernel.syscall.Tracer;
import io.capipc.kernel.syscall.Waker;
import io.capipc.kernel.syscall.Wakeups;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The kernel: owner of every kernel object, and the one dispatch point for syscalls.
 *
 * <p>Design principles, in the spirit of Hubris's kernel preface:
 * <ol>
 *   <li><b>One transition, two runtimes.</b> Every syscall is one method here, synchronized on the
 *       kernel, so each is one atomic, linearizable transition (SPEC section 1). The deterministic
 *       driver calls these methods from one thread; the threaded runtime calls the same methods from
 *       each task's thread and only adds spinning, parking and waking. No semantics live elsewhere.
 *   <li><b>Decode, then invoke.</b> A syscall checks every argument and capability before it changes
 *       anything, in SPEC section 7's order; a refused syscall has changed nothing.
 *   <li><b>Blocking is a state, not a thread.</b> A syscall that must wait returns null with the task
 *       now blocked; the transition that later completes it writes the status into the task's IPC
 *       buffer and tells the {@link Waker}.
 *   <li><b>Nothing allocated after boot.</b> Every per-task and per-object structure is created by
 *       the boot API; syscalls only rewire it.
 *   <li><b>Three kinds of failure.</b> Bad input from a task is a {@link Status}; misuse of the boot
 *       API by the system builder is an {@link IllegalArgumentException}; a broken kernel invariant
 *       is an {@link AssertionError}.
 * </ol>
 *
 * <p>KEY ASSUMPTION: a task makes a syscall only while RUNNING. The runtimes guarantee it; a call
 * for a task in any other state is a runtime bug and raises AssertionError.
 */
public final class Kernel {
    private final Wakeups wakeups = new Wakeups();
    private final InjectedBugs faults;
    private final MessageSyscalls messages;
    private final CapabilitySyscalls capabilities;
    private final NotificationSyscalls notifications;
    private final Expiry expiry;
    private final ContextSyscalls contexts;
    private final SystemMessages systemMessages;
    private LongSupplier clock = System::nanoTime;
    private final List<Space> spaces = new ArrayList<>();
    private final List<Task> tasks = new ArrayList<>();
    private final List<KernelObject> objects = new ArrayList<>();
    /** Every capability space: each Space's and each task's TCB slot; for invariant checks. */
    private final List<CSpace> cspaces = new ArrayList<>();
    private int nextId;

    /** A kernel as specified. */
    public Kernel() {
        this(InjectedBugs.NONE);
    }

    /** A kernel with deliberate bugs, for the property suite's injected-fault test only. */
    public Kernel(InjectedBugs faults) {
        this.faults = faults;
        this.systemMessages = new SystemMessages(wakeups, faults);
        CapabilityEvents events = new CapabilityEvents(wakeups, faults, systemMessages);
        this.messages = new MessageSyscalls(wakeups, faults);
        this.capabilities = new CapabilitySyscalls(events, faults);
        this.contexts = new ContextSyscalls(messages, events, faults);
        this.notifications = new NotificationSyscalls(wakeups);
        this.expiry = new Expiry(wakeups, systemMessages);
    }

    // ---- Boot API (SPEC section 1): used by whoever builds a system, before or between syscalls.

    /** A new Space with {@code slots} capability slots and no reply pool (Suspend answers NO_SPACE). */
    public synchronized Space createSpace(String name, int slots) {
        return createSpace(name, slots, 0);
    }

    /**
     * A new Space with {@code slots} capability slots and a reply pool of {@code replyPool} entries:
     * at most that many contexts can be suspended in it at once (SPEC section 5.2).
     */
    public synchronized Space createSpace(String name, int slots, int replyPool) {
        requireName(name);
        if (slots < 1) {
            throw new IllegalArgumentException("a space needs at least 1 slot, was " + slots);
        }
        if (replyPool < 0) {
            throw new IllegalArgumentException("a reply pool has 0 or more entries, was " + replyPool);
        }
        int id = nextId++;
        Space space = new Space(id, name, slots, replyPool, nextId);
        nextId += replyPool;
        spaces.add(space);
        cspaces.add(space.cspace());
        return space;
    }

    /** A new Endpoint that tracks up to {@link Endpoint#DEFAULT_BADGES} live badges at once. */
    public synchronized Endpoint createEndpoint() {
        return createEndpoint(Endpoint.DEFAULT_BADGES);
    }

    /**
     * A new Endpoint, named by no capability until one is installed, that tracks up to {@code badges}
     * distinct live badges at once (for BADGE_DISCONNECTED; a Mint of one more gets NO_SPACE).
     */
    public synchronized Endpoint createEndpoint(int badges) {
        if (badges < 0) {
            throw new IllegalArgumentException("an endpoint tracks 0 or more badges, was " + badges);
        }
        Endpoint ep = new Endpoint(nextId++, badges);
        objects.add(ep);
        return ep;
    }

    /** A new Notification, named by no capability until one is installed. */
    public synchronized Notification createNotification() {
        Notification n = new Notification(nextId++);
        objects.add(n);
        return n;
    }

    /** A new task in {@code space} without a fault endpoint, INACTIVE until a runtime starts it. */
    public synchronized Task createTask(Space space, String name) {
        return createTask(space, name, -1);
    }

    /**
     * A new task in {@code space} whose fault endpoint is the endpoint capability now in
     * {@code faultSlot} of that space (-1: none), which must have WRITE. The capability is copied, as
     * a child, into the task's own TCB slot (seL4 MCS's fault-handler slot), so the task cannot aim
     * its faults elsewhere by changing its Space, and revoking the capability takes it away. If the
     * body throws, a TASK_FAULTED system message goes there, with that capability's badge.
     */
    public synchronized Task createTask(Space space, String name, int faultSlot) {
        requireName(name);
        if (!spaces.contains(space)) {
            throw new IllegalArgumentException("space " + space + " is not of this kernel");
        }
        Slot fault = null;
        if (faultSlot != -1) {
            if (!space.cspace().inRange(faultSlot)) {
                throw new IllegalArgumentException("fault slot " + faultSlot + " is out of range 0.." + (space.cspace().size() - 1));
            }
            fault = space.cspace().slot(faultSlot);
            if (!(fault.object() instanceof Endpoint) || !Rights.has(fault.rights(), Rights.WRITE)) {
                throw new IllegalArgumentException("fault slot " + faultSlot + " of " + space
                        + " must hold an endpoint capability with WRITE, holds " + (fault.isEmpty() ? "nothing" : fault.object()
                        + " with rights " + Rights.toString(fault.rights())));
            }
        }
        Task t = new Task(nextId++, name, space);
        if (fault != null) {
            Derivation.derive(fault, t.faultCap(), fault.rights(), fault.badge());
            CapabilityEvents.filled(t.faultCap());
        }
        tasks.add(t);
        cspaces.add(t.tcbSpace());
        return t;
    }

    /** Installs an original capability (a derivation-tree root) to {@code object} in an empty slot. */
    public synchronized void install(Space space, int slot, KernelObject object, int rights, long badge) {
        CSpace cs = space.cspace();
        if (!cs.inRange(slot)) {
            throw new IllegalArgumentException("slot " + slot + " is out of range 0.." + (cs.size() - 1));
        }
        if (!cs.slot(slot).isEmpty()) {
            throw new IllegalArgumentException("slot " + slot + " of " + space + " is occupied");
        }
        if (!Rights.isValid(rights)) {
            throw new IllegalArgumentException("unknown rights bits in " + rights);
        }
        if (!objects.contains(object)) {
            throw new IllegalArgumentException(object + " is not of this kernel");
        }
        if (object.isDestroyed()) {
            throw new IllegalArgumentException(object + " was destroyed when its last capability went");
        }
        if (!CapabilityEvents.countable(object, badge)) {
            throw new IllegalArgumentException(object + " already counts as many badges as it can track");
        }
        Derivation.installOriginal(cs.slot(slot), object, rights, badge);
        CapabilityEvents.filled(cs.slot(slot));
    }

    /** INACTIVE becomes RUNNING; the runtimes call this when they start a task. */
    public synchronized void start(Task task) {
        if (task.state() != TaskState.INACTIVE) {
            throw new IllegalArgumentException(task + " is " + task.state() + ", not INACTIVE");
        }
        task.start();
    }

    /** Installs the runtime's waker; the runtimes call this once. */
    public synchronized void waker(Waker waker) {
        wakeups.waker(waker);
    }

    /** Installs the clock deadlines are measured on (nanoseconds); the runtimes call this. */
    public synchronized void clock(LongSupplier nanos) {
        clock = nanos;
    }

    /** Now, on the kernel's clock. */
    public synchronized long now() {
        return clock.getAsLong();
    }

    /** Installs a tracer (null: none). */
    public synchronized void tracer(Tracer tracer) {
        wakeups.tracer(tracer);
    }

    /** A read-only snapshot of every object (SPEC section 11). */
    public synchronized KernelView inspect() {
        return KernelView.of(spaces, tasks, objects);
    }

    /** Who waits on whom, through which object (SPEC section 11); see {@link BlockedOnGraph}. */
    public synchronized List<BlockedOnGraph.Edge> blockedOnGraph() {
        return BlockedOnGraph.edges(tasks);
    }

    /**
     * The deadlock report of SPEC guarantee 12: the ids of the largest set of blocked tasks that
     * only each other could unblock; empty when there is none.
     */
    public synchronized List<Integer> deadlocked() {
        List<Integer> report = BlockedOnGraph.deadlocked(tasks);
        if (faults.has(InjectedBug.DEADLOCK_REPORT_SPARES_CALLERS)) {
            report = report.stream().filter(id -> !isWaitingForReply(id)).toList();
        }
        if (faults.has(InjectedBug.DEADLOCK_REPORT_SPARES_SUSPENDED)) {
            report = report.stream().filter(id -> tasks.stream().noneMatch(t -> t.id() == id && t.ownContext().suspendedIn() != null)).toList();
        }
        return report;
    }

    private boolean isWaitingForReply(int id) {
        return tasks.stream().anyMatch(t -> t.id() == id && t.state() == TaskState.BLOCKED_ON_REPLY);
    }

    /** Every broken kernel invariant, described; empty when consistent (see {@link Invariants}). */
    public synchronized List<String> invariantViolations() {
        return Invariants.violations(spaces, tasks, objects, cspaces);
    }

    // ---- Syscalls (SPEC section 5): each returns its status, or null if the task is now blocked.

    /** A timeout that never expires. */
    public static final long FOREVER = Long.MAX_VALUE;

    public synchronized Status send(Task t, int cap, long info) {
        return send(t, cap, info, FOREVER);
    }

    /** Send with a timeout in nanoseconds (SPEC section 6): 0 returns TIMEOUT at once if it would block. */
    public synchronized Status send(Task t, int cap, long info, long timeout) {
        running(t);
        Status s = timeout < 0 ? t.ipc().complete(Status.INVALID_ARGUMENT) : timed(t, messages.send(t, cap, info, true), timeout);
        return trace(t, SyscallName.SEND, cap, info, s);
    }

    public synchronized Status nbSend(Task t, int cap, long info) {
        running(t);
        return trace(t, SyscallName.NB_SEND, cap, info, messages.send(t, cap, info, false));
    }

    public synchronized Status call(Task t, int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf) {
        return call(t, cap, info, sendBuf, recvBuf, FOREVER);
    }

    /** Call with one deadline for both the queued and the reply phase. */
    public synchronized Status call(Task t, int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf,
                                    long timeout) {
        running(t);
        Status s = timeout < 0 ? t.ipc().complete(Status.INVALID_ARGUMENT)
                : timed(t, messages.call(t, cap, info, sendBuf, recvBuf), timeout);
        return trace(t, SyscallName.CALL, cap, info, s);
    }

    public synchronized Status recv(Task t, int cap) {
        return recv(t, cap, FOREVER);
    }

    public synchronized Status recv(Task t, int cap, long timeout) {
        running(t);
        Status s = timeout < 0 ? t.ipc().complete(Status.INVALID_ARGUMENT) : timed(t, messages.receive(t, cap, true), timeout);
        return trace(t, SyscallName.RECV, cap, 0, s);
    }

    public synchronized Status nbRecv(Task t, int cap) {
        running(t);
        return trace(t, SyscallName.NB_RECV, cap, 0, messages.receive(t, cap, false));
    }

    public synchronized Status reply(Task t, long info) {
        running(t);
        return trace(t, SyscallName.REPLY, 0, info, messages.reply(t, info));
    }

    public synchronized Status replyWait(Task t, int cap, long info) {
        return replyWait(t, cap, info, FOREVER);
    }

    public synchronized Status replyWait(Task t, int cap, long info, long timeout) {
        running(t);
        Status s = timeout < 0 ? t.ipc().complete(Status.INVALID_ARGUMENT) : timed(t, messages.replyWait(t, cap, info), timeout);
        return trace(t, SyscallName.REPLY_WAIT, cap, info, s);
    }

    public synchronized Status forward(Task t, int cap, long info) {
        running(t);
        return trace(t, SyscallName.FORWARD, cap, info, messages.forward(t, cap, info));
    }

    public synchronized Status read(Task t, long offset, MemorySegment dst) {
        running(t);
        return trace(t, SyscallName.READ, offset, 0, BufferSyscalls.read(t, offset, dst));
    }

    public synchronized Status write(Task t, long offset, MemorySegment src) {
        running(t);
        return trace(t, SyscallName.WRITE, offset, 0, BufferSyscalls.write(t, offset, src));
    }

    public synchronized Status callerInfo(Task t) {
        running(t);
        return trace(t, SyscallName.CALLER_INFO, 0, 0, BufferSyscalls.callerInfo(t));
    }

    public synchronized Status signal(Task t, int cap) {
        running(t);
        return trace(t, SyscallName.SIGNAL, cap, 0, notifications.signal(t, cap));
    }

    public synchronized Status waitNotification(Task t, int cap) {
        return waitNotification(t, cap, FOREVER);
    }

    public synchronized Status waitNotification(Task t, int cap, long timeout) {
        running(t);
        Status s = timeout < 0 ? t.ipc().complete(Status.INVALID_ARGUMENT) : timed(t, notifications.waitFor(t, cap, true), timeout);
        return trace(t, SyscallName.WAIT, cap, 0, s);
    }

    /**
     * Ends {@code t}'s blocked syscall early with TIMEOUT or INTERRUPTED (SPEC section 6): it leaves
     * every queue; a Call already taken leaves its server a CANCELLED context. False, and nothing
     * changed, if {@code t} is not blocked (its syscall completed first). The runtimes call this.
     */
    public synchronized boolean expire(Task t, Status why) {
        if (why != Status.TIMEOUT && why != Status.INTERRUPTED) {
            throw new IllegalArgumentException("a blocked syscall ends early with TIMEOUT or INTERRUPTED, not " + why);
        }
        return expiry.expire(t, why);
    }

    /**
     * Kills {@code t} wherever it is (SPEC sections 6 and 10): a blocked task first leaves every queue
     * (a Call already taken leaves its server a cancelled context), then it ends as Exit does: the
     * caller whose context it held gets PEER_DIED, its binding ends, it is DEAD. An INACTIVE task just
     * becomes DEAD; killing a dead task changes nothing.
     */
    public synchronized void kill(Task t) {
        switch (t.state()) {
            case DEAD -> { }
            case INACTIVE -> messages.exit(t);
            case RUNNING, BLOCKED_ON_SEND, BLOCKED_ON_RECEIVE, BLOCKED_ON_REPLY, BLOCKED_ON_NOTIFICATION -> {
                expiry.leaveWaiting(t);
                trace(t, SyscallName.EXIT, 0, 0, messages.exit(t));
            }
        }
    }

    /** Expires, with TIMEOUT, every blocked task whose deadline has come, earliest first; returns how many. */
    public synchronized int expireDue() {
        long now = clock.getAsLong();
        List<Task> due = new ArrayList<>();
        for (Task t : tasks) {
            if (t.state().isBlocked() && t.deadline() <= now) {
                due.add(t);
            }
        }
        due.sort(java.util.Comparator.<Task>comparingLong(Task::deadline).thenComparingInt(Task::id));
        for (Task t : due) {
            if (faults.has(InjectedBug.TIMEOUT_STAYS_QUEUED)) {
                wakeups.completeSelf(t, Status.TIMEOUT);
                continue;
            }
            expiry.expire(t, Status.TIMEOUT);
        }
        return due.size();
    }

    public synchronized Status poll(Task t, int cap) {
        running(t);
        return trace(t, SyscallName.POLL, cap, 0, notifications.waitFor(t, cap, false));
    }

    public synchronized Status bindNotification(Task t, int cap) {
        running(t);
        return trace(t, SyscallName.BIND_NOTIFICATION, cap, 0, notifications.bind(t, cap));
    }

    public synchronized Status unbindNotification(Task t) {
        running(t);
        return trace(t, SyscallName.UNBIND_NOTIFICATION, 0, 0, notifications.unbind(t));
    }

    public synchronized Status copy(Task t, int src, int dst, int rights) {
        running(t);
        return treeChecked(trace(t, SyscallName.COPY, src, dst, capabilities.copy(t, src, dst, rights)));
    }

    public synchronized Status mint(Task t, int src, int dst, int rights, long badge) {
        running(t);
        return treeChecked(trace(t, SyscallName.MINT, src, dst, capabilities.mint(t, src, dst, rights, badge)));
    }

    public synchronized Status move(Task t, int src, int dst) {
        running(t);
        return treeChecked(trace(t, SyscallName.MOVE, src, dst, capabilities.move(t, src, dst)));
    }

    public synchronized Status mutate(Task t, int src, int dst, int rights, long badge) {
        running(t);
        return treeChecked(trace(t, SyscallName.MUTATE, src, dst, capabilities.mutate(t, src, dst, rights, badge)));
    }

    public synchronized Status delete(Task t, int slot) {
        running(t);
        return treeChecked(trace(t, SyscallName.DELETE, slot, 0, capabilities.delete(t, slot)));
    }

    public synchronized Status revoke(Task t, int slot) {
        running(t);
        return treeChecked(trace(t, SyscallName.REVOKE, slot, 0, capabilities.revoke(t, slot)));
    }

    public synchronized Status cancelBadgedSends(Task t, int slot) {
        running(t);
        return trace(t, SyscallName.CANCEL_BADGED_SENDS, slot, 0, capabilities.cancelBadgedSends(t, slot));
    }

    /** The task's body has returned: it becomes DEAD (SPEC section 6). */
    public synchronized Status exit(Task t) {
        running(t);
        return trace(t, SyscallName.EXIT, 0, 0, messages.exit(t));
    }

    /**
     * The task's body threw: it ends as Exit does, then a TASK_FAULTED system message about it goes
     * to its fault endpoint, if it has one that accepts it (SPEC section 6). The runtimes call this.
     */
    public synchronized Status fault(Task t) {
        running(t);
        Status s = messages.exit(t);
        Slot fault = t.faultCap();
        if (fault.object() instanceof Endpoint ep) {
            systemMessages.post(ep, t.faultedNotice(), fault.badge(), t.id());
        }
        return trace(t, SyscallName.FAULT, 0, 0, s);
    }

    // ---- Suspended contexts (SPEC section 5.2) and system messages (section 6).

    public synchronized Status suspend(Task t) {
        running(t);
        return trace(t, SyscallName.SUSPEND, 0, 0, contexts.suspend(t));
    }

    public synchronized Status resume(Task t, long handle) {
        running(t);
        return trace(t, SyscallName.RESUME, handle, 0, contexts.resume(t, handle));
    }

    public synchronized Status reply(Task t, long handle, long info) {
        running(t);
        return trace(t, SyscallName.REPLY_HANDLE, handle, info, contexts.reply(t, handle, info));
    }

    public synchronized Status forward(Task t, long handle, int cap, long info) {
        running(t);
        return trace(t, SyscallName.FORWARD_HANDLE, handle, info, contexts.forward(t, handle, cap, info));
    }

    public synchronized Status read(Task t, long handle, long offset, MemorySegment dst) {
        running(t);
        return trace(t, SyscallName.READ_HANDLE, handle, offset, contexts.read(t, handle, offset, dst));
    }

    public synchronized Status write(Task t, long handle, long offset, MemorySegment src) {
        running(t);
        return trace(t, SyscallName.WRITE_HANDLE, handle, offset, contexts.write(t, handle, offset, src));
    }

    public synchronized Status callerInfo(Task t, long handle) {
        running(t);
        return trace(t, SyscallName.CALLER_INFO_HANDLE, handle, 0, contexts.callerInfo(t, handle));
    }

    /** Chooses the system messages the endpoint in {@code cap} receives (needs READ). */
    public synchronized Status systemMessages(Task t, int cap, int kinds) {
        running(t);
        return trace(t, SyscallName.SYSTEM_MESSAGES, cap, kinds, SystemMessages.choose(t, cap, kinds));
    }

    /**
     * A blocking syscall's result under a timeout: when it blocked, a timeout of 0 expires it at once
     * (SPEC: TIMEOUT at once if it would block), else it gets its deadline.
     */
    private Status timed(Task t, Status result, long timeout) {
        if (result != null || timeout == FOREVER) {
            return result;
        }
        if (timeout == 0) {
            expiry.expire(t, Status.TIMEOUT);
            return Status.TIMEOUT;
        }
        long now = clock.getAsLong();
        t.deadline(now + timeout < now ? FOREVER : now + timeout);
        return null;
    }

    /** Under -ea, the derivation tree is checked after every capability syscall (allocation-free). */
    private Status treeChecked(Status result) {
        assert Invariants.treeHolds(cspaces, objects) : invariantViolations();
        return result;
    }

    private Status trace(Task t, SyscallName op, long a, long b, Status result) {
        Tracer tracer = wakeups.tracer();
        if (tracer != null) {
            tracer.syscall(t, op, a, b, result);
        }
        return result;
    }

    private static void running(Task t) {
        if (t.state() != TaskState.RUNNING) {
            throw new AssertionError(t + " made a syscall while " + t.state());
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a name must be non-blank, was " + (name == null ? "null" : "'" + name + "'"));
        }
    }
}
