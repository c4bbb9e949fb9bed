package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.SystemMessage;
import io.capipc.api.TaskInfo;
import io.capipc.api.TaskState;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SimulatedRuntime;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Restart on the simulated runtime (docs/semantics.md §10, §13): the body starts again, on a new
 * thread that runs only when the scheduler gives it a turn, so a run with restarts is as
 * reproducible from its seed as any other.
 */
class SimulatedRestartTest {
    private static final int EP = 0;
    private static final int WORKER = 1;
    private static final int FAULTS = 2;

    /** What one seeded run of the supervisor world did. */
    private record Run(List<String> schedule, int replies, int peerDied, int other, int restarts, List<String> failures,
                       List<String> violations, SimulatedRuntime.End end) {}

    /**
     * A worker that throws on every third request, a supervisor that restarts it on each TASK_FAULTED
     * ({@code restarts} times), and a client that calls it {@code 3 * restarts} times.
     */
    private static Run supervisor(long seed, int restarts) throws Exception {
        Kernel kernel = new Kernel();
        ObjectHandle endpoint = kernel.createEndpoint();
        ObjectHandle faults = kernel.createEndpoint();
        SpaceHandle workerSpace = kernel.createSpace("worker", 4);
        kernel.install(workerSpace, EP, endpoint, Rights.ALL, 0);
        kernel.install(workerSpace, FAULTS, faults, Rights.WRITE, 0xFA);
        TaskHandle worker = kernel.createTask(workerSpace, "worker", FAULTS);
        SpaceHandle bossSpace = kernel.createSpace("boss", 4);
        kernel.install(bossSpace, WORKER, kernel.taskObject(worker), Rights.ALL, 0);
        kernel.install(bossSpace, FAULTS, faults, Rights.READ, 0);
        TaskHandle boss = kernel.createTask(bossSpace, "supervisor");
        SpaceHandle clientSpace = kernel.createSpace("client", 4);
        kernel.install(clientSpace, EP, endpoint, Rights.WRITE, 0);
        TaskHandle client = kernel.createTask(clientSpace, "client");
        int[] outcome = new int[3];
        try (SimulatedRuntime rt = new SimulatedRuntime(kernel, seed)) {
            rt.start(worker, sys -> {
                int served = 0;
                Status s = sys.recv(EP);
                while (true) {
                    if (s != Status.OK) {
                        throw new AssertionError("recv " + s);
                    }
                    if (++served % 3 == 0) {
                        throw new IllegalStateException("every third request");
                    }
                    sys.ipc().setMr(0, sys.ipc().mr(0) + 1);
                    s = sys.replyWait(EP, MessageInfo.of(0, 1));
                }
            });
            rt.start(boss, sys -> {
                for (int i = 0; i < restarts; i++) {
                    if (sys.recv(FAULTS) != Status.OK || sys.ipc().label() != SystemMessage.TASK_FAULTED.label()) {
                        throw new AssertionError("expected TASK_FAULTED");
                    }
                    if (sys.restart(WORKER) != Status.OK) {
                        throw new AssertionError("restart " + sys.ipc().reason());
                    }
                }
            });
            rt.start(client, sys -> {
                for (int i = 0; i < 3 * restarts; i++) {
                    sys.ipc().setMr(0, i);
                    Status s = sys.call(EP, MessageInfo.of(0, 1));
                    if (s == Status.OK && sys.ipc().mr(0) == i + 1) {
                        outcome[0]++;
                    } else if (s == Status.PEER_DIED) {
                        outcome[1]++;
                    } else {
                        outcome[2]++;
                    }
                }
            });
            SimulatedRuntime.Result r = rt.run();
            List<String> failures = new ArrayList<>();
            rt.failures().forEach((t, e) -> failures.add(t.name() + ": " + e.getMessage()));
            return new Run(rt.schedule().stream().map(TaskHandle::name).toList(), outcome[0], outcome[1], outcome[2], kernel.inspect().task(worker.id()).restarts(),
                    failures, kernel.invariantViolations(), r.end());
        }
    }

    @Test
    void supervisor_restartsAWorkerThatFaultsEveryThirdRequest_noLostCall() throws Exception {
        int restarts = 40;
        Run run = supervisor(7, restarts);
        assertEquals(restarts, run.restarts(), "every fault was followed by a restart");
        assertEquals(2 * restarts, run.replies(), "every call but the third of each run got its reply");
        assertEquals(restarts, run.peerDied(), "every third got PEER_DIED");
        assertEquals(0, run.other());
        assertEquals(List.of("worker: every third request"), run.failures(), "the last fault is the one recorded");
        assertEquals(List.of(), run.violations());
        // The worker's last run is blocked in Recv with no one left to call: the run ends with it.
        assertEquals(SimulatedRuntime.End.ALL_BLOCKED, run.end());
    }

    @Test
    void supervisor_sameSeed_sameScheduleWithRestarts() throws Exception {
        Run a = supervisor(11, 10);
        Run b = supervisor(11, 10);
        assertEquals(a.schedule(), b.schedule(), "the restarted bodies are scheduled like any other");
        assertEquals(a, b);
    }

    @Test
    void restart_blockedTask_oldRunUnwindsAndTheBodyStartsAgainFromTheTop() throws Exception {
        Kernel kernel = new Kernel();
        ObjectHandle endpoint = kernel.createEndpoint();
        SpaceHandle space = kernel.createSpace("s", 4);
        kernel.install(space, EP, endpoint, Rights.ALL, 0);
        TaskHandle sleeper = kernel.createTask(space, "sleeper");
        SpaceHandle bossSpace = kernel.createSpace("boss", 4);
        kernel.install(bossSpace, WORKER, kernel.taskObject(sleeper), Rights.ALL, 0);
        TaskHandle boss = kernel.createTask(bossSpace, "boss");
        List<String> log = new ArrayList<>();
        try (SimulatedRuntime rt = new SimulatedRuntime(kernel, 3)) {
            rt.start(sleeper, sys -> {
                log.add("start, MR5=" + sys.ipc().mr(5));
                sys.ipc().setMr(5, 55);
                Status s = sys.recv(EP);
                log.add("recv returned " + s); // never: the restart ends this run while it waits
            });
            rt.start(boss, sys -> {
                while (sys.taskInfo(WORKER) == Status.OK && sys.ipc().mr(TaskInfo.STATE) != TaskState.BLOCKED_ON_RECEIVE.ordinal()) {
                    var _ = sys.nbRecv(3); // a scheduling point, refused: the slot is empty
                }
                log.add("restart " + sys.restart(WORKER));
                log.add("again " + sys.restart(WORKER));
            });
            SimulatedRuntime.Result r = rt.run();
            assertEquals(List.of(sleeper), r.blocked(), "the last run waits in Recv");
        }
        // The first Restart finds the old run blocked: it unwinds at its next turn, then the new run
        // begins. The second comes before that new run had its first turn (a Restart is a scheduling
        // point, so the new run's start is logged before the restarter logs its second result): the
        // run that never began is not started twice. Every run starts on a fresh buffer.
        assertEquals(List.of("start, MR5=0", "restart OK", "start, MR5=0", "again OK"), log);
        assertEquals(2, kernel.inspect().task(sleeper.id()).restarts());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void restart_deadTask_startsAgain_andKillBeforeItsFirstTurn_leavesItDead() throws Exception {
        Kernel kernel = new Kernel();
        SpaceHandle space = kernel.createSpace("s", 2);
        TaskHandle once = kernel.createTask(space, "once");
        SpaceHandle bossSpace = kernel.createSpace("boss", 4);
        kernel.install(bossSpace, WORKER, kernel.taskObject(once), Rights.ALL, 0);
        TaskHandle boss = kernel.createTask(bossSpace, "boss");
        int[] runs = new int[1];
        List<String> log = new ArrayList<>();
        try (SimulatedRuntime rt = new SimulatedRuntime(kernel, 5)) {
            rt.start(once, sys -> runs[0]++);
            rt.start(boss, sys -> {
                while (sys.taskInfo(WORKER) == Status.OK && sys.ipc().mr(TaskInfo.STATE) != TaskState.DEAD.ordinal()) {
                    var _ = sys.nbRecv(3);
                }
                log.add("restart " + sys.restart(WORKER));
                log.add("kill " + sys.kill(WORKER)); // before the new run had a turn
                log.add("restart " + sys.restart(WORKER));
            });
            assertEquals(SimulatedRuntime.End.ALL_ENDED, rt.run().end());
        }
        assertEquals(List.of("restart OK", "kill OK", "restart OK"), log);
        assertEquals(2, runs[0], "the first run and the last restart's; the killed one never ran");
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void restart_taskNotStartedHere_notRestartable() throws Exception {
        Kernel kernel = new Kernel();
        TaskHandle idle = kernel.createTask(kernel.createSpace("idle", 1), "idle");
        SpaceHandle bossSpace = kernel.createSpace("boss", 4);
        kernel.install(bossSpace, WORKER, kernel.taskObject(idle), Rights.ALL, 0);
        TaskHandle boss = kernel.createTask(bossSpace, "boss");
        Reason[] got = new Reason[1];
        try (SimulatedRuntime rt = new SimulatedRuntime(kernel, 1)) {
            rt.start(boss, sys -> {
                var _ = sys.restart(WORKER);
                got[0] = sys.ipc().reason();
            });
            assertTrue(rt.run().end() == SimulatedRuntime.End.ALL_ENDED);
        }
        assertEquals(Reason.NOT_RESTARTABLE, got[0]);
    }
}
