package io.capipc.props;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.capipc.api.IpcBuffer;
import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Syscall decode under a fuzzer (Jazzer): any syscall of the surface, by any running task, with any
 * info word, slot, offset, length, rights, badge, handle, object type and timeout the input names,
 * in whatever state earlier steps left the world (tasks blocked, killed, interrupted, contexts
 * suspended, capabilities moved, the clock advanced). Unlike {@link SyscallSequenceFuzzTest} there is
 * no model, so every syscall is in reach, async ports, regions, untyped memory and task control too.
 *
 * <p>The oracle, after every step: the driver throws nothing; a syscall that returned left its status
 * in the IPC buffer, with a reason of that status (or none); a syscall refused for a bad argument
 * (INVALID_ARGUMENT) changed nothing at all (decode before invoke, STYLE rule 3); and the kernel's
 * invariants hold.
 */
class SyscallDecodeFuzzTest {
    private static final int TASKS = 3;
    private static final int SLOTS = 8;
    private static final int EP = 0;
    private static final int NTFN = 1;
    private static final int UNTYPED = 2;
    private static final int REGION = 3;
    private static final int TASK = 4;

    private Kernel kernel = new Kernel();
    private DeterministicDriver d = new DeterministicDriver(kernel);
    private final List<TaskHandle> tasks = new ArrayList<>();
    private final List<SpaceHandle> spaces = new ArrayList<>();

    /**
     * A fresh world for each input (Jazzer keeps one instance of the class for a whole session): three
     * tasks, each in its own space holding the shared endpoint and notification, an untyped of its own,
     * the shared region, and the next task's task object, all with every right.
     */
    private void boot() {
        unmapAll();
        kernel = new Kernel();
        d = new DeterministicDriver(kernel);
        tasks.clear();
        spaces.clear();
        ObjectHandle endpoint = kernel.createEndpoint();
        ObjectHandle notification = kernel.createNotification();
        ObjectHandle region = kernel.createRegion(256);
        for (int t = 0; t < TASKS; t++) {
            SpaceHandle s = kernel.createSpace("s" + t, SLOTS, 1);
            kernel.install(s, EP, endpoint, Rights.ALL, t + 1);
            kernel.install(s, NTFN, notification, Rights.ALL, 1L << t);
            kernel.install(s, UNTYPED, kernel.createUntyped(4096), Rights.ALL, 0);
            kernel.install(s, REGION, region, Rights.ALL, 0);
            spaces.add(s);
            tasks.add(kernel.createTask(s, "t" + t));
        }
        for (int t = 0; t < TASKS; t++) {
            kernel.install(spaces.get(t), TASK, kernel.taskObject(tasks.get((t + 1) % TASKS)), Rights.ALL, 0);
            d.start(tasks.get(t));
        }
    }

    /**
     * Ends the last world's mappings before it is dropped: each maps its bytes into an arena of its
     * own, which only an Unmap, or the Delete of its capability, closes (the collector does not), and a
     * long session ran out of the process's memory mappings (vm.max_map_count) after 3.3 million
     * inputs. A Space made by Retype is not named here; its mappings are rare enough.
     */
    private void unmapAll() {
        for (KernelView.MappingView m : kernel.inspect().mappings()) {
            for (SpaceHandle s : spaces) {
                if (s.id() == m.space()) {
                    d.delete(s, m.slot());
                }
            }
        }
    }

    /** Inputs run in this JVM, for the collection below. */
    private static int inputs;

    @FuzzTest(maxDuration = "60s")
    void anyArguments_areDecodedOrRefused_neverThrowNorBreakInvariants(FuzzedDataProvider data) {
        // Each world's region holds an open file until its last region is destroyed or, for a world
        // dropped whole, until the collector runs the file's cleaner: the fuzzer's second finding was
        // "Too many open files" after some 20 000 inputs without a collection. Collect now and then.
        if (++inputs % 1000 == 0) {
            System.gc();
        }
        boot();
        int steps = data.consumeInt(1, 64);
        for (int i = 0; i < steps && data.remainingBytes() > 0; i++) {
            if (!step(data, i)) {
                return;
            }
        }
    }

    /** One step; false when no task can make a syscall any more. */
    private boolean step(FuzzedDataProvider data, int i) {
        List<TaskHandle> running = tasks.stream().filter(t -> d.state(t) == TaskState.RUNNING).toList();
        int roll = data.consumeInt(0, 49);
        if (roll < 3 || running.isEmpty()) {
            TaskHandle target = tasks.get(data.consumeInt(0, TASKS - 1));
            switch (roll % 3) {
                case 0 -> d.advance(data.consumeLong(0, 1_000_000));
                case 1 -> d.interrupt(target);
                default -> {
                    if (d.state(target) != TaskState.DEAD) {
                        d.kill(target);
                    }
                }
            }
            return !running.isEmpty() || tasks.stream().anyMatch(t -> d.state(t) != TaskState.DEAD);
        }
        TaskHandle t = running.get(data.consumeInt(0, running.size() - 1));
        IpcBuffer ipc = d.ipc(t);
        for (int k = 0; k < 4 && data.consumeBoolean(); k++) {
            ipc.setCap(data.consumeInt(0, 3), slot(data));
            ipc.setReceiveSlot(data.consumeInt(0, 3), slot(data));
        }
        KernelView before = kernel.inspect();
        String what = "step " + i + ", syscall " + roll + " by " + t.name();
        Outcome out;
        try {
            out = syscall(data, t, roll);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(what + " threw", e);
        }
        if (!out.isBlocked() && d.state(t) == TaskState.RUNNING) {
            Status s = out.status();
            Reason r = ipc.reason();
            check(ipc.status() == s, what + ": returned " + s + ", the IPC buffer says " + ipc.status());
            check(r == Reason.NONE || r.status() == s, what + ": " + s + " with reason " + r);
            if (s == Status.INVALID_ARGUMENT) {
                check(before.equals(kernel.inspect()), what + ": refused " + r + " but changed the kernel");
            }
        }
        List<String> broken = kernel.invariantViolations();
        check(broken.isEmpty(), what + ": invariants broken " + broken);
        return true;
    }

    private Outcome syscall(FuzzedDataProvider data, TaskHandle t, int roll) {
        return switch (roll) {
            case 3, 4 -> d.send(t, slot(data), info(data), timeout(data));
            case 5 -> d.nbSend(t, slot(data), info(data));
            case 6, 7 -> d.call(t, slot(data), info(data), segments(data), segments(data), timeout(data));
            case 8, 9 -> d.recv(t, slot(data), timeout(data));
            case 10 -> d.nbRecv(t, slot(data));
            case 11 -> d.reply(t, info(data));
            case 12, 13 -> d.replyWait(t, slot(data), info(data), timeout(data));
            case 14 -> d.forward(t, slot(data), info(data));
            case 15 -> d.read(t, offset(data), segment(data));
            case 16 -> d.write(t, offset(data), segment(data));
            case 17 -> d.callerInfo(t);
            case 18 -> d.suspend(t);
            case 19 -> d.resume(t, handle(data, t));
            case 20 -> d.reply(t, handle(data, t), info(data));
            case 21 -> d.forward(t, handle(data, t), slot(data), info(data));
            case 22 -> d.read(t, handle(data, t), offset(data), segment(data));
            case 23 -> d.write(t, handle(data, t), offset(data), segment(data));
            case 24 -> d.callerInfo(t, handle(data, t));
            case 25 -> d.systemMessages(t, slot(data), data.consumeInt());
            case 26 -> d.signal(t, slot(data));
            case 27 -> d.waitNotification(t, slot(data), timeout(data));
            case 28 -> d.poll(t, slot(data));
            case 29 -> d.bindNotification(t, slot(data));
            case 30 -> d.unbindNotification(t);
            case 31 -> d.copy(t, slot(data), slot(data), data.consumeInt());
            case 32 -> d.mint(t, slot(data), slot(data), data.consumeInt(), data.consumeLong());
            case 33 -> d.move(t, slot(data), slot(data));
            case 34 -> d.mutate(t, slot(data), slot(data), data.consumeInt(), data.consumeLong());
            case 35 -> d.delete(t, slot(data));
            case 36 -> d.revoke(t, slot(data));
            case 37 -> d.cancelBadgedSends(t, slot(data));
            case 38 -> d.bind(t, slot(data), slot(data), data.consumeInt(), slot(data));
            case 39 -> d.asyncSend(t, slot(data), info(data));
            case 40 -> d.asyncCall(t, slot(data), info(data));
            case 41 -> d.portInfo(t, slot(data));
            case 42 -> d.map(t, slot(data));
            case 43 -> d.unmap(t, slot(data));
            case 44 -> d.carve(t, slot(data), offset(data), offset(data), data.consumeInt(), slot(data));
            case 45 -> d.retype(t, slot(data), data.pickValue(ObjectType.values()), data.consumeLong(), slot(data));
            case 46 -> d.kill(t, slot(data));
            case 47 -> d.restart(t, slot(data));
            case 48 -> d.taskInfo(t, slot(data));
            default -> data.consumeBoolean() ? d.exit(t) : d.fault(t);
        };
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    private static int slot(FuzzedDataProvider data) {
        return data.consumeBoolean() ? data.consumeInt(-1, SLOTS) : data.consumeInt();
    }

    private static long info(FuzzedDataProvider data) {
        return data.consumeBoolean() ? io.capipc.api.MessageInfo.pack(data.consumeInt(-1, 3), data.consumeInt(0, 65),
                data.consumeInt(0, 5), false) : data.consumeLong();
    }

    private static long timeout(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> DeterministicDriver.FOREVER;
            case 1 -> 0;
            case 2 -> data.consumeLong(1, 1_000_000);
            default -> data.consumeLong();
        };
    }

    private static long offset(FuzzedDataProvider data) {
        return data.consumeBoolean() ? data.consumeLong(-1, 300) : data.consumeLong();
    }

    /** The task's last handle from Suspend, or any value. */
    private long handle(FuzzedDataProvider data, TaskHandle t) {
        return data.consumeBoolean() ? d.ipc(t).handle() : data.consumeLong();
    }

    private static MemorySegment segment(FuzzedDataProvider data) {
        return MemorySegment.ofArray(new byte[data.consumeInt(0, 300)]);
    }

    /** Up to 9 segments (one too many), each of up to 300 bytes. */
    private static MemorySegment[] segments(FuzzedDataProvider data) {
        MemorySegment[] s = new MemorySegment[data.consumeInt(0, 9)];
        for (int i = 0; i < s.length; i++) {
            s[i] = segment(data);
        }
        return s;
    }
}
