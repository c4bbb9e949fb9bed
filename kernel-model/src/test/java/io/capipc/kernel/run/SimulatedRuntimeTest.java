package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.SystemMessage;
import io.capipc.api.TaskBody;
import io.capipc.api.TaskState;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SimulatedRuntime;
import io.capipc.kernel.SimulatedRuntime.End;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.Tracer;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The simulated runtime: ordinary bodies, one at a time, in an order the seed chooses, on a virtual
 * clock. The same seed gives the same run; different seeds give different interleavings; what
 * nothing can end is reported; kills, timeouts, interrupts and revocations land where the test puts
 * them, reproducibly.
 */
class SimulatedRuntimeTest {
    private static final int EP = 0;
    private static final int CLIENTS = 3;
    private static final int CALLS = 4;

    /** A small system on a fresh kernel: a doubling server and {@link #CLIENTS} clients. */
    private static final class System {
        final Kernel kernel = new Kernel();
        final ObjectHandle ep = kernel.createEndpoint();
        final List<String> trace = new CopyOnWriteArrayList<>();
        final List<String> answers = new CopyOnWriteArrayList<>();
        TaskHandle server;
        final List<TaskHandle> clients = new ArrayList<>();

        System() {
            kernel.tracer(new Tracer() {
                @Override
                public void syscall(TaskHandle task, IpcBuffer ipc, SyscallName op, long a, long b, Outcome outcome) {
                    trace.add(task.name() + " " + op + " " + outcome);
                }

                @Override
                public void completed(TaskHandle task, IpcBuffer ipc, Status status) {
                    trace.add("  " + task.name() + " <- " + status);
                }
            });
        }

        TaskHandle task(String name, int rights, long badge) {
            SpaceHandle space = kernel.createSpace(name, 4, 2);
            kernel.install(space, EP, ep, rights, badge);
            return kernel.createTask(space, name);
        }

        void start(SimulatedRuntime rt) {
            server = task("server", Rights.READ, 0);
            rt.start(server, DOUBLER);
            for (int c = 1; c <= CLIENTS; c++) {
                TaskHandle client = task("client" + c, Rights.WRITE, c);
                clients.add(client);
                rt.start(client, caller(answers));
            }
        }
    }

    /** Answers each Call with twice its MR0 plus the caller's badge, for ever. */
    private static final TaskBody DOUBLER = sys -> {
        Status s = sys.recv(EP);
        while (s == Status.OK) {
            sys.ipc().setMr(0, sys.ipc().mr(0) * 2 + sys.ipc().badge());
            s = sys.replyWait(EP, MessageInfo.of(0, 1));
        }
    };

    private static TaskBody caller(List<String> answers) {
        return sys -> {
            for (int i = 1; i <= CALLS; i++) {
                sys.ipc().setMr(0, i);
                Status s = sys.call(EP, MessageInfo.of(1, 1));
                answers.add(s + " " + sys.ipc().mr(0));
            }
        };
    }

    private static System runWithSeed(long seed) throws InterruptedException {
        System system = new System();
        try (SimulatedRuntime rt = new SimulatedRuntime(system.kernel, seed)) {
            system.start(rt);
            SimulatedRuntime.Result r = rt.run();
            assertEquals(End.ALL_BLOCKED, r.end(), "the server waits for ever once the clients are done");
            assertEquals(List.of(system.server), r.blocked());
            assertEquals(Map.of(), rt.failures());
            system.trace.add("schedule " + rt.schedule());
        }
        return system;
    }

    @Test
    void run_sameSeed_sameTraceAndSchedule() throws Exception {
        System a = runWithSeed(42);
        System b = runWithSeed(42);
        assertEquals(a.trace, b.trace);
        assertEquals(a.answers, b.answers);
        assertEquals(CLIENTS * CALLS, a.answers.size());
        assertTrue(a.answers.stream().allMatch(x -> x.startsWith("OK ")), a.answers::toString);
    }

    @Test
    void run_differentSeeds_differentInterleavings() throws Exception {
        Set<List<String>> traces = new HashSet<>();
        for (long seed = 1; seed <= 8; seed++) {
            traces.add(runWithSeed(seed).trace);
        }
        assertTrue(traces.size() >= 4, "8 seeds gave only " + traces.size() + " interleavings");
    }

    @Test
    void run_twoServersCallingEachOther_endsAllBlockedWithDeadlockReport() throws Exception {
        Kernel kernel = new Kernel();
        ObjectHandle a = kernel.createEndpoint();
        ObjectHandle b = kernel.createEndpoint();
        SpaceHandle sa = kernel.createSpace("a", 2);
        SpaceHandle sb = kernel.createSpace("b", 2);
        kernel.install(sa, 0, a, Rights.READ, 0);
        kernel.install(sa, 1, b, Rights.WRITE, 0);
        kernel.install(sb, 0, b, Rights.READ, 0);
        kernel.install(sb, 1, a, Rights.WRITE, 0);
        TaskBody callOther = sys -> {
            var unused = sys.call(1, MessageInfo.of(0, 0));
        };
        try (SimulatedRuntime rt = new SimulatedRuntime(kernel, 7)) {
            TaskHandle ta = kernel.createTask(sa, "a");
            TaskHandle tb = kernel.createTask(sb, "b");
            rt.start(ta, callOther);
            rt.start(tb, callOther);
            SimulatedRuntime.Result r = rt.run();
            assertEquals(End.ALL_BLOCKED, r.end());
            assertEquals(List.of(ta, tb), r.blocked());
            assertEquals(Set.of(ta, tb), Set.copyOf(r.deadlocked()));
        }
    }

    @Test
    void recv_withTimeout_virtualClockJumpsToTheDeadline() throws Exception {
        System system = new System();
        long fiveMinutes = Duration.ofMinutes(5).toNanos();
        Status[] got = new Status[1];
        long start = java.lang.System.nanoTime();
        try (SimulatedRuntime rt = new SimulatedRuntime(system.kernel, 1)) {
            rt.start(system.task("server", Rights.READ, 0), sys -> got[0] = sys.recv(EP, fiveMinutes));
            SimulatedRuntime.Result r = rt.run();
            assertEquals(End.ALL_ENDED, r.end());
            assertEquals(fiveMinutes, r.now());
        }
        assertEquals(Status.TIMEOUT, got[0]);
        assertTrue(java.lang.System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "virtual time costs no real time");
    }

    @Test
    void advance_beforeTheDeadline_expiresNothing_thenAtIt_expires() throws Exception {
        System system = new System();
        Status[] got = new Status[1];
        try (SimulatedRuntime rt = new SimulatedRuntime(system.kernel, 1)) {
            TaskHandle t = system.task("server", Rights.READ, 0);
            rt.start(t, sys -> got[0] = sys.recv(EP, 1_000));
            assertEquals(End.STEP_LIMIT, rt.run(1).end());
            assertEquals(0, rt.advance(999));
            assertTrue(rt.state(t).isBlocked());
            assertEquals(1, rt.advance(1));
            assertEquals(End.ALL_ENDED, rt.run().end());
        }
        assertEquals(Status.TIMEOUT, got[0]);
    }

    /** Kills the server after {@code turns} turns; returns what the clients saw. */
    private static List<String> killServerAfter(long seed, long turns) throws InterruptedException {
        System system = new System();
        try (SimulatedRuntime rt = new SimulatedRuntime(system.kernel, seed)) {
            system.start(rt);
            assertEquals(End.STEP_LIMIT, rt.run(turns).end());
            rt.kill(system.server);
            SimulatedRuntime.Result r = rt.run();
            assertEquals(End.ALL_BLOCKED, r.end(), "clients calling a dead server's endpoint wait for a receiver");
            assertEquals(TaskState.DEAD, rt.state(system.server));
            assertEquals(Map.of(), rt.failures(), "a kill is not a fault");
        }
        return system.answers;
    }

    @Test
    void kill_serverMidRun_sameSeedSameOutcome() throws Exception {
        List<String> first = killServerAfter(3, 6);
        assertEquals(first, killServerAfter(3, 6));
        assertTrue(first.size() < CLIENTS * CALLS, first::toString);
    }

    @Test
    void kill_serverHoldingACall_callerGetsPeerDied() throws Exception {
        System system = new System();
        ObjectHandle nobody = system.kernel.createEndpoint();
        Status[] got = new Status[1];
        try (SimulatedRuntime rt = new SimulatedRuntime(system.kernel, 5)) {
            TaskHandle server = system.task("server", Rights.READ, 0);
            system.kernel.install(server.space(), 1, nobody, Rights.WRITE, 0);
            rt.start(server, sys -> {
                var unused = sys.recv(EP);
                var unused2 = sys.send(1, MessageInfo.of(0, 0)); // nobody receives: blocks, holding the Call
            });
            rt.start(system.task("client", Rights.WRITE, 1), sys -> got[0] = sys.call(EP, MessageInfo.of(0, 0)));
            assertEquals(End.ALL_BLOCKED, rt.run().end());
            assertEquals(TaskState.BLOCKED_ON_SEND, rt.state(server));
            rt.kill(server);
            assertEquals(End.ALL_ENDED, rt.run().end());
        }
        assertEquals(Status.PEER_DIED, got[0]);
    }

    @Test
    void interrupt_blockedTask_endsItsSyscallWithInterrupted() throws Exception {
        System system = new System();
        Status[] got = new Status[1];
        try (SimulatedRuntime rt = new SimulatedRuntime(system.kernel, 1)) {
            TaskHandle t = system.task("server", Rights.READ, 0);
            rt.start(t, sys -> got[0] = sys.recv(EP));
            assertEquals(End.ALL_BLOCKED, rt.run().end());
            assertTrue(rt.interrupt(t));
            assertEquals(End.ALL_ENDED, rt.run().end());
        }
        assertEquals(Status.INTERRUPTED, got[0]);
    }

    @Test
    void interrupt_runningTask_staysPendingUntilItsNextSyscallThatBlocks() throws Exception {
        System system = new System();
        List<Status> got = new CopyOnWriteArrayList<>();
        try (SimulatedRuntime rt = new SimulatedRuntime(system.kernel, 1)) {
            TaskHandle t = system.task("server", Rights.READ, 0);
            rt.start(t, sys -> {
                got.add(sys.nbRecv(EP));     // turn 1: does not block
                got.add(sys.nbRecv(EP));     // turn 2: does not block, the interrupt stays pending
                got.add(sys.recv(EP));       // would block: INTERRUPTED at once
            });
            assertEquals(End.STEP_LIMIT, rt.run(1).end());
            assertFalse(rt.interrupt(t));
            assertEquals(End.ALL_ENDED, rt.run().end());
        }
        assertEquals(List.of(Status.WOULD_BLOCK, Status.WOULD_BLOCK, Status.INTERRUPTED), got);
    }

    @Test
    void revoke_senderQueuedThroughADescendant_releasedWithRevoked() throws Exception {
        Kernel kernel = new Kernel();
        ObjectHandle ep = kernel.createEndpoint();
        SpaceHandle owner = kernel.createSpace("owner", 2);
        SpaceHandle client = kernel.createSpace("client", 2);
        kernel.install(owner, 0, ep, Rights.ALL, 0);
        Status[] got = new Status[2];
        try (SimulatedRuntime rt = new SimulatedRuntime(kernel, 9)) {
            TaskHandle o = kernel.createTask(owner, "owner");
            rt.start(o, sys -> {
                // hands the client a child of its capability by a Call the client receives
                got[0] = sys.mint(0, 1, Rights.WRITE, 5);
            });
            assertEquals(End.ALL_ENDED, rt.run().end());
            kernel.install(client, 0, ep, Rights.WRITE, 0);
            rt.start(kernel.createTask(client, "client"), sys -> got[1] = sys.send(0, MessageInfo.of(0, 0)));
            assertEquals(End.ALL_BLOCKED, rt.run().end());
            rt.delete(client, 0);
            assertEquals(End.ALL_ENDED, rt.run().end());
        }
        assertEquals(Status.OK, got[0]);
        assertEquals(Status.REVOKED, got[1]);
    }

    @Test
    void revoke_ownerRevokes_childrenInOtherSpacesGo() throws Exception {
        Kernel kernel = new Kernel();
        ObjectHandle ep = kernel.createEndpoint();
        SpaceHandle space = kernel.createSpace("s", 3);
        kernel.install(space, 0, ep, Rights.ALL, 0);
        try (SimulatedRuntime rt = new SimulatedRuntime(kernel, 1)) {
            rt.start(kernel.createTask(space, "minter"), sys -> {
                if (sys.mint(0, 1, Rights.WRITE, 3) != Status.OK) {
                    throw new AssertionError();
                }
            });
            assertEquals(End.ALL_ENDED, rt.run().end());
            rt.revoke(space, 0);
            assertEquals(List.of(0), kernel.inspect().space(space.id()).slots().stream().map(x -> x.index()).toList());
            assertThrows(IllegalArgumentException.class, () -> rt.revoke(space, 3));
        }
    }

    @Test
    void body_throws_isAFailureAndTheFaultEndpointHearsOfIt() throws Exception {
        Kernel kernel = new Kernel();
        ObjectHandle faults = kernel.createEndpoint();
        SpaceHandle space = kernel.createSpace("s", 2);
        kernel.install(space, 0, faults, Rights.ALL, 0);
        long[] heard = new long[2];
        try (SimulatedRuntime rt = new SimulatedRuntime(kernel, 1)) {
            TaskHandle bad = kernel.createTask(space, "bad", 0);
            rt.start(kernel.createTask(space, "supervisor"), sys -> {
                if (sys.recv(0) == Status.OK) {
                    heard[0] = sys.ipc().label();
                    heard[1] = sys.ipc().mr(0);
                }
            });
            rt.start(bad, sys -> {
                throw new IllegalStateException("boom");
            });
            assertEquals(End.ALL_ENDED, rt.run().end());
            assertInstanceOf(IllegalStateException.class, rt.failures().get(bad));
            assertEquals(SystemMessage.TASK_FAULTED.label(), heard[0]);
            assertEquals(io.capipc.api.TaskInfo.faultedWord(bad.id(), io.capipc.api.TaskInfo.RUNTIME_EXCEPTION), heard[1],
                    "the task and its fault's kind, as on the threaded runtime");
        }
    }

    @Test
    void run_fromATaskBody_refused() throws Exception {
        Kernel kernel = new Kernel();
        SpaceHandle space = kernel.createSpace("s", 1);
        try (SimulatedRuntime rt = new SimulatedRuntime(kernel, 1)) {
            TaskHandle t = kernel.createTask(space, "t");
            rt.start(t, sys -> rt.run());
            assertEquals(End.ALL_ENDED, rt.run().end());
            assertInstanceOf(IllegalStateException.class, rt.failures().get(t));
        }
    }

    @Test
    void turn_bodyBlocksOutsideItsSyscalls_reportedAfterTheTurnLimit() throws Exception {
        Kernel kernel = new Kernel();
        SpaceHandle space = kernel.createSpace("s", 1);
        SimulatedRuntime rt = new SimulatedRuntime(kernel, 1, Duration.ofMillis(200));
        rt.start(kernel.createTask(space, "sleeper"), sys -> Thread.sleep(2_000));
        IllegalStateException e = assertThrows(IllegalStateException.class, rt::run);
        assertTrue(e.getMessage().contains("sleeper"), e.getMessage());
    }

    @Test
    void close_killsWhatIsLeft_andEveryBodyUnwinds() throws Exception {
        System system = new System();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        boolean[] afterKill = new boolean[1];
        SimulatedRuntime rt = new SimulatedRuntime(system.kernel, 2);
        TaskHandle server = system.task("server", Rights.READ, 0);
        rt.start(server, sys -> {
            threads.add(Thread.currentThread());
            var unused = sys.recv(EP);
            afterKill[0] = true;
        });
        assertEquals(End.ALL_BLOCKED, rt.run().end());
        rt.close();
        threads.get(0).join(10_000);
        assertFalse(threads.get(0).isAlive());
        assertFalse(afterKill[0], "a killed body runs no further");
        assertEquals(TaskState.DEAD, rt.state(server));
    }

    @Test
    void sameBodies_onThreadedRuntime_sameAnswers() throws Exception {
        System simulated = runWithSeed(11);
        System threaded = new System();
        ThreadedRuntime rt = new ThreadedRuntime(threaded.kernel, ThreadedRuntime.Threads.PLATFORM);
        threaded.server = threaded.task("server", Rights.READ, 0);
        rt.start(threaded.server, DOUBLER);
        List<String> answers = new CopyOnWriteArrayList<>();
        for (int c = 1; c <= CLIENTS; c++) {
            rt.start(threaded.task("client" + c, Rights.WRITE, c), caller(answers));
        }
        while (threaded.kernel.inspect().tasks().stream().filter(t -> t.state() == TaskState.DEAD).count() < CLIENTS) {
            Thread.sleep(5);
        }
        assertEquals(sorted(simulated.answers), sorted(answers));
        assertNotEquals(0, answers.size());
    }

    private static List<String> sorted(List<String> l) {
        List<String> copy = new ArrayList<>(l);
        copy.sort(null);
        return copy;
    }

    @Test
    void kind_ofMessagesSeen_isAsOnTheOtherRuntimes() throws Exception {
        System system = new System();
        List<Kind> kinds = new CopyOnWriteArrayList<>();
        try (SimulatedRuntime rt = new SimulatedRuntime(system.kernel, 4)) {
            rt.start(system.task("server", Rights.READ, 0), sys -> {
                for (int i = 0; i < 2; i++) {
                    if (sys.recv(EP) == Status.OK) {
                        kinds.add(sys.ipc().kind());
                    }
                }
                var unused = sys.reply(MessageInfo.of(0, 0));
            });
            rt.start(system.task("client", Rights.WRITE, 1), sys -> {
                var unused = sys.send(EP, MessageInfo.of(0, 0));
                var unused2 = sys.call(EP, MessageInfo.of(0, 0));
            });
            assertEquals(End.ALL_ENDED, rt.run().end());
        }
        assertEquals(List.of(Kind.SEND, Kind.CALL), kinds);
    }

    @Test
    void restart_unwindsTheOldBody_thenRunsItAgainFromTheStart() throws Exception {
        Kernel kernel = new Kernel();
        List<String> seen = new CopyOnWriteArrayList<>();
        long[] restarts = new long[1];
        try (SimulatedRuntime rt = new SimulatedRuntime(kernel, 7)) {
            SpaceHandle childSpace = kernel.createSpace("child", 2);
            kernel.install(childSpace, EP, kernel.createEndpoint(), Rights.READ, 0);
            TaskHandle child = kernel.createTask(childSpace, "child");
            int[] run = new int[1];
            rt.start(child, sys -> {
                int k = run[0]++;
                seen.add("run " + k);
                try {
                    var _ = sys.recv(EP); // blocked for ever, until restarted
                } finally {
                    seen.add("unwound " + k);
                }
            });
            SpaceHandle boss = kernel.createSpace("boss", 2);
            kernel.install(boss, 1, kernel.taskObject(child), Rights.READ | Rights.WRITE, 0);
            TaskHandle b = kernel.createTask(boss, "boss");
            rt.start(b, sys -> {
                while (sys.taskInfo(1) == Status.OK && sys.ipc().mr(io.capipc.api.TaskInfo.STATE) != TaskState.BLOCKED_ON_RECEIVE.ordinal()) {
                    var _ = sys.nbRecv(1); // a scheduling point: the child gets turns meanwhile
                }
                seen.add("restart " + sys.restart(1));
                seen.add("restart " + sys.restart(1));
                var _ = sys.taskInfo(1);
                restarts[0] = sys.ipc().mr(io.capipc.api.TaskInfo.RESTARTS);
            });
            SimulatedRuntime.Result r = rt.run();
            assertEquals(End.ALL_BLOCKED, r.end(), r.toString());
            assertTrue(rt.state(child).isBlocked(), rt.state(child).toString());
            assertEquals(Map.of(), rt.failures());
        }
        assertEquals(2, restarts[0]);
        // Seed 7 restarts the child twice before its second body's first turn: that body never runs
        // (killed before it started), the third does; close() unwinds it.
        assertEquals(List.of("run 0", "unwound 0", "run 1", "unwound 1"),
                seen.stream().filter(x -> !x.startsWith("restart")).toList(), seen.toString());
        assertEquals(List.of("restart OK", "restart OK"), seen.stream().filter(x -> x.startsWith("restart")).toList());
    }
}
