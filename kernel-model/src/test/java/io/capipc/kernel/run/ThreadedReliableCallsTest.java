package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.ThreadedRuntime;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 5's reliable-call scenarios on real threads (their deterministic twins are in DeathTest,
 * TimeoutTest, ForwardTest, CallReplyTest and DeadlockTest): platform and virtual, spinning and
 * parking.
 */
class ThreadedReliableCallsTest {
    private static final Duration LIMIT = ThreadedRuntimeTest.LIMIT;

    static List<org.junit.jupiter.params.provider.Arguments> runtimes() {
        return ThreadedRuntimeTest.runtimes();
    }

    private final Kernel kernel = new Kernel();

    /** A task in a new space whose slot 0 holds {@code ep} with {@code rights} and {@code badge}. */
    private TaskHandle task(String name, ObjectHandle ep, int rights, long badge) {
        SpaceHandle space = kernel.createSpace(name, 4);
        kernel.install(space, 0, ep, rights, badge);
        return kernel.createTask(space, name);
    }

    /** Waits, on the kernel's view, until {@code t} is in {@code state}. */
    private void awaitState(TaskHandle t, TaskState state) throws InterruptedException {
        long end = System.nanoTime() + LIMIT.toNanos();
        while (kernel.inspect().task(t.id()).state() != state) {
            assertTrue(System.nanoTime() < end, t + " never became " + state);
            Thread.sleep(1);
        }
    }

    private static void finish(ThreadedRuntime rt) throws InterruptedException {
        ThreadedRuntimeTest.finish(rt);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void serverDiesBeforeTakingMessage_callQueuedForTheNextServer(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        ObjectHandle ep = kernel.createEndpoint();
        TaskHandle first = task("first", ep, Rights.READ, 0);
        rt.start(first, sys -> { });
        awaitState(first, TaskState.DEAD);
        long[] answer = new long[1];
        TaskHandle client = task("client", ep, Rights.WRITE, 1);
        rt.start(client, sys -> {
            assertEquals(Status.OK, sys.call(0, MessageInfo.of(0, 0)));
            answer[0] = sys.ipc().mr(0);
        });
        awaitState(client, TaskState.BLOCKED_ON_SEND);
        rt.start(task("second", ep, Rights.READ, 0), sys -> {
            assertEquals(Status.OK, sys.recv(0));
            sys.ipc().setMr(0, 7);
            assertEquals(Status.OK, sys.reply(MessageInfo.of(0, 1)));
        });
        finish(rt);
        assertEquals(7, answer[0]);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void callerInterruptedWhileQueued_leavesQueueWithInterrupted(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        ObjectHandle ep = kernel.createEndpoint();
        Status[] seen = new Status[1];
        TaskHandle client = task("client", ep, Rights.WRITE, 1);
        Thread thread = rt.start(client, sys -> seen[0] = sys.call(0, MessageInfo.of(0, 0)));
        awaitState(client, TaskState.BLOCKED_ON_SEND);
        thread.interrupt();
        finish(rt);
        assertEquals(Status.INTERRUPTED, seen[0]);
        assertEquals(List.of(), kernel.inspect().endpoint(ep.id()).queued());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void forwardChainThroughThreeServers_lastAnswersTheOriginalCaller(ThreadedRuntime.Threads threads, Duration spin)
            throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        ObjectHandle[] eps = {kernel.createEndpoint(), kernel.createEndpoint(), kernel.createEndpoint()};
        for (int i = 0; i < 2; i++) {
            TaskHandle hop = task("server" + i, eps[i], Rights.READ, 0);
            kernel.install(hop.space(), 1, eps[i + 1], Rights.WRITE, 10 + i);
            rt.start(hop, sys -> {
                assertEquals(Status.OK, sys.recv(0));
                sys.ipc().setMr(0, sys.ipc().mr(0) + 1);
                assertEquals(Status.OK, sys.forward(1, MessageInfo.of(0, 1)));
            });
        }
        long[] last = new long[2];
        rt.start(task("server2", eps[2], Rights.READ, 0), sys -> {
            assertEquals(Status.OK, sys.recv(0));
            last[0] = sys.ipc().badge();
            sys.ipc().setMr(0, sys.ipc().mr(0) * 100);
            assertEquals(Status.OK, sys.reply(MessageInfo.of(0, 1)));
        });
        rt.start(task("client", eps[0], Rights.WRITE, 1), sys -> {
            sys.ipc().setMr(0, 1);
            assertEquals(Status.OK, sys.call(0, MessageInfo.of(0, 1)));
            assertEquals(Kind.REPLY, sys.ipc().kind());
            last[1] = sys.ipc().mr(0);
        });
        finish(rt);
        assertEquals(11, last[0], "the last server saw the badge of the capability the second one invoked");
        assertEquals(300, last[1], "1, +1, +1, x100");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void replyTwice_secondDroppedAndReachesNobody(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        ObjectHandle ep = kernel.createEndpoint();
        rt.start(task("server", ep, Rights.READ, 0), sys -> {
            for (long round = 1; round <= 2; round++) {
                assertEquals(Status.OK, sys.recv(0));
                sys.ipc().setMr(0, round);
                assertEquals(Status.OK, sys.reply(MessageInfo.of(0, 1)));
                sys.ipc().setMr(0, -round);
                assertEquals(Status.OK, sys.reply(MessageInfo.of(0, 1)), "no context: OK, dropped");
            }
        });
        long[] answers = new long[2];
        rt.start(task("client", ep, Rights.WRITE, 1), sys -> {
            for (int i = 0; i < 2; i++) {
                assertEquals(Status.OK, sys.call(0, MessageInfo.of(0, 0)));
                answers[i] = sys.ipc().mr(0);
            }
        });
        finish(rt);
        assertEquals(1, answers[0]);
        assertEquals(2, answers[1], "the dropped second reply did not answer the next Call");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void twoServersCallingEachOther_deadlockReported(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        ObjectHandle a = kernel.createEndpoint();
        ObjectHandle b = kernel.createEndpoint();
        long patience = Duration.ofSeconds(2).toNanos();
        TaskHandle serverA = task("serverA", a, Rights.READ, 0);
        kernel.install(serverA.space(), 1, b, Rights.WRITE, 1);
        TaskHandle serverB = task("serverB", b, Rights.READ, 0);
        kernel.install(serverB.space(), 1, a, Rights.WRITE, 2);
        java.util.concurrent.CyclicBarrier bothTaken = new java.util.concurrent.CyclicBarrier(2);
        java.lang.foreign.MemorySegment[] none = {};
        for (TaskHandle server : List.of(serverA, serverB)) {
            rt.start(server, sys -> {
                assertEquals(Status.OK, sys.recv(0));
                bothTaken.await(); // each holds its own client's call before calling the other
                assertEquals(Status.TIMEOUT, sys.call(1, MessageInfo.of(0, 0), none, none, patience));
            });
        }
        TaskHandle clientA = task("clientA", a, Rights.WRITE, 3);
        TaskHandle clientB = task("clientB", b, Rights.WRITE, 4);
        rt.start(clientA, sys -> assertEquals(Status.PEER_DIED, sys.call(0, MessageInfo.of(0, 0))));
        rt.start(clientB, sys -> assertEquals(Status.PEER_DIED, sys.call(0, MessageInfo.of(0, 0))));
        awaitState(serverA, TaskState.BLOCKED_ON_SEND);
        awaitState(serverB, TaskState.BLOCKED_ON_SEND);
        List<Integer> report = kernel.deadlocked();
        assertTrue(report.containsAll(List.of(serverA.id(), serverB.id(), clientA.id(), clientB.id())), report.toString());
        finish(rt);
        assertEquals(List.of(), kernel.deadlocked(), "the timeouts broke it");
    }
}
