package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md §13 and guarantee 11: a successful Kill allocates nothing on the killer's thread,
 * whatever its target is doing: blocked in a syscall (its thread is woken to unwind), running user
 * code between syscalls (it unwinds at its next one), never started, or already dead. The victims'
 * own unwinding happens on their threads and is not the syscall's cost. Each round kills a fresh
 * batch of each kind; the first batch warms up, and the smallest of the other rounds must be 0 bytes.
 */
class KillAllocTest {
    private static final int EP = 0;
    private static final int EMPTY = 1;
    private static final int BATCH = 12;
    private static final int ROUNDS = 4;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void kill_blockedRunningUnstartedAndDeadTasks_allocatesNothingOnTheKillersThread() throws Exception {
        Kernel kernel = new Kernel();
        ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        ObjectHandle endpoint = kernel.createEndpoint();
        int kinds = 3;
        SpaceHandle bossSpace = kernel.createSpace("boss", 2 + kinds * BATCH * ROUNDS);
        List<TaskHandle> blocked = new ArrayList<>();
        for (int i = 0; i < kinds * BATCH * ROUNDS; i++) {
            SpaceHandle space = kernel.createSpace("v" + i, 2);
            kernel.install(space, EP, endpoint, Rights.ALL, 0);
            TaskHandle v = kernel.createTask(space, "v" + i);
            kernel.install(bossSpace, 2 + i, kernel.taskObject(v), Rights.ALL, 0);
            switch (i % kinds) {
                case 0 -> {
                    rt.start(v, sys -> {
                        var _ = sys.recv(EP); // blocked until killed
                    });
                    blocked.add(v);
                }
                case 1 -> rt.start(v, sys -> {
                    while (true) { // running user code between refused syscalls
                        LockSupport.parkNanos(1_000_000);
                        var _ = sys.nbRecv(EMPTY);
                    }
                });
                default -> { } // never started: INACTIVE
            }
        }
        for (TaskHandle v : blocked) {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (kernel.inspect().task(v.id()).state() != TaskState.BLOCKED_ON_RECEIVE) {
                assertTrue(System.nanoTime() < deadline, v + " never blocked");
                LockSupport.parkNanos(1_000_000);
            }
        }
        TaskHandle boss = kernel.createTask(bossSpace, "boss");
        long[] bytes = new long[ROUNDS];
        rt.start(boss, sys -> {
            for (int r = 0; r < ROUNDS; r++) {
                int first = 2 + r * kinds * BATCH;
                long before = AllocationMeter.allocatedBytes();
                for (int i = first; i < first + kinds * BATCH; i++) {
                    expect(sys.kill(i), sys);
                    expect(sys.kill(i), sys); // already dead: OK, nothing changes
                }
                bytes[r] = AllocationMeter.allocatedBytes() - before;
            }
        });
        assertTrue(rt.awaitTermination(LIMIT), "every victim's thread unwound and the killer finished");
        assertEquals(java.util.Map.of(), rt.failures());
        long least = Long.MAX_VALUE;
        for (int r = 1; r < ROUNDS; r++) {
            least = Math.min(least, bytes[r]);
        }
        assertEquals(0L, least, "bytes allocated by the killer per round of " + kinds * BATCH * 2 + " Kills: " + java.util.Arrays.toString(bytes));
        for (int i = 0; i < kinds * BATCH * ROUNDS; i++) {
            assertEquals(TaskState.DEAD, kernel.inspect().tasks().get(i).state());
        }
        assertEquals(List.of(), kernel.invariantViolations());
    }

    /** Fails unless the Kill succeeded; allocates only to fail. */
    private static void expect(Status s, io.capipc.api.Syscalls sys) {
        if (s != Status.OK || sys.ipc().reason() != Reason.NONE) {
            throw new AssertionError("Kill returned " + s + ", " + sys.ipc().reason());
        }
    }
}
