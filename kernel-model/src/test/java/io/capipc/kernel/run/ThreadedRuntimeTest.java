package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.inspect.QueueState;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The main scenarios again, through the threaded runtime, on platform and on virtual threads, with
 * spinning and with parking at once: the same transitions, with real blocking and waking.
 */
class ThreadedRuntimeTest {
    private static final int EP = 0;
    static final Duration LIMIT = Duration.ofSeconds(30);

    static List<Arguments> runtimes() {
        return List.of(
                Arguments.of(ThreadedRuntime.Threads.PLATFORM, ThreadedRuntime.DEFAULT_SPIN),
                Arguments.of(ThreadedRuntime.Threads.PLATFORM, Duration.ZERO),
                Arguments.of(ThreadedRuntime.Threads.VIRTUAL, ThreadedRuntime.DEFAULT_SPIN),
                Arguments.of(ThreadedRuntime.Threads.VIRTUAL, Duration.ZERO));
    }

    private final Kernel kernel = new Kernel();
    private final ObjectHandle endpoint = kernel.createEndpoint();

    private TaskHandle task(String name, int rights, long badge) {
        SpaceHandle space = kernel.createSpace(name, 4);
        kernel.install(space, EP, endpoint, rights, badge);
        return kernel.createTask(space, name);
    }

    /** Waits for every task of {@code rt} to end, and fails on any body that threw. */
    static void finish(ThreadedRuntime rt) throws InterruptedException {
        assertTrue(rt.awaitTermination(LIMIT), "tasks did not finish in " + LIMIT);
        assertEquals(Map.of(), rt.failures());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void callReplyWait_manyClients_eachGetsItsOwnAnswer(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        int clients = 4;
        int calls = 2_000;
        TaskHandle server = task("server", Rights.READ, 0);
        rt.start(server, sys -> {
            assertEquals(Status.OK, sys.recv(EP));
            for (int n = 1; n < clients * calls; n++) {
                sys.ipc().setMr(0, sys.ipc().mr(0) * 2 + sys.ipc().badge());
                assertEquals(Status.OK, sys.replyWait(EP, MessageInfo.of(0, 1)));
                assertEquals(Kind.CALL, sys.ipc().kind());
            }
            sys.ipc().setMr(0, sys.ipc().mr(0) * 2 + sys.ipc().badge());
            assertEquals(Status.OK, sys.reply(MessageInfo.of(0, 1)));
        });
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        for (int c = 1; c <= clients; c++) {
            long badge = c;
            rt.start(task("client" + c, Rights.WRITE, badge), sys -> {
                for (int i = 0; i < calls; i++) {
                    sys.ipc().setMr(0, i);
                    Status s = sys.call(EP, MessageInfo.of(1, 1));
                    if (s != Status.OK || sys.ipc().kind() != Kind.REPLY || sys.ipc().mr(0) != i * 2L + badge) {
                        wrong.add("client " + badge + " call " + i + ": " + s + " mr0=" + sys.ipc().mr(0));
                    }
                }
            });
        }
        finish(rt);
        assertEquals(List.of(), wrong.stream().limit(5).toList());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void send_oneSender_arrivesInOrderSent(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        int count = 5_000;
        CopyOnWriteArrayList<Long> seen = new CopyOnWriteArrayList<>();
        rt.start(task("receiver", Rights.READ, 0), sys -> {
            for (int i = 0; i < count; i++) {
                assertEquals(Status.OK, sys.recv(EP));
                assertEquals(Kind.SEND, sys.ipc().kind());
                seen.add(sys.ipc().mr(0));
            }
        });
        rt.start(task("sender", Rights.WRITE, 1), sys -> {
            for (long i = 0; i < count; i++) {
                sys.ipc().setMr(0, i);
                assertEquals(Status.OK, sys.send(EP, MessageInfo.of(0, 1)));
            }
        });
        finish(rt);
        for (int i = 0; i < count; i++) {
            assertEquals(i, seen.get(i));
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void call_withBuffers_serverReadsAndWritesCallerMemory(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        rt.start(task("server", Rights.READ, 0), sys -> {
            assertEquals(Status.OK, sys.recv(EP));
            assertEquals(Status.OK, sys.callerInfo());
            MemorySegment in = MemorySegment.ofArray(new byte[(int) sys.ipc().callerSendSize()]);
            assertEquals(Status.OK, sys.read(0, in));
            byte[] text = new String(in.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII)
                    .toUpperCase().getBytes(StandardCharsets.US_ASCII);
            assertEquals(Status.OK, sys.write(0, MemorySegment.ofArray(text)));
            sys.ipc().setMr(0, sys.ipc().count());
            assertEquals(Status.OK, sys.reply(MessageInfo.of(0, 1)));
        });
        byte[] answer = new byte[16];
        rt.start(task("client", Rights.WRITE, 9), sys -> {
            MemorySegment[] send = {MemorySegment.ofArray("hello, ".getBytes(StandardCharsets.US_ASCII)),
                                    MemorySegment.ofArray("world".getBytes(StandardCharsets.US_ASCII))};
            MemorySegment[] recv = {MemorySegment.ofArray(answer)};
            assertEquals(Status.OK, sys.call(EP, MessageInfo.of(4, 0), send, recv));
            assertEquals(12, sys.ipc().mr(0));
        });
        finish(rt);
        assertArrayEquals("HELLO, WORLD\0\0\0\0".getBytes(StandardCharsets.US_ASCII), answer);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void exit_serverReturnsHoldingContext_callerGetsPeerDied(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        TaskHandle server = task("server", Rights.READ, 0);
        rt.start(server, sys -> assertEquals(Status.OK, sys.recv(EP)));
        Status[] result = new Status[1];
        TaskHandle client = task("client", Rights.WRITE, 1);
        rt.start(client, sys -> result[0] = sys.call(EP, MessageInfo.of(0, 0)));
        finish(rt);
        assertEquals(Status.PEER_DIED, result[0]);
        assertEquals(TaskState.DEAD, kernel.inspect().task(server.id()).state());
        assertEquals(TaskState.DEAD, kernel.inspect().task(client.id()).state());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void bodyThrows_failureKeptAndCallerReleased(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        TaskHandle server = task("server", Rights.READ, 0);
        rt.start(server, sys -> {
            assertEquals(Status.OK, sys.recv(EP));
            throw new IllegalStateException("server bug");
        });
        Status[] result = new Status[1];
        rt.start(task("client", Rights.WRITE, 1), sys -> result[0] = sys.call(EP, MessageInfo.of(0, 0)));
        assertTrue(rt.awaitTermination(LIMIT));
        assertEquals(Status.PEER_DIED, result[0]);
        assertEquals("server bug", rt.failures().get(server).getMessage());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void recv_nobodySends_taskStaysBlockedAndAwaitTimesOut(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        TaskHandle receiver = task("receiver", Rights.READ, 0);
        rt.start(receiver, sys -> {
            var _ = sys.recv(EP); // blocks until the kernel is dropped
        });
        assertFalse(rt.awaitTermination(Duration.ofMillis(100)));
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, kernel.inspect().task(receiver.id()).state());
        assertEquals(List.of(receiver.id()), kernel.inspect().endpoint(endpoint.id()).queued());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void adopt_callingThreadIsTheClient_callsAStartedServer(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        rt.start(task("server", Rights.READ, 0), sys -> {
            assertEquals(Status.OK, sys.recv(EP));
            sys.ipc().setMr(0, sys.ipc().mr(0) + 1);
            assertEquals(Status.OK, sys.reply(MessageInfo.of(0, 1)));
        });
        TaskHandle client = task("client", Rights.WRITE, 1);
        var sys = rt.adopt(client);
        sys.ipc().setMr(0, 41);
        assertEquals(Status.OK, sys.call(EP, MessageInfo.of(0, 1)));
        assertEquals(42, sys.ipc().mr(0));
        rt.exit(client);
        finish(rt);
        assertEquals(TaskState.DEAD, kernel.inspect().task(client.id()).state());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void exit_fromAThreadThatDidNotAdoptTheTask_refusedAndTheTaskLives(ThreadedRuntime.Threads threads, Duration spin)
            throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        TaskHandle server = task("server", Rights.READ, 0);
        rt.start(server, sys -> assertEquals(Status.OK, sys.recv(EP)));
        TaskHandle client = task("client", Rights.WRITE, 1);
        var sys = rt.adopt(client);
        Throwable[] other = new Throwable[1];
        Thread t = Thread.ofPlatform().start(() -> other[0] = assertThrows(IllegalStateException.class, () -> rt.exit(client)));
        t.join();
        assertTrue(String.valueOf(other[0].getMessage()).contains("only by the thread that adopted it"), other[0].getMessage());
        IllegalStateException started = assertThrows(IllegalStateException.class, () -> rt.exit(server));
        assertTrue(String.valueOf(started.getMessage()).contains("server"), started.getMessage());
        long until = System.nanoTime() + LIMIT.toNanos();
        while (kernel.inspect().task(server.id()).state() != TaskState.BLOCKED_ON_RECEIVE && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, kernel.inspect().task(server.id()).state(), "the server lives and waits");
        assertEquals(Status.OK, sys.send(EP, MessageInfo.of(1, 0)));
        rt.exit(client);
        finish(rt);
        assertTrue(kernel.invariantViolations().isEmpty(), kernel.invariantViolations().toString());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void boundNotification_signalledFromAnotherThread_arrivesThroughRecv(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        var ntfn = kernel.createNotification();
        TaskHandle server = task("server", Rights.READ, 0);
        kernel.install(server.space(), 1, ntfn, Rights.READ, 0);
        TaskHandle signaller = task("signaller", Rights.WRITE, 1);
        kernel.install(signaller.space(), 1, ntfn, Rights.WRITE, 0b10);
        CopyOnWriteArrayList<Kind> kinds = new CopyOnWriteArrayList<>();
        rt.start(server, sys -> {
            assertEquals(Status.OK, sys.bindNotification(1));
            for (int i = 0; i < 2; i++) {
                assertEquals(Status.OK, sys.recv(EP));
                kinds.add(sys.ipc().kind());
            }
        });
        rt.start(signaller, sys -> {
            while (kernel.inspect().task(server.id()).state() != TaskState.BLOCKED_ON_RECEIVE) {
                Thread.onSpinWait();
            }
            assertEquals(Status.OK, sys.signal(1));
            assertEquals(Status.OK, sys.send(EP, MessageInfo.of(5, 0)));
        });
        finish(rt);
        assertEquals(List.of(Kind.NOTIFICATION, Kind.SEND), List.copyOf(kinds));
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void call_serverNeverReplies_timeoutAndServerSeesCancelled(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        Status[] seen = new Status[2];
        TaskHandle server = task("server", Rights.READ, 0);
        rt.start(server, sys -> {
            assertEquals(Status.OK, sys.recv(EP));
            while (sys.callerInfo() == Status.OK) {
                Thread.onSpinWait(); // the caller is still waiting
            }
            seen[1] = sys.callerInfo();
        });
        rt.start(task("client", Rights.WRITE, 1), sys -> {
            long t0 = System.nanoTime();
            seen[0] = sys.call(EP, MessageInfo.of(1, 0), new MemorySegment[0], new MemorySegment[0], 20_000_000L);
            assertTrue(System.nanoTime() - t0 >= 20_000_000L, "returned before its deadline");
        });
        finish(rt);
        assertEquals(Status.TIMEOUT, seen[0]);
        assertEquals(Status.CANCELLED, seen[1]);
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void interrupt_threadBlockedInRecv_interruptedAndStatusCleared(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        TaskHandle receiver = task("receiver", Rights.READ, 0);
        Object[] seen = new Object[2];
        Thread thread = rt.start(receiver, sys -> {
            seen[0] = sys.recv(EP);
            seen[1] = Thread.currentThread().isInterrupted();
        });
        while (kernel.inspect().task(receiver.id()).state() != TaskState.BLOCKED_ON_RECEIVE) {
            Thread.onSpinWait();
        }
        thread.interrupt();
        finish(rt);
        assertEquals(Status.INTERRUPTED, seen[0]);
        assertEquals(false, seen[1], "the interrupt status is cleared");
        assertEquals(QueueState.IDLE, kernel.inspect().endpoint(endpoint.id()).queue());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void interrupt_callerAfterMessageTaken_interruptedAndServerReplyDropped(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        TaskHandle server = task("server", Rights.READ, 0);
        TaskHandle client = task("client", Rights.WRITE, 1);
        Status[] seen = new Status[2];
        Thread clientThread = rt.start(client, sys -> seen[0] = sys.call(EP, MessageInfo.of(1, 0)));
        rt.start(server, sys -> {
            assertEquals(Status.OK, sys.recv(EP));
            clientThread.interrupt();
            while (kernel.inspect().task(client.id()).state() == TaskState.BLOCKED_ON_REPLY) {
                Thread.onSpinWait();
            }
            seen[1] = sys.reply(MessageInfo.of(0, 0));
        });
        finish(rt);
        assertEquals(Status.INTERRUPTED, seen[0]);
        assertEquals(Status.OK, seen[1], "a reply to a caller that gave up is dropped");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void bodyThrows_faultEndpointHearsTaskFaulted_bodyReturns_itDoesNot(ThreadedRuntime.Threads threads, Duration spin)
            throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        SpaceHandle crashing = kernel.createSpace("crashing", 4);
        kernel.install(crashing, 1, endpoint, Rights.WRITE, 0xF00);
        TaskHandle faulty = kernel.createTask(crashing, "faulty", 1);
        SpaceHandle quiet = kernel.createSpace("quiet", 4);
        kernel.install(quiet, 1, endpoint, Rights.WRITE, 0xB0B);
        TaskHandle returning = kernel.createTask(quiet, "returning", 1);
        long[] seen = new long[4];
        rt.start(task("supervisor", Rights.READ, 0), sys -> {
            assertEquals(Status.OK, sys.recv(EP));
            seen[0] = sys.ipc().label();
            seen[1] = sys.ipc().badge();
            seen[2] = sys.ipc().mr(0);
            seen[3] = MessageInfo.isSystem(sys.ipc().info()) ? 1 : 0;
            assertEquals(Status.TIMEOUT, sys.recv(EP, 50_000_000), "nothing about the task that returned");
        });
        rt.start(returning, sys -> { });
        rt.start(faulty, sys -> {
            throw new IllegalStateException("worker bug");
        });
        assertTrue(rt.awaitTermination(LIMIT));
        assertEquals(List.of(faulty), List.copyOf(rt.failures().keySet()));
        assertArrayEquals(new long[] {io.capipc.api.SystemMessage.TASK_FAULTED.label(), 0xF00,
                io.capipc.api.TaskInfo.faultedWord(faulty.id(), io.capipc.api.TaskInfo.RUNTIME_EXCEPTION), 1}, seen);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void suspendedCalls_answeredLaterByAnotherTaskOfTheSpace(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        int clients = 3;
        SpaceHandle serverSpace = kernel.createSpace("server", 8, clients);
        kernel.install(serverSpace, EP, endpoint, Rights.READ, 0);
        var handles = new java.util.concurrent.LinkedBlockingQueue<Long>();
        rt.start(kernel.createTask(serverSpace, "receiver"), sys -> {
            for (int i = 0; i < clients; i++) {
                assertEquals(Status.OK, sys.recv(EP));
                assertEquals(Status.OK, sys.suspend());
                handles.add(sys.ipc().handle());
            }
        });
        rt.start(kernel.createTask(serverSpace, "worker"), sys -> {
            for (int i = 0; i < clients; i++) {
                long handle = handles.take();
                assertEquals(Status.OK, sys.callerInfo(handle));
                sys.ipc().setMr(0, sys.ipc().callerBadge() * 10);
                assertEquals(Status.OK, sys.reply(handle, MessageInfo.of(0, 1)));
            }
        });
        long[] answers = new long[clients];
        for (int c = 0; c < clients; c++) {
            int index = c;
            rt.start(task("client" + c, Rights.WRITE, c + 1), sys -> {
                assertEquals(Status.OK, sys.call(EP, MessageInfo.of(0, 0)));
                answers[index] = sys.ipc().mr(0);
            });
        }
        finish(rt);
        assertArrayEquals(new long[] {10, 20, 30}, answers);
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void serverDiesWhileSuspendedHandleHeld_callerGetsPeerDied(ThreadedRuntime.Threads threads, Duration spin) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        SpaceHandle serverSpace = kernel.createSpace("server", 4, 1);
        kernel.install(serverSpace, EP, endpoint, Rights.READ, 0);
        rt.start(kernel.createTask(serverSpace, "server"), sys -> {
            assertEquals(Status.OK, sys.recv(EP));
            assertEquals(Status.OK, sys.suspend());
            // returns holding the handle: the space's last task is gone
        });
        Status[] seen = new Status[1];
        rt.start(task("client", Rights.WRITE, 1), sys -> seen[0] = sys.call(EP, MessageInfo.of(0, 0)));
        finish(rt);
        assertEquals(Status.PEER_DIED, seen[0]);
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void staleHandle_afterGenerationChanged_rejectedAndLaterCallerAnsweredOnce(ThreadedRuntime.Threads threads, Duration spin)
            throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads, spin);
        SpaceHandle serverSpace = kernel.createSpace("server", 4, 1);
        kernel.install(serverSpace, EP, endpoint, Rights.READ, 0);
        Status[] stale = new Status[1];
        rt.start(kernel.createTask(serverSpace, "server"), sys -> {
            assertEquals(Status.OK, sys.recv(EP));
            assertEquals(Status.OK, sys.suspend());
            long first = sys.ipc().handle();
            sys.ipc().setMr(0, 1);
            assertEquals(Status.OK, sys.reply(first, MessageInfo.of(0, 1)));
            assertEquals(Status.OK, sys.recv(EP));
            assertEquals(Status.OK, sys.suspend());
            long second = sys.ipc().handle();
            sys.ipc().setMr(0, 99);
            stale[0] = sys.reply(first, MessageInfo.of(0, 1));
            sys.ipc().setMr(0, 2);
            assertEquals(Status.OK, sys.reply(second, MessageInfo.of(0, 1)));
        });
        long[] answers = new long[2];
        rt.start(task("client", Rights.WRITE, 1), sys -> {
            for (int i = 0; i < 2; i++) {
                assertEquals(Status.OK, sys.call(EP, MessageInfo.of(0, 0)));
                answers[i] = sys.ipc().mr(0);
            }
        });
        finish(rt);
        assertEquals(Status.INVALID_CAPABILITY, stale[0]);
        assertArrayEquals(new long[] {1, 2}, answers, "the stale reply reached nobody");
    }
}
