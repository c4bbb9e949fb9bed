package io.capipc.kernel.syscall;

import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.api.Status;
import io.capipc.api.TaskInfo;
import io.capipc.api.TaskState;
import io.capipc.cap.CSpace;
import io.capipc.cap.KernelObject;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.SyscallName;
import io.capipc.kernel.ipc.Delivery;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.state.Invariants;
import io.capipc.kernel.state.Registry;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The one dispatch point for syscalls: one method per syscall, each one atomic, linearizable
 * transition (docs/semantics.md §1) under the kernel's lock ({@link KernelLock}): the kernel-wide
 * lock, or, for a Call or a ReplyWait in the common case, only its endpoint's. The deterministic
 * driver calls these from one thread; the threaded runtime from each task's thread, and only adds
 * spinning, parking and waking. Each method only checks that the task may make a syscall, times it, traces it, and hands
 * it to the class that holds its semantics; none lives here.
 *
 * <p>A method returns the syscall's status, or null if the task is now blocked; the transition that
 * later completes it writes its status into the task's IPC buffer and tells the runtime's
 * {@link Waker}. The runtimes' other hooks (start, clock, expiry, kill, exit, fault) are the runtime
 * port's, and the boot API and the views are the kernel's; all take the kernel-wide lock.
 *
 * <p>KEY ASSUMPTION: a task makes a syscall only while RUNNING. The runtimes guarantee it; a call
 * for a task in any other state is a runtime bug and raises AssertionError.
 */
public final class Dispatch {
    /** What a fast path returns when it was not taken: the syscall goes the kernel-wide way. */
    private static final Object SLOW = new Object();

    private final Wakeups wakeups = new Wakeups();
    private final MessageSyscalls messages;
    private final CapabilitySyscalls capabilities;
    private final NotificationSyscalls notifications;
    private final ContextSyscalls contexts;
    private final Expiry expiry;
    private final Lifecycle lifecycle;
    private final AsyncSyscalls asyncs;
    private final RegionSyscalls regions;
    private final UntypedSyscalls untypeds;
    private final TaskControlSyscalls control;
    /** For the tree check after capability syscalls under -ea: every capability space and object. */
    private final List<CSpace> cspaces;
    private final List<KernelObject> objects;
    private LongSupplier clock = System::nanoTime;
    private final InjectedBugs bugs;
    private final KernelLock lock;
    /** Set by a runtime that makes one transition at a time; read by fast paths (see {@link #unobserved}). */
    private boolean sequential;

    public Dispatch(InjectedBugs bugs, Registry registry) {
        this.bugs = bugs;
        this.lock = new KernelLock(wakeups, bugs);
        SystemMessages systemMessages = new SystemMessages(wakeups, bugs);
        CapabilityEvents events = new CapabilityEvents(wakeups, bugs, systemMessages, registry);
        Delivery delivery = new Delivery(bugs, events);
        this.messages = new MessageSyscalls(wakeups, delivery, bugs);
        this.capabilities = new CapabilitySyscalls(events, bugs, registry.objects());
        this.contexts = new ContextSyscalls(messages, events, bugs);
        this.notifications = new NotificationSyscalls(wakeups);
        this.expiry = new Expiry(wakeups, systemMessages, bugs);
        this.lifecycle = new Lifecycle(wakeups, messages, expiry, systemMessages, bugs);
        this.asyncs = new AsyncSyscalls(registry, wakeups, delivery, messages, expiry, events, bugs);
        this.regions = new RegionSyscalls(registry, bugs);
        this.untypeds = new UntypedSyscalls(registry, events, bugs);
        this.control = new TaskControlSyscalls(lifecycle, bugs);
        this.cspaces = registry.cspaces();
        this.objects = registry.objects();
    }

    /** The kernel's lock: every transition but a fast path's takes this object's monitor, then {@link KernelLock#exclude}. */
    public KernelLock lock() {
        return lock;
    }

    // ---- For the runtime port and the kernel, under the kernel-wide lock.

    /** Completions. */
    public Wakeups wakeups() {
        return wakeups;
    }

    /** Timeouts, interrupts and deadlines. */
    public Expiry expiry() {
        return expiry;
    }

    /** Exit, fault and kill. */
    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Installs the runtime's side of Kill and Restart (docs/semantics.md §13). */
    public void runner(TaskRunner r) {
        control.runner(r);
    }

    /** Installs the clock deadlines are measured on, in nanoseconds. */
    public void clock(LongSupplier nanos) {
        clock = nanos;
    }

    /** Now, on the kernel's clock. */
    public long now() {
        return clock.getAsLong();
    }

    // ---- Messages (docs/semantics.md §5.1).

    public synchronized Status send(Task t, int cap, long info, long timeout) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.SEND, cap, info, timed(t, messages.send(t, cap, info, true, timeout), timeout));
        }
    }

    public synchronized Status nbSend(Task t, int cap, long info) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.NB_SEND, cap, info, messages.send(t, cap, info, false, Expiry.FOREVER));
        }
    }

    /**
     * Call: in the common case (no buffers, no timeout, no capabilities, a hot endpoint) holding only
     * the endpoint's lock, if {@link MessageSyscalls#fastCallable} says that is enough; otherwise, or
     * if a kernel-wide section runs, under the kernel-wide lock. The same transition either way.
     */
    public Status call(Task t, int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf, long timeout) {
        boolean noBuffers = sendBuf != null && recvBuf != null && sendBuf.length == 0 && recvBuf.length == 0;
        Endpoint ep = noBuffers ? fastEndpoint(t, cap, info, timeout) : null;
        if (ep != null) {
            Object r = fastCall(t, ep, cap, info, sendBuf, recvBuf);
            if (r != SLOW) {
                return (Status) r;
            }
        }
        return callLocked(t, ep, cap, info, sendBuf, recvBuf, timeout);
    }

    /** Call's fast path on {@code ep}: its result (null: blocked), or {@link #SLOW} if not taken, having changed nothing. */
    private @Nullable Object fastCall(Task t, Endpoint ep, int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf) {
        if (!lock.enterFast(ep)) {
            return SLOW;
        }
        try {
            check(t);
            if (!unobserved() || !messages.fastCallable(t, ep, cap, info)) {
                return SLOW;
            }
            ep.countFastPath();
            return traceFast(t, SyscallName.CALL, cap, info, messages.call(t, cap, info, sendBuf, recvBuf, Expiry.FOREVER));
        } finally {
            lock.exitFast(ep);
        }
    }

    /** Call under the kernel-wide lock; {@code ep} (null: none) may take fast paths from now on. */
    private synchronized Status callLocked(Task t, @Nullable Endpoint ep, int cap, long info, MemorySegment[] sendBuf,
                                           MemorySegment[] recvBuf, long timeout) {
        try (var _ = lock.exclude()) {
            heat(ep);
            running(t);
            return trace(t, SyscallName.CALL, cap, info, timed(t, messages.call(t, cap, info, sendBuf, recvBuf, timeout), timeout));
        }
    }

    public synchronized Status recv(Task t, int cap, long timeout) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.RECV, cap, 0, timed(t, messages.receive(t, cap, true, timeout), timeout));
        }
    }

    public synchronized Status nbRecv(Task t, int cap) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.NB_RECV, cap, 0, messages.receive(t, cap, false, Expiry.FOREVER));
        }
    }

    public synchronized Status reply(Task t, long info) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.REPLY, 0, info, messages.reply(t, info));
        }
    }

    /** ReplyWait: as {@link #call}, with {@link MessageSyscalls#fastReplyWaitable}. */
    public Status replyWait(Task t, int cap, long info, long timeout) {
        Endpoint ep = fastEndpoint(t, cap, info, timeout);
        if (ep != null) {
            Object r = fastReplyWait(t, ep, cap, info);
            if (r != SLOW) {
                return (Status) r;
            }
        }
        return replyWaitLocked(t, ep, cap, info, timeout);
    }

    /** ReplyWait's fast path on {@code ep}: as {@link #fastCall}. */
    private @Nullable Object fastReplyWait(Task t, Endpoint ep, int cap, long info) {
        if (!lock.enterFast(ep)) {
            return SLOW;
        }
        try {
            check(t);
            if (!unobserved() || !messages.fastReplyWaitable(t, ep, cap, info)) {
                return SLOW;
            }
            ep.countFastPath();
            return traceFast(t, SyscallName.REPLY_WAIT, cap, info, messages.replyWait(t, cap, info, Expiry.FOREVER));
        } finally {
            lock.exitFast(ep);
        }
    }

    /** ReplyWait under the kernel-wide lock; {@code ep} (null: none) may take fast paths from now on. */
    private synchronized Status replyWaitLocked(Task t, @Nullable Endpoint ep, int cap, long info, long timeout) {
        try (var _ = lock.exclude()) {
            heat(ep);
            running(t);
            return trace(t, SyscallName.REPLY_WAIT, cap, info, timed(t, messages.replyWait(t, cap, info, timeout), timeout));
        }
    }

    public synchronized Status forward(Task t, int cap, long info) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.FORWARD, cap, info, messages.forward(t, cap, info));
        }
    }

    // ---- Caller buffers (docs/semantics.md §5.3).

    public synchronized Status read(Task t, long offset, MemorySegment dst) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.READ, offset, 0, BufferSyscalls.read(t, offset, dst));
        }
    }

    public synchronized Status write(Task t, long offset, MemorySegment src) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.WRITE, offset, 0, BufferSyscalls.write(t, offset, src));
        }
    }

    public synchronized Status callerInfo(Task t) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.CALLER_INFO, 0, 0, BufferSyscalls.callerInfo(t));
        }
    }

    // ---- Suspended contexts (docs/semantics.md §5.2) and system messages (section 6).

    public synchronized Status suspend(Task t) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.SUSPEND, 0, 0, contexts.suspend(t));
        }
    }

    public synchronized Status resume(Task t, long handle) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.RESUME, handle, 0, contexts.resume(t, handle));
        }
    }

    public synchronized Status reply(Task t, long handle, long info) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.REPLY_HANDLE, handle, info, contexts.reply(t, handle, info));
        }
    }

    public synchronized Status forward(Task t, long handle, int cap, long info) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.FORWARD_HANDLE, handle, info, contexts.forward(t, handle, cap, info));
        }
    }

    public synchronized Status read(Task t, long handle, long offset, MemorySegment dst) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.READ_HANDLE, handle, offset, contexts.read(t, handle, offset, dst));
        }
    }

    public synchronized Status write(Task t, long handle, long offset, MemorySegment src) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.WRITE_HANDLE, handle, offset, contexts.write(t, handle, offset, src));
        }
    }

    public synchronized Status callerInfo(Task t, long handle) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.CALLER_INFO_HANDLE, handle, 0, contexts.callerInfo(t, handle));
        }
    }

    public synchronized Status systemMessages(Task t, int cap, int kinds) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.SYSTEM_MESSAGES, cap, kinds, SystemMessages.choose(t, cap, kinds));
        }
    }

    // ---- Notifications (docs/semantics.md §5.4).

    public synchronized Status signal(Task t, int cap) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.SIGNAL, cap, 0, notifications.signal(t, cap));
        }
    }

    public synchronized Status waitNotification(Task t, int cap, long timeout) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.WAIT, cap, 0, timed(t, notifications.waitFor(t, cap, true, timeout), timeout));
        }
    }

    public synchronized Status poll(Task t, int cap) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.POLL, cap, 0, notifications.waitFor(t, cap, false, Expiry.FOREVER));
        }
    }

    public synchronized Status bindNotification(Task t, int cap) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.BIND_NOTIFICATION, cap, 0, notifications.bind(t, cap));
        }
    }

    public synchronized Status unbindNotification(Task t) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.UNBIND_NOTIFICATION, 0, 0, notifications.unbind(t));
        }
    }

    // ---- Capabilities (docs/semantics.md §2).

    public synchronized Status copy(Task t, int src, int dst, int rights) {
        try (var _ = lock.exclude()) {
            running(t);
            return treeChecked(trace(t, SyscallName.COPY, src, dst, capabilities.copy(t, src, dst, rights)));
        }
    }

    public synchronized Status mint(Task t, int src, int dst, int rights, long badge) {
        try (var _ = lock.exclude()) {
            running(t);
            return treeChecked(trace(t, SyscallName.MINT, src, dst, capabilities.mint(t, src, dst, rights, badge)));
        }
    }

    public synchronized Status move(Task t, int src, int dst) {
        try (var _ = lock.exclude()) {
            running(t);
            return treeChecked(trace(t, SyscallName.MOVE, src, dst, capabilities.move(t, src, dst)));
        }
    }

    public synchronized Status mutate(Task t, int src, int dst, int rights, long badge) {
        try (var _ = lock.exclude()) {
            running(t);
            return treeChecked(trace(t, SyscallName.MUTATE, src, dst, capabilities.mutate(t, src, dst, rights, badge)));
        }
    }

    public synchronized Status delete(Task t, int slot) {
        try (var _ = lock.exclude()) {
            running(t);
            return treeChecked(trace(t, SyscallName.DELETE, slot, 0, capabilities.delete(t, slot)));
        }
    }

    public synchronized Status revoke(Task t, int slot) {
        try (var _ = lock.exclude()) {
            running(t);
            return treeChecked(trace(t, SyscallName.REVOKE, slot, 0, capabilities.revoke(t, slot)));
        }
    }

    public synchronized Status cancelBadgedSends(Task t, int slot) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.CANCEL_BADGED_SENDS, slot, 0, capabilities.cancelBadgedSends(t, slot));
        }
    }

    // ---- Async ports (docs/semantics.md §5.5).

    public synchronized Status bind(Task t, int endpoint, int replyEndpoint, int capacity, int dst) {
        try (var _ = lock.exclude()) {
            running(t);
            return treeChecked(trace(t, SyscallName.BIND, endpoint, dst, asyncs.bind(t, endpoint, replyEndpoint, capacity, dst)));
        }
    }

    public synchronized Status asyncSend(Task t, int port, long info) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.ASYNC_SEND, port, info, asyncs.asyncSend(t, port, info));
        }
    }

    public synchronized Status asyncCall(Task t, int port, long info) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.ASYNC_CALL, port, info, asyncs.asyncCall(t, port, info));
        }
    }

    public synchronized Status portInfo(Task t, int port) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.PORT_INFO, port, 0, asyncs.portInfo(t, port));
        }
    }

    // ---- Regions (docs/semantics.md §12.1).

    public synchronized Status map(Task t, int cap) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.MAP, cap, 0, regions.map(t, cap));
        }
    }

    public synchronized Status unmap(Task t, int cap) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.UNMAP, cap, 0, regions.unmap(t, cap));
        }
    }

    public synchronized Status carve(Task t, int cap, long offset, long length, int rights, int dst) {
        try (var _ = lock.exclude()) {
            running(t);
            return treeChecked(trace(t, SyscallName.CARVE, cap, dst, regions.carve(t, cap, offset, length, rights, dst)));
        }
    }

    /** Delete or Revoke by the system builder, not a task (see {@link CapabilitySyscalls#deleteOrRevoke}). */
    public synchronized void deleteOrRevoke(CSpace cs, int slot, boolean revoke) {
        try (var _ = lock.exclude()) {
            wakeups.release();
            capabilities.deleteOrRevoke(cs, slot, revoke);
            assert Invariants.treeHolds(cspaces, objects) : "derivation tree broken after an injected " + (revoke ? "Revoke" : "Delete");
        }
    }

    // ---- Objects at run time and task control (docs/semantics.md §13).

    public synchronized Status retype(Task t, int untyped, ObjectType type, long param, int dst) {
        try (var _ = lock.exclude()) {
            running(t);
            return treeChecked(trace(t, SyscallName.RETYPE, untyped, dst, untypeds.retype(t, untyped, type, param, dst)));
        }
    }

    public synchronized Status kill(Task t, int task) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.KILL, task, 0, control.kill(t, task));
        }
    }

    public synchronized Status restart(Task t, int task) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.RESTART, task, 0, control.restart(t, task));
        }
    }

    public synchronized Status taskInfo(Task t, int task) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.TASK_INFO, task, 0, control.taskInfo(t, task));
        }
    }

    // ---- The end of a task's body (docs/semantics.md §6): Exit is how the runtimes report a return.

    /** The task's body returned: it becomes DEAD. */
    public synchronized Status exit(Task t) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.EXIT, 0, 0, lifecycle.exit(t));
        }
    }

    /** The task's body threw: it ends as Exit does, and its fault endpoint hears TASK_FAULTED. */
    public synchronized Status fault(Task t) {
        try (var _ = lock.exclude()) {
            return fault(t, TaskInfo.UNSPECIFIED, 0);
        }
    }

    /** The task's body threw a fault of {@code kind} whose class name hashes to {@code hash} (see {@link TaskInfo}). */
    public synchronized Status fault(Task t, int kind, int hash) {
        try (var _ = lock.exclude()) {
            running(t);
            return trace(t, SyscallName.FAULT, kind, hash, lifecycle.fault(t, kind, hash));
        }
    }

    /** A blocking syscall's result under its timeout (see {@link Expiry#timed}). */
    private Status timed(Task t, Status result, long timeout) {
        // The clock only when a deadline needs it: a read is a serializing instruction here (rdtsc
        // ordered by lfence on this VM), and every blocking Call and ReplyWait would pay it.
        return result != null || timeout == Expiry.FOREVER ? result : expiry.timed(t, null, timeout, clock.getAsLong());
    }

    /** Under -ea, the derivation tree is checked after every capability syscall (allocation-free). */
    private Status treeChecked(Status result) {
        assert Invariants.treeHolds(cspaces, objects) : "derivation tree broken after a capability syscall";
        return result;
    }

    /**
     * Ends the syscall's transition: gives the wake {@link #running} held, then reports the syscall
     * to the trace sink, if one is installed, and to the Flight Recorder, if a recording enables its
     * class; returns {@code result}.
     */
    public Status trace(Task t, SyscallName op, long a, long b, Status result) {
        wakeups.release(); // first: a tracer that throws must not keep it
        TraceSink tracer = wakeups.tracer();
        if (tracer != null) {
            tracer.syscall(t, op, a, b, result);
        }
        wakeups.flight().syscall(t, op, a, b, result);
        return result;
    }

    /**
     * The KEY ASSUMPTION, and on the threaded runtime the end of a killed task's thread: a thread that
     * is not its task's runner (the task was restarted on another), or whose task was killed, gets
     * {@link TaskKilled}, which unwinds it; it changed nothing. Then the transition begins: its
     * first wake is held until {@link #trace} ends it.
     */
    private void running(Task t) {
        check(t);
        wakeups.hold();
    }

    /** The KEY ASSUMPTION's check, without holding a wake: a fast path wakes its partner at once. */
    private static void check(Task t) {
        Thread runner = t.runner();
        if (runner != null && (runner != Thread.currentThread() || (t.state() == TaskState.DEAD && t.wasKilled()))) {
            throw TaskKilled.INSTANCE;
        }
        if (t.state() != TaskState.RUNNING) {
            throw new AssertionError(t + " made a syscall while " + t.state());
        }
    }

    /**
     * The endpoint a Call or ReplyWait by {@code t} through {@code cap} would take the fast path on,
     * or null: read without a lock, so only a guess at which lock to take; the transition checks it
     * again under that lock ({@link MessageSyscalls#fastCallable}).
     */
    private static @Nullable Endpoint fastEndpoint(Task t, int cap, long info, long timeout) {
        if (timeout != Expiry.FOREVER || MessageInfo.caps(info) != 0) {
            return null;
        }
        CSpace cs = t.space().cspace();
        return cs.inRange(cap) && cs.slot(cap).object() instanceof Endpoint ep ? ep : null;
    }

    /**
     * Under the kernel-wide lock, first in a Call or ReplyWait of the fast path's shape: {@code ep}
     * (null: none) may take fast paths from now on. First, so that a fast path that slipped in as
     * it was marked ({@link KernelLock#heat}) is over before this transition touches anything.
     */
    private void heat(@Nullable Endpoint ep) {
        if (ep != null) {
            lock.heat(ep);
        }
    }

    /**
     * True if a fast path may be taken as transitions are observed now: no Flight Recorder events of
     * messages (see {@link io.capipc.kernel.jfr.FlightEvents#quiet}), and no tracer unless the
     * runtime makes one transition at a time ({@link #sequential}). Both are told of transitions in
     * the order they happen, which fast paths on different endpoints, on threads, do not have.
     */
    private boolean unobserved() {
        return (sequential || wakeups.tracer() == null) && wakeups.flight().quiet();
    }

    /** Ends a fast path's transition: tells the tracer, if there is one (only on a sequential runtime). */
    private Status traceFast(Task t, SyscallName op, long a, long b, Status result) {
        TraceSink tracer = wakeups.tracer();
        if (tracer != null) {
            tracer.syscall(t, op, a, b, result);
        }
        return result;
    }

    /**
     * Under the kernel-wide lock, by a runtime that makes one transition at a time (the driver, the
     * simulated runtime): a tracer may then watch fast paths too, so the property suite, which traces,
     * runs them.
     */
    public void sequential() {
        sequential = true;
    }

    /** The bugs this kernel was built with (InjectedBugs.NONE but in the fault tests); the runtimes' own are here too. */
    public InjectedBugs bugs() {
        return bugs;
    }
}
