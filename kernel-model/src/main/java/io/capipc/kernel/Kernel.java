package io.capipc.kernel;

import org.jspecify.annotations.Nullable;

import io.capipc.api.ObjectType;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.CSpace;
import io.capipc.cap.Derivation;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallName;
import io.capipc.kernel.inspect.WaitEdge;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.RegionMemory;
import io.capipc.kernel.object.ReadOnlyIpcBuffer;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.run.RuntimePort;
import io.capipc.kernel.state.Inspection;
import io.capipc.kernel.state.Registry;
import io.capipc.kernel.syscall.Dispatch;
import io.capipc.kernel.syscall.TraceSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A capipc kernel, as whoever builds a system sees it: the boot API that makes Spaces, endpoints,
 * notifications and tasks and installs original capabilities (docs/semantics.md §1), and the read-only
 * views of the kernel (section 11). Tasks never see this object; they reach the kernel only through
 * the syscalls a runtime gives them.
 *
 * <p>Design principles, in the spirit of Hubris's kernel preface:
 * <ol>
 *   <li><b>One transition, two runtimes.</b> Every syscall is one method of the kernel's dispatch,
 *       run under the kernel's lock (the kernel-wide one, or in a Call's or ReplyWait's common case
 *       only its endpoint's), so each is one atomic, linearizable transition. The
 *       {@link DeterministicDriver} calls them from one thread; the {@link ThreadedRuntime} from each
 *       task's thread and only adds spinning, parking and waking. No semantics live in the runtimes.
 *   <li><b>Decode, then invoke.</b> A syscall checks every argument and capability before it changes
 *       anything, in docs/semantics.md's order; a refused syscall has changed nothing, and says which
 *       check refused it ({@link io.capipc.api.Reason}).
 *   <li><b>Blocking is a state, not a thread.</b> A syscall that must wait leaves its task blocked;
 *       the transition that later completes it writes the status into the task's IPC buffer and
 *       tells the runtime.
 *   <li><b>Nothing allocated after boot.</b> Every per-task and per-object structure is made by the
 *       boot API; syscalls only rewire it.
 *   <li><b>Three kinds of failure.</b> Bad input from a task is a status; misuse of the boot API by
 *       the system builder is an {@link IllegalArgumentException}; a broken kernel invariant is an
 *       {@link AssertionError}.
 *   <li><b>Handles, not objects.</b> The boot API returns handles, values that name what it made;
 *       no live kernel object leaves the kernel's module, and a task body holds only its syscalls.
 * </ol>
 *
 * <p>A kernel accepts one runtime: {@link DeterministicDriver} or {@link ThreadedRuntime}. The boot
 * API may be used before and while it runs; each call is one transition under the kernel's lock.
 */
public final class Kernel {
    private static final AtomicInteger SERIALS = new AtomicInteger();

    private final int serial = SERIALS.incrementAndGet();
    private final InjectedBugs bugs = InjectedBugs.forNewKernel();
    private final Registry registry = new Registry();
    private final Dispatch dispatch = new Dispatch(bugs, registry);
    /** Task handles by task id, for the tracer: made once, so tracing a task allocates no handle. */
    private final List<TaskHandle> taskHandles = new ArrayList<>();
    /** Read-only views of the tasks' IPC buffers, by task id, made the first time a tracer needs one. */
    private final List<ReadOnlyIpcBuffer> views = new ArrayList<>();
    private @Nullable String runtime;

    /** A kernel with nothing in it. */
    public Kernel() {}

    // ---- Boot API (docs/semantics.md §1).

    /** A new Space with {@code slots} capability slots and no reply pool (Suspend answers NO_SPACE). */
    public SpaceHandle createSpace(String name, int slots) {
        return createSpace(name, slots, 0);
    }

    /**
     * A new Space with {@code slots} capability slots and a reply pool of {@code replyPool} entries:
     * at most that many contexts can be suspended in it at once (docs/semantics.md §5.2).
     */
    public SpaceHandle createSpace(String name, int slots, int replyPool) {
        requireName(name);
        if (slots < 1) {
            throw new IllegalArgumentException("a space needs at least 1 slot, was " + slots);
        }
        if (replyPool < 0) {
            throw new IllegalArgumentException("a reply pool has 0 or more entries, was " + replyPool);
        }
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                Space space = registry.addSpace(name, slots, replyPool);
                return new SpaceHandle(serial, space.id(), name);
            }
        }
    }

    /**
     * A new Endpoint, named by no capability until one is installed, that tracks any number of
     * distinct badges (for BADGE_DISCONNECTED): {@value Endpoint#DEFAULT_BADGES} records are made with
     * it, and a Mint of a badge beyond those makes one more (docs/semantics.md §6).
     */
    public ObjectHandle createEndpoint() {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                return new ObjectHandle(serial, registry.addEndpoint().id(), ObjectType.ENDPOINT);
            }
        }
    }

    /**
     * A new Endpoint, named by no capability until one is installed, that tracks up to {@code badges}
     * distinct badges at once, live or waiting to be reported (for BADGE_DISCONNECTED; a Mint of one
     * more gets NO_SPACE), all of whose records are made now: a Mint on it never allocates.
     */
    public ObjectHandle createEndpoint(int badges) {
        if (badges < 0) {
            throw new IllegalArgumentException("an endpoint tracks 0 or more badges, was " + badges);
        }
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                return new ObjectHandle(serial, registry.addEndpoint(badges).id(), ObjectType.ENDPOINT);
            }
        }
    }

    /**
     * A new region of {@code bytes} zeroed bytes of the kernel's own (docs/semantics.md §12.1), named by no
     * capability until one is installed; its bytes are freed with its last capability (and every
     * window carved from it).
     */
    public ObjectHandle createRegion(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a region has 0 or more bytes, was " + bytes);
        }
        RegionMemory memory = RegionMemory.anonymous(bytes);
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                return new ObjectHandle(serial, registry.addRegion(memory, 0, bytes).id(), ObjectType.REGION);
            }
        }
    }

    /**
     * A new region over the bytes of an existing {@code file} (read and written in place; the file
     * stays), named by no capability until one is installed.
     */
    public ObjectHandle createRegion(java.nio.file.Path file) {
        RegionMemory memory = RegionMemory.file(file);
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                return new ObjectHandle(serial, registry.addRegion(memory, 0, memory.size()).id(), ObjectType.REGION);
            }
        }
    }

    /** A new Notification, named by no capability until one is installed. */
    public ObjectHandle createNotification() {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                return new ObjectHandle(serial, registry.addNotification().id(), ObjectType.NOTIFICATION);
            }
        }
    }

    /**
     * A new Untyped with a budget of {@code budget} bytes (1..{@link io.capipc.api.Syscalls#MAX_BUDGET}),
     * named by no capability until one is installed: Retype through a capability to it (with WRITE)
     * makes objects charged to it (docs/semantics.md §13).
     */
    public ObjectHandle createUntyped(long budget) {
        if (budget < 1 || budget > io.capipc.api.Syscalls.MAX_BUDGET) {
            throw new IllegalArgumentException("a budget is 1.." + io.capipc.api.Syscalls.MAX_BUDGET + " bytes, was " + budget);
        }
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                return new ObjectHandle(serial, registry.addUntyped(budget).id(), ObjectType.UNTYPED);
            }
        }
    }

    /**
     * The object Task capabilities to {@code task} name, for {@link #install}: READ gives TaskInfo,
     * WRITE Kill and Restart (docs/semantics.md §13). The same object every time.
     */
    public ObjectHandle taskObject(TaskHandle task) {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                return new ObjectHandle(serial, registry.taskControl(task(task)).id(), ObjectType.TASK);
            }
        }
    }

    /** A new task in {@code space} without a fault endpoint, INACTIVE until a runtime starts it. */
    public TaskHandle createTask(SpaceHandle space, String name) {
        return createTask(space, name, -1);
    }

    /**
     * A new task in {@code space} whose fault endpoint is the endpoint capability now in
     * {@code faultSlot} of that space (-1: none), which must have WRITE. The capability is copied, as
     * a child, into the task's own TCB slot (seL4 MCS's fault-handler slot), so the task cannot aim
     * its faults elsewhere by changing its Space, and revoking the capability takes it away. If the
     * body throws, a TASK_FAULTED system message goes there, with that capability's badge.
     */
    public TaskHandle createTask(SpaceHandle space, String name, int faultSlot) {
        requireName(name);
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                Space s = space(space);
                Slot fault = faultSlot == -1 ? null : faultSlot(s, faultSlot);
                Task t = registry.addTask(s, name);
                if (fault != null) {
                    Derivation.derive(fault, t.faultCap(), fault.rights(), fault.badge());
                    Endpoint.countIfBadged(t.faultCap());
                }
                TaskHandle handle = new TaskHandle(serial, t.id(), name, space);
                while (taskHandles.size() <= t.id()) {
                    taskHandles.add(null);
                }
                taskHandles.set(t.id(), handle);
                return handle;
            }
        }
    }

    /** Installs an original capability (a derivation-tree root) to {@code object} in an empty slot. */
    public void install(SpaceHandle space, int slot, ObjectHandle object, int rights, long badge) {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                CSpace cs = space(space).cspace();
                if (!cs.inRange(slot)) {
                    throw new IllegalArgumentException("slot " + slot + " is out of range 0.." + (cs.size() - 1));
                }
                if (!cs.slot(slot).isEmpty()) {
                    throw new IllegalArgumentException("slot " + slot + " of " + space + " is occupied");
                }
                if (!Rights.isValid(rights)) {
                    throw new IllegalArgumentException("unknown rights bits in " + rights);
                }
                KernelObject o = object(object);
                if (o.isDestroyed()) {
                    throw new IllegalArgumentException(object + " was destroyed when its last capability went");
                }
                if (!Endpoint.canCount(o, badge)) {
                    throw new IllegalArgumentException(object + " already counts as many badges as it can track");
                }
                Derivation.installOriginal(cs.slot(slot), o, rights, badge);
                Endpoint.countIfBadged(cs.slot(slot));
            }
        }
    }

    // ---- Views (docs/semantics.md §11).

    /** A read-only snapshot of every object, taken as one transition. */
    public KernelView inspect() {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                return Inspection.view(registry);
            }
        }
    }

    /** Who waits on whom, through which object. */
    public List<WaitEdge> blockedOnGraph() {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                return Inspection.blockedOnGraph(registry);
            }
        }
    }

    /**
     * The deadlock report of docs/semantics.md guarantee 12: the ids of the largest set of blocked tasks that
     * only each other could unblock; empty when there is none.
     */
    public List<Integer> deadlocked() {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                return Inspection.deadlocked(registry, bugs);
            }
        }
    }

    /** Every broken kernel invariant, described; empty when consistent. */
    public List<String> invariantViolations() {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                return Inspection.violations(registry);
            }
        }
    }

    /** Installs a tracer (null: none); it is told task handles, never the tasks. */
    public void tracer(Tracer tracer) {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                dispatch.wakeups().tracer(tracer == null ? null : new TraceSink() {
                    @Override
                    public void syscall(Task task, SyscallName op, long a, long b, Status result) {
                        tracer.syscall(taskHandles.get(task.id()), view(task), op, a, b, Outcome.ofResult(result));
                    }

                    @Override
                    public void completed(Task task, Status status) {
                        tracer.completed(taskHandles.get(task.id()), view(task), status);
                    }
                });
            }
        }
    }

    /** The read-only view of {@code task}'s IPC buffer a tracer is shown. */
    private ReadOnlyIpcBuffer view(Task task) {
        while (views.size() <= task.id()) {
            views.add(null);
        }
        ReadOnlyIpcBuffer v = views.get(task.id());
        if (v == null || !v.views(task.ipc())) { // none yet, or the task was restarted on a fresh buffer
            v = new ReadOnlyIpcBuffer(task.ipc());
            views.set(task.id(), v);
        }
        return v;
    }

    // ---- For the runtimes of this package.

    /**
     * The runtime port, to the first runtime that asks; a kernel runs under one runtime, so a second
     * is refused, naming the first.
     */
    RuntimePort attach(String who) {
        synchronized (dispatch) {
            try (var _ = dispatch.lock().exclude()) {
                if (runtime != null) {
                    throw new IllegalStateException("this kernel already runs under " + runtime + "; " + who
                            + " cannot attach to it as well");
                }
                runtime = who;
                return new RuntimePort(dispatch, registry);
            }
        }
    }

    /** The syscalls' dispatch: for the white-box tests of this package. */
    Dispatch dispatch() {
        return dispatch;
    }

    /** The task {@code handle} names, checked to be this kernel's. */
    Task task(TaskHandle handle) {
        Task t = handle.kernel() == serial ? registry.task(handle.id()) : null;
        if (t == null || t.courier() != null || !t.name().equals(handle.name()) || t.space().id() != handle.space().id()) {
            throw new IllegalArgumentException(handle + " is not a task of this kernel");
        }
        return t;
    }

    /** The Space {@code handle} names, checked to be this kernel's. */
    Space space(SpaceHandle handle) {
        Space s = handle.kernel() == serial ? registry.space(handle.id()) : null;
        if (s == null || !s.name().equals(handle.name())) {
            throw new IllegalArgumentException("space " + handle + " is not of this kernel");
        }
        return s;
    }

    /** The object {@code handle} names, checked to be this kernel's. */
    KernelObject object(ObjectHandle handle) {
        KernelObject o = handle.kernel() == serial ? registry.object(handle.id()) : null;
        if (o == null || o.type() != handle.type()) {
            throw new IllegalArgumentException(handle + " is not of this kernel");
        }
        return o;
    }

    private static Slot faultSlot(Space s, int faultSlot) {
        if (!s.cspace().inRange(faultSlot)) {
            throw new IllegalArgumentException("fault slot " + faultSlot + " is out of range 0.." + (s.cspace().size() - 1));
        }
        Slot fault = s.cspace().slot(faultSlot);
        if (!(fault.object() instanceof Endpoint) || !Rights.has(fault.rights(), Rights.WRITE)) {
            throw new IllegalArgumentException("fault slot " + faultSlot + " of " + s
                    + " must hold an endpoint capability with WRITE, holds " + (fault.isEmpty() ? "nothing"
                    : fault.object() + " with rights " + Rights.toString(fault.rights())));
        }
        return fault;
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a name must be non-blank, was " + (name == null ? "null" : "'" + name + "'"));
        }
    }
}
