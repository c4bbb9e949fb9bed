package io.capipc.system.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.SystemMessage;
import io.capipc.api.TaskInfo;
import io.capipc.api.TaskState;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.servers.IpcException;
import io.capipc.system.Harness;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The supervisor on both runtimes: both policies, the restart intensity and its window, giving up upward. */
class SupervisorTest {
    static final int EP = 0;
    static final int FAULT = 0;
    static final int OWN = 1;
    static final long HOUR = 3_600_000_000_000L;

    static List<String> runtimes() {
        return Harness.runtimes();
    }

    /** What a child does on its k-th run (from 0). */
    interface Run {
        void run(io.capipc.api.Syscalls sys, int k);
    }

    /** A system of a supervisor over children running {@code runs}, under a parent that hears its fault. */
    static final class Tree {
        final List<TaskHandle> children = new ArrayList<>();
        final List<Supervisor> supervisor = new CopyOnWriteArrayList<>();
        final List<String> parentHeard = new CopyOnWriteArrayList<>();
        TaskHandle supervisorTask;
        ObjectHandle endpoint;

        Tree(Harness h, RestartPolicy policy, Intensity intensity, List<Run> runs) {
            endpoint = h.kernel().createEndpoint();
            ObjectHandle parentEp = h.kernel().createEndpoint();
            SpaceHandle supSpace = h.kernel().createSpace("supervisor", 8);
            h.kernel().install(supSpace, EP, endpoint, Rights.READ, 0);
            List<Supervisor.Child> specs = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                SpaceHandle space = h.kernel().createSpace("child" + i, 4);
                h.kernel().install(space, FAULT, endpoint, Rights.WRITE, Supervisor.faultBadge(i));
                h.kernel().install(space, OWN, h.kernel().createEndpoint(), Rights.READ, 0);
                TaskHandle t = h.kernel().createTask(space, "child" + i, FAULT);
                children.add(t);
                h.kernel().install(supSpace, 1 + i, h.kernel().taskObject(t), Rights.READ | Rights.WRITE, 0);
                specs.add(new Supervisor.Child("child" + i, 1 + i));
                AtomicInteger count = new AtomicInteger();
                Run r = runs.get(i);
                h.start(t, sys -> r.run(sys, count.getAndIncrement()));
            }
            h.kernel().install(supSpace, 7, parentEp, Rights.WRITE, 99);
            supervisorTask = h.kernel().createTask(supSpace, "supervisor", 7);
            h.start(supervisorTask, sys -> {
                Supervisor s = new Supervisor(sys, EP, specs, policy, intensity, h.clock())
                        .knownFaults(List.of(IllegalStateException.class));
                supervisor.add(s);
                var _ = s.serve();
            });
            SpaceHandle parentSpace = h.kernel().createSpace("parent", 2);
            h.kernel().install(parentSpace, 0, parentEp, Rights.READ, 0);
            h.start(h.kernel().createTask(parentSpace, "parent"), sys -> {
                if (sys.recv(0) == Status.OK) {
                    parentHeard.add(SystemMessage.ofLabel(sys.ipc().label()) + " badge " + sys.ipc().badge());
                }
            });
        }

        SupervisorReport report() {
            return supervisor.isEmpty() ? null : supervisor.getFirst().report();
        }
    }

    static Run faults(int times) {
        return (sys, k) -> {
            if (k < times) {
                throw new IllegalStateException("on purpose, run " + k);
            }
            var _ = sys.recv(OWN); // then lives, blocked
        };
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void oneForOne_restartsOnlyTheChildThatFaulted_andSaysSoOverIpc(String runtime) throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            h.expectFailures(IllegalStateException.class);
            Tree tree = new Tree(h, RestartPolicy.ONE_FOR_ONE, new Intensity(5, HOUR), List.of(faults(2), faults(0)));
            assertTrue(h.await(() -> tree.report() != null && tree.report().children().getFirst().restarts() == 2),
                    () -> String.valueOf(tree.report()));
            SupervisorReport r = tree.report();
            assertEquals(new SupervisorReport.Child("child0", 2, 2, TaskInfo.RUNTIME_EXCEPTION,
                    IllegalStateException.class.getName().hashCode(), "IllegalStateException"), r.children().get(0));
            assertEquals(0, r.children().get(1).restarts());
            assertEquals(2, h.kernel().inspect().task(tree.children.getFirst().id()).restarts(), "the kernel agrees");
            SpaceHandle asker = h.kernel().createSpace("asker", 2);
            h.kernel().install(asker, 0, tree.endpoint, Rights.WRITE, 50);
            TaskHandle t = h.kernel().createTask(asker, "asker");
            h.start(t, sys -> {
                SupervisionClient s = new SupervisionClient(sys, 0);
                try {
                    asked.add("children " + s.children());
                    asked.add("restarts " + s.restarts(0) + " " + s.restarts(1));
                    asked.add("kind " + (s.lastFault(0) >>> 32));
                    asked.add("gave up " + s.gaveUp());
                    s.restarts(2);
                } catch (IpcException e) {
                    asked.add(String.valueOf(e.error()));
                }
            });
            h.awaitEnded(t);
        }
        assertEquals(List.of("children 2", "restarts 2 0", "kind " + TaskInfo.RUNTIME_EXCEPTION, "gave up false",
                "NO_SUCH_CHILD"), asked);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void oneForAll_restartsEveryChild(String runtime) throws Exception {
        try (Harness h = Harness.of(runtime)) {
            h.expectFailures(IllegalStateException.class);
            Tree tree = new Tree(h, RestartPolicy.ONE_FOR_ALL, new Intensity(5, HOUR), List.of(faults(0), faults(1), faults(0)));
            assertTrue(h.await(() -> tree.report() != null && tree.report().totalRestarts() == 3
                            && tree.children.stream().allMatch(c -> h.kernel().inspect().task(c.id()).state().isBlocked())),
                    () -> String.valueOf(tree.report()));
            SupervisorReport r = tree.report();
            assertEquals(List.of(1, 1, 1), r.children().stream().map(SupervisorReport.Child::restarts).toList());
            assertEquals(List.of(0, 1, 0), r.children().stream().map(SupervisorReport.Child::faults).toList());
            assertEquals(List.of(), tree.parentHeard);
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void intensityExceeded_killsTheChildren_andFaultsUpward(String runtime) throws Exception {
        try (Harness h = Harness.of(runtime)) {
            h.expectFailures(IllegalStateException.class);
            h.expectFailures(Supervisor.GaveUp.class);
            Tree tree = new Tree(h, RestartPolicy.ONE_FOR_ONE, new Intensity(2, HOUR), List.of(faults(100), faults(0)));
            assertTrue(h.await(() -> tree.parentHeard.size() == 1), () -> String.valueOf(tree.report()));
            assertEquals(List.of("TASK_FAULTED badge 99"), tree.parentHeard);
            SupervisorReport r = tree.report();
            assertTrue(r.gaveUp());
            assertEquals(2, r.children().getFirst().restarts());
            assertEquals(3, r.children().getFirst().faults());
            for (TaskHandle c : tree.children) {
                assertEquals(TaskState.DEAD, h.kernel().inspect().task(c.id()).state());
            }
            assertEquals(TaskState.DEAD, h.kernel().inspect().task(tree.supervisorTask.id()).state());
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void restartsOutsideTheWindow_doNotCount(String runtime) throws Exception {
        long window = 50_000_000L;
        try (Harness h = Harness.of(runtime)) {
            h.expectFailures(IllegalStateException.class);
            Run spaced = (sys, k) -> {
                if (k == 1) {
                    var _ = sys.recv(OWN, 4 * window); // TIMEOUT: the first restart leaves the window
                }
                if (k < 2) {
                    throw new IllegalStateException("on purpose, run " + k);
                }
                var _ = sys.recv(OWN);
            };
            Tree tree = new Tree(h, RestartPolicy.ONE_FOR_ONE, new Intensity(1, window), List.of(spaced));
            assertTrue(h.await(() -> tree.report() != null && tree.report().children().getFirst().restarts() == 2),
                    () -> String.valueOf(tree.report()));
            assertTrue(!tree.report().gaveUp());
        }
    }
}
