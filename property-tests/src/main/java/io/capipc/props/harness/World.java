package io.capipc.props.harness;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.Tracer;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallName;
import io.capipc.props.model.Shape;
import io.capipc.props.model.Step;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The real kernel, booted to a {@link Shape} and driven by the deterministic driver. Each task owns
 * one byte array: its send area, receive area and scratch buffer, each between guard bytes that no
 * syscall may ever change (docs/semantics.md guarantee 10). Segments handed to the kernel are slices of it.
 */
public final class World {
    /** Guard bytes around each area, and their value. */
    public static final int GUARD = 8;
    public static final byte GUARD_BYTE = (byte) 0xA5;
    static final int SEND = GUARD;
    static final int RECV = SEND + Shape.AREA + GUARD;
    static final int SCRATCH = RECV + Shape.AREA + GUARD;
    static final int SIZE = SCRATCH + Shape.AREA + GUARD;

    /** A completed blocked syscall, as the kernel's tracer reported it. */
    public record Resumed(int task, Status status) {}

    final Shape shape;
    final Kernel kernel;
    final DeterministicDriver driver;
    final TaskHandle[] tasks;
    final byte[][] memory;
    final Map<Integer, Integer> objectNumber = new HashMap<>();
    final Map<Integer, Integer> taskNumber = new HashMap<>();
    final Map<Integer, Integer> spaceNumber = new HashMap<>();
    final List<Resumed> resumed = new ArrayList<>();
    private final TracerView tracerView;
    private int driverAnswer = -1;
    /** Every handle a Suspend returned, in order: what an {@link Action.Handle} names. */
    final List<Long> handles = new ArrayList<>();
    /** The kernel's objects, by the model's object number. */
    final Map<Integer, ObjectHandle> objects = new HashMap<>();

    public World(Shape shape, InjectedBugs bugs) {
        this.shape = shape;
        this.kernel = bugs == InjectedBugs.NONE ? new Kernel() : InjectedBugs.with(bugs, Kernel::new);
        this.driver = new DeterministicDriver(kernel);
        this.tracerView = new TracerView(driver);
        for (int e = 0; e < shape.bootEndpoints(); e++) {
            ObjectHandle ep = kernel.createEndpoint(shape.badges());
            objectNumber.put(ep.id(), e);
            objects.put(e, ep);
        }
        var ntfn = kernel.createNotification();
        objectNumber.put(ntfn.id(), shape.notification());
        objects.put(shape.notification(), ntfn);
        for (int k = 0; k < shape.untypeds().size(); k++) {
            ObjectHandle u = kernel.createUntyped(shape.untypeds().get(k));
            objectNumber.put(u.id(), shape.untypedObject(k));
            objects.put(shape.untypedObject(k), u);
            untypeds++;
        }
        SpaceHandle[] spaces = new SpaceHandle[shape.spaces()];
        for (int sp = 0; sp < spaces.length; sp++) {
            spaces[sp] = kernel.createSpace("s" + sp, shape.slots(), shape.replyPool().get(sp));
            spaceNumber.put(spaces[sp].id(), sp);
        }
        for (Shape.Boot b : shape.boot()) {
            if (shape.taskOf(b.object()) < 0) {
                kernel.install(spaces[b.space()], b.slot(), objects.get(b.object()), b.rights(), b.badge());
            }
        }
        tasks = new TaskHandle[shape.tasks()];
        memory = new byte[shape.tasks()][];
        for (int t = 0; t < shape.tasks(); t++) {
            tasks[t] = kernel.createTask(spaces[shape.space(t)], "t" + t, shape.faultSlot().get(t));
            taskNumber.put(tasks[t].id(), t);
            memory[t] = new byte[SIZE];
            Arrays.fill(memory[t], GUARD_BYTE);
            Arrays.fill(memory[t], SEND, SEND + Shape.AREA, (byte) 0);
            Arrays.fill(memory[t], RECV, RECV + Shape.AREA, (byte) 0);
            Arrays.fill(memory[t], SCRATCH, SCRATCH + Shape.AREA, (byte) 0);
        }
        // Task capabilities (docs/semantics.md §13) once their tasks exist; no fault slot holds one.
        for (int t = 0; t < shape.tasks(); t++) {
            ObjectHandle task = kernel.taskObject(tasks[t]);
            objectNumber.put(task.id(), shape.taskObject(t));
            objects.put(shape.taskObject(t), task);
        }
        for (Shape.Boot b : shape.boot()) {
            if (shape.taskOf(b.object()) >= 0) {
                kernel.install(spaces[b.space()], b.slot(), objects.get(b.object()), b.rights(), b.badge());
            }
        }
        for (TaskHandle t : tasks) {
            driver.start(t);
        }
        kernel.tracer(new Tracer() {
            @Override
            public void syscall(TaskHandle task, IpcBuffer ipc, SyscallName op, long a, long b, Outcome outcome) {
                tracerView.compare(task, ipc);
            }

            @Override
            public void completed(TaskHandle task, IpcBuffer ipc, Status status) {
                tracerView.compare(task, ipc);
                resumed.add(new Resumed(taskNumber.get(task.id()), status));
            }
        });
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The first way the tracer's view of an IPC buffer differed from the buffer, or null ({@link TracerView}). */
    public String tracerMismatch() {
        return tracerView.mismatch();
    }

    public TaskHandle task(int t) {
        return tasks[t];
    }

    /** Task {@code t}'s IPC buffer. */
    public IpcBuffer ipc(int t) {
        return driver.ipc(tasks[t]);
    }

    /** Task {@code t}'s state in the kernel. */
    public TaskState state(int t) {
        return driver.state(tasks[t]);
    }

    /** The task's memory: send area, receive area, scratch, with guards. */
    public byte[] memory(int t) {
        return memory[t];
    }

    public KernelView view() {
        return kernel.inspect();
    }

    /** The driver's virtual clock, in nanoseconds. */
    public long now() {
        return driver.now();
    }

    /**
     * Runs {@code a} on the kernel, as its task's code would: set registers and memory, then the
     * syscall; or, for a {@link Action.Driver} action, as the driver does (status OK).
     *
     * <p>A syscall with timeout 0 that would block returns TIMEOUT at once, and the kernel's tracer
     * also reports it as a completed blocked syscall; that one report is the syscall's own return,
     * not a second completion, and is left out of {@link #resumed}.
     */
    public Status apply(Action a) {
        resumed.clear();
        if (a instanceof Action.Driver d) {
            drive(d);
            return Status.OK;
        }
        Outcome outcome = syscall(a);
        Status status = outcome.isBlocked() ? null : outcome.status();
        if (a instanceof Action.Suspend && status == Status.OK) {
            handles.add(ipc(a.task()).handle());
        }
        if (status == Status.TIMEOUT && Action.timeoutOf(a) == 0) {
            resumed.remove(new Resumed(a.task(), Status.TIMEOUT));
        }
        return status;
    }

    private void drive(Action.Driver d) {
        driverAnswer = -1;
        switch (d) {
            case Action.Advance v -> driverAnswer = driver.advance(v.nanos());
            case Action.Interrupt i -> driverAnswer = driver.interrupt(tasks[i.task()]) ? 1 : 0;
            case Action.Kill k -> driver.kill(tasks[k.task()]);
            case Action.Tamper m -> setCaps(ipc(m.task()), m.caps(), m.receive());
        }
    }

    /**
     * What the driver answered to the last driver action: for Advance how many blocked syscalls it
     * ended, for Interrupt 1 if the task was blocked (else 0); -1 for the others.
     */
    public int driverAnswer() {
        return driverAnswer;
    }

    private Outcome syscall(Action a) {
        TaskHandle t = tasks[a.task()];
        return switch (a) {
            case Action.SetCaps c -> {
                setCaps(ipc(a.task()), c.caps(), c.receive());
                yield Outcome.OK;
            }
            case Action.Send s -> driver.send(registers(t, s.mr()), s.slot(), s.info(), s.timeout());
            case Action.NBSend s -> driver.nbSend(registers(t, s.mr()), s.slot(), s.info());
            case Action.Call c -> {
                registers(t, c.mr());
                for (int i = 0; i < Shape.AREA; i++) {
                    memory[a.task()][SEND + i] = Step.sendByte(c.mr(), i);
                }
                yield driver.call(t, c.slot(), c.info(), slices(a.task(), SEND, c.send()), slices(a.task(), RECV, c.recv()),
                        c.timeout());
            }
            case Action.Recv r -> driver.recv(t, r.slot(), r.timeout());
            case Action.NBRecv r -> driver.nbRecv(t, r.slot());
            case Action.Reply r -> driver.reply(registers(t, r.mr()), r.info());
            case Action.ReplyWait r -> driver.replyWait(registers(t, r.mr()), r.slot(), r.info(), r.timeout());
            case Action.Forward f -> driver.forward(registers(t, f.mr()), f.slot(), f.info());
            case Action.Read r -> driver.read(t, r.offset(), segment(a.task(), SCRATCH, r.len()));
            case Action.Write w -> {
                for (int i = 0; i < w.len(); i++) {
                    memory[a.task()][SCRATCH + i] = (byte) (w.fill() + i);
                }
                yield driver.write(t, w.offset(), segment(a.task(), SCRATCH, w.len()));
            }
            case Action.CallerInfo c -> driver.callerInfo(t);
            case Action.Signal n -> driver.signal(t, n.slot());
            case Action.Wait n -> driver.waitNotification(t, n.slot(), n.timeout());
            case Action.Poll n -> driver.poll(t, n.slot());
            case Action.Bind n -> driver.bindNotification(t, n.slot());
            case Action.Unbind n -> driver.unbindNotification(t);
            case Action.Copy c -> driver.copy(t, c.src(), c.dst(), c.rights());
            case Action.Mint m -> driver.mint(t, m.src(), m.dst(), m.rights(), m.badge());
            case Action.Move m -> driver.move(t, m.src(), m.dst());
            case Action.Mutate m -> driver.mutate(t, m.src(), m.dst(), m.rights(), m.badge());
            case Action.Delete d -> driver.delete(t, d.slot());
            case Action.Revoke r -> driver.revoke(t, r.slot());
            case Action.CancelBadgedSends c -> driver.cancelBadgedSends(t, c.slot());
            case Action.Exit e -> driver.exit(t);
            case Action.Suspend c -> driver.suspend(t);
            case Action.Resume c -> driver.resume(t, handle(c.handle()));
            case Action.ReplyHandle r -> driver.reply(registers(t, r.mr()), handle(r.handle()), r.info());
            case Action.ForwardHandle f -> driver.forward(registers(t, f.mr()), handle(f.handle()), f.slot(), f.info());
            case Action.ReadHandle r -> driver.read(t, handle(r.handle()), r.offset(), segment(a.task(), SCRATCH, r.len()));
            case Action.WriteHandle w -> {
                for (int i = 0; i < w.len(); i++) {
                    memory[a.task()][SCRATCH + i] = (byte) (w.fill() + i);
                }
                yield driver.write(t, handle(w.handle()), w.offset(), segment(a.task(), SCRATCH, w.len()));
            }
            case Action.CallerInfoHandle c -> driver.callerInfo(t, handle(c.handle()));
            case Action.SystemMessages m -> driver.systemMessages(t, m.slot(), m.mask());
            case Action.Fault f -> driver.fault(t);
            case Action.KillTask k -> driver.kill(t, k.slot());
            case Action.RestartTask r -> driver.restart(t, r.slot());
            case Action.TaskInfo i -> driver.taskInfo(t, i.slot());
            case Action.Retype r -> retype(t, r);
            case Action.Driver d -> throw new IllegalArgumentException("not a syscall: " + Action.show(d));
        };
    }

    /** Endpoints and untypeds made by Retype so far: the next one made takes the next model number. */
    private int madeEndpoints;
    private int untypeds;

    /** Retype, numbering what it made as the model does: the next spare endpoint, or the next untyped. */
    private Outcome retype(TaskHandle t, Action.Retype r) {
        Outcome o = driver.retype(t, r.slot(), r.type(), r.param(), r.dst());
        if (o == Outcome.OK) {
            int id = -1;
            for (KernelView.SpaceView sv : kernel.inspect().spaces()) {
                if (sv.id() == t.space().id()) {
                    id = sv.slots().stream().filter(x -> x.index() == r.dst()).findFirst().orElseThrow().objectId();
                }
            }
            int n = r.type() == io.capipc.api.ObjectType.ENDPOINT ? shape.bootEndpoints() + madeEndpoints++ : shape.untypedObject(untypeds++);
            objectNumber.put(id, n);
            objects.put(n, new ObjectHandle(t.kernel(), id, r.type()));
        }
        return o;
    }

    private static void setCaps(IpcBuffer ipc, List<Integer> caps, List<Integer> receive) {
        for (int i = 0; i < 4; i++) {
            ipc.setCap(i, caps.get(i));
            ipc.setReceiveSlot(i, receive.get(i));
        }
    }

    /** The value of a handle argument: the handle the kernel returned to the nth Suspend (-1 if none yet), or the forged one. */
    public long handle(Action.Handle h) {
        return h.nth() < 0 ? h.raw() : h.nth() < handles.size() ? handles.get(h.nth()) : -1L;
    }

    /** The syscalls the kernel's tracer reported completed during the last {@link #apply}. */
    public List<Resumed> resumed() {
        return List.copyOf(resumed);
    }

    private TaskHandle registers(TaskHandle t, long mr) {
        IpcBuffer ipc = driver.ipc(t);
        for (int i = 0; i < 64; i++) {
            ipc.setMr(i, mr * 100 + i);
        }
        return t;
    }

    private MemorySegment segment(int t, int base, int len) {
        return MemorySegment.ofArray(memory[t]).asSlice(base, len);
    }

    /** Consecutive slices of an area, one per size; the bad segments and null array a negative size names ({@link Action.Call}). */
    private MemorySegment @Nullable [] slices(int t, int base, List<Integer> sizes) {
        if (sizes.equals(List.of(Action.Call.NULL_ARRAY))) {
            return null;
        }
        MemorySegment[] segs = new MemorySegment[sizes.size()];
        int off = 0;
        for (int i = 0; i < segs.length; i++) {
            int size = sizes.get(i);
            segs[i] = switch (size) {
                case Action.Call.NULL_SEGMENT -> null;
                case Action.Call.CLOSED_SEGMENT -> CLOSED;
                case Action.Call.CONFINED_SEGMENT -> CONFINED;
                case Action.Call.READ_ONLY_SEGMENT -> segment(t, base + off, 4).asReadOnly();
                default -> segment(t, base + off, size);
            };
            off += Math.max(size, 0);
        }
        return segs;
    }

    /** A segment whose arena is closed. */
    private static final MemorySegment CLOSED;
    /** A segment confined to one thread: no server could reach it. */
    private static final MemorySegment CONFINED = Arena.ofConfined().allocate(4); // never closed: one per JVM

    static {
        Arena arena = Arena.ofShared();
        CLOSED = arena.allocate(4);
        arena.close();
    }

    /** The kernel object the model numbers {@code n}. */
    public ObjectHandle object(int n) {
        return objects.get(n);
    }

    /** The task number of a kernel task id, or -1. */
    public int taskOf(int id) {
        return id < 0 ? -1 : taskNumber.get(id);
    }

    /** The space number of a kernel space id, or -1. */
    int spaceOf(int id) {
        return id < 0 ? -1 : spaceNumber.get(id);
    }

    /** The model's object number of a kernel object id, or -1. */
    public int objectOf(int id) {
        return id < 0 ? -1 : objectNumber.get(id);
    }
}
