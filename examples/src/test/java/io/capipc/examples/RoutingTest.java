package io.capipc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.api.TaskBody;
import io.capipc.api.TaskInfo;
import io.capipc.api.TaskState;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SimulatedRuntime;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.servers.Caller;
import io.capipc.servers.IpcException;
import io.capipc.servers.ProtocolError;
import io.capipc.servers.Server;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The server loop's routing rules and safety rules, one by one, on both runtimes where timing allows. */
class RoutingTest {
    static List<String> runtimes() {
        return Harness.runtimes();
    }

    /** The misbehaving server. */
    private static final class ProbeService implements ProbeServer {
        private final Syscalls sys;

        ProbeService(Syscalls sys) {
            this.sys = sys;
        }

        @Override
        public long echo(Caller caller, long x) {
            return x;
        }

        @Override
        public long boom(Caller caller) {
            throw new IllegalStateException("boom");
        }

        @Override
        public long fail(Caller caller) throws IpcException {
            throw IpcException.of(Probe.Error.DECLARED);
        }

        @Override
        public int capBack(Caller caller) {
            return 0; // its own endpoint capability, which it may not grant
        }

        @Override
        public void stop(Caller caller) {
            Status unused = sys.waitNotification(3, 1_000_000); // lets callers queue; times out
            caller.stopServer();
        }

        @Override
        public long give(Caller caller, int cap) {
            return cap;
        }

        @Override
        public long foreign(Caller caller) throws IpcException {
            throw IpcException.of(ProtocolError.BAD_REPLY == null ? Probe.Error.DECLARED : Thread.State.NEW);
        }
    }

    private record Probed(TaskHandle server, ObjectHandle ep, List<Object> log) {}

    private static Probed probe(Harness h, Server.ExceptionPolicy policy, List<Object> seen) {
        Kernel k = h.kernel();
        ObjectHandle ep = k.createEndpoint();
        SpaceHandle space = k.createSpace("probe", 8);
        k.install(space, 0, ep, Rights.READ, 0);
        k.install(space, 3, k.createNotification(), Rights.READ, 0);
        List<Object> log = new CopyOnWriteArrayList<>();
        TaskHandle t = k.createTask(space, "probe", -1);
        h.start(t, sys -> {
            Server server = Server.builder(0, new ProbeDispatcher(new ProbeService(sys)))
                    .receiveSlots(5)
                    .onHandlerException(policy)
                    .onTaskFaulted((srv, s, badge, word) -> log.add("faulted " + TaskInfo.faultedTask(word)
                            + " kind " + TaskInfo.faultedKind(word)))
                    .log((event, detail, cause) -> log.add(event))
                    .build();
            seen.add("server " + server.serve(sys));
        });
        return new Probed(t, ep, log);
    }

    private static TaskHandle client(Harness h, Probed p, String name, int rights, TaskBody body) {
        SpaceHandle space = h.kernel().createSpace(name, 4);
        h.kernel().install(space, 0, p.ep(), rights, 1);
        h.kernel().install(space, 1, h.kernel().createNotification(), Rights.ALL, 0);
        TaskHandle t = h.kernel().createTask(space, name);
        h.start(t, body);
        return t;
    }

    private static Object answer(ThrowingCall call) {
        try {
            return call.run();
        } catch (IpcException e) {
            return e.error() == null ? e.status() : e.error();
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        Object run() throws IpcException;
    }

    /**
     * A reply never carries registers the handler did not set: after a request of four registers,
     * the next caller's one-register echo is answered with exactly one, and an error with none, so
     * the earlier caller's MR1..3 (still in the server's buffer) never reach the later one.
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void replies_carryOnlyTheRegistersTheHandlerSet_neverAPreviousCallers(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            Probed p = probe(h, Server.ExceptionPolicy.ANSWER_AND_CONTINUE, seen);
            TaskHandle c = client(h, p, "client", Rights.WRITE, sys -> {
                for (int i = 0; i < 4; i++) {
                    sys.ipc().setMr(i, 11 * (i + 1));                      // 11, 22, 33, 44
                }
                if (sys.call(0, MessageInfo.of(1, 4)) != Status.OK) {      // echo, with three extra registers
                    throw new AssertionError("call failed");
                }
                for (int i = 0; i < 4; i++) {
                    sys.ipc().setMr(i, 0);
                }
                sys.ipc().setMr(0, 5);
                var s1 = sys.call(0, MessageInfo.of(1, 1));               // echo 5
                seen.add(s1 + " " + sys.ipc().length() + " " + sys.ipc().mr(0) + " " + sys.ipc().mr(1)
                        + " " + sys.ipc().mr(2) + " " + sys.ipc().mr(3));
                var s2 = sys.call(0, MessageInfo.of(3, 0));               // fail: a declared error
                seen.add(s2 + " " + sys.ipc().length() + " " + sys.ipc().mr(1));
            });
            h.awaitEnded(c);
        }
        assertEquals(List.of("OK 1 5 0 0 0", "OK 0 0"), List.copyOf(seen));
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void misbehavingHandlers_answeredWithErrors_andTheLoopGoesOn(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        Probed p;
        try (Harness h = Harness.of(runtime)) {
            p = probe(h, Server.ExceptionPolicy.ANSWER_AND_CONTINUE, seen);
            TaskHandle c = client(h, p, "client", Rights.WRITE | Rights.GRANT, sys -> {
                ProbeClient probe = new ProbeClient(sys, 0).receiveSlot(2);
                seen.add(answer(() -> probe.boom()));
                seen.add(answer(() -> probe.echo(1)));
                seen.add(answer(() -> probe.fail()));
                seen.add(answer(() -> probe.foreign()));
                seen.add(answer(() -> probe.capBack()));   // refused by the kernel: REPLY_REFUSED instead
                seen.add(answer(() -> probe.echo(2)));
                seen.add(answer(() -> probe.give(1)));    // arrives in receive slot 5
                seen.add(answer(() -> probe.give(1)));    // slot 5 was emptied after the first call
                seen.add(sys.call(0, MessageInfo.of(ProbeDispatcher.OP_GIVE, 0))); // no capability sent
                seen.add(sys.ipc().label() - io.capipc.servers.Wire.PROTOCOL_BASE);
            });
            h.awaitEnded(c);
        }
        assertEquals(List.of(ProtocolError.HANDLER_FAILED, 1L, Probe.Error.DECLARED, ProtocolError.HANDLER_FAILED,
                ProtocolError.REPLY_REFUSED, 2L, 5L, 5L, Status.OK, ProtocolError.MISSING_CAPABILITY.ordinal()), seen);
        assertEquals(List.of(Server.Event.HANDLER_THREW, Server.Event.HANDLER_FAILED_CALL, Server.Event.REPLY_REFUSED), p.log());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void answerAndStop_handlerThrows_callerAnsweredAndServerEnds(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            Probed p = probe(h, Server.ExceptionPolicy.ANSWER_AND_STOP, seen);
            TaskHandle c = client(h, p, "client", Rights.WRITE, sys -> seen.add(answer(() -> new ProbeClient(sys, 0).boom())));
            h.awaitEnded(c, p.server());
        }
        assertEquals(Set2.of(ProtocolError.HANDLER_FAILED, "server OK"), Set2.of(seen.toArray()));
    }

    @Test
    void answerAndRethrow_handlerThrows_callerAnsweredAndServerFaults() throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        Kernel k;
        try (Harness.Simulated h = (Harness.Simulated) Harness.of("simulated:5")) {
            k = h.kernel();
            Probed p = probe(h, Server.ExceptionPolicy.ANSWER_AND_RETHROW, seen);
            client(h, p, "client", Rights.WRITE, sys -> seen.add(answer(() -> new ProbeClient(sys, 0).boom())));
            assertEquals(SimulatedRuntime.End.ALL_ENDED, h.rt.run().end());
            assertTrue(h.rt.failures().get(p.server()) instanceof IllegalStateException, h.rt.failures()::toString);
        }
        assertEquals(List.of(ProtocolError.HANDLER_FAILED), seen);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void taskFaulted_routedToItsHandler(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            Probed p = probe(h, Server.ExceptionPolicy.ANSWER_AND_CONTINUE, seen);
            SpaceHandle space = h.kernel().createSpace("faulty", 2);
            h.kernel().install(space, 0, p.ep(), Rights.WRITE, 42);
            TaskHandle faulty = h.kernel().createTask(space, "faulty", 0);
            TaskHandle c = client(h, p, "client", Rights.WRITE, sys -> seen.add(answer(() -> new ProbeClient(sys, 0).echo(3))));
            h.awaitEnded(c);
            Harness.Threaded.expectFailure(h, faulty);
            h.start(faulty, sys -> {
                throw new IllegalStateException("fault on purpose");
            });
            long deadline = System.nanoTime() + 30_000_000_000L;
            if (h instanceof Harness.Simulated s) {
                var unused = s.rt.run();
            }
            // MR0: the task in the low 32 bits, the fault's kind (a RuntimeException: 1) in the high 32
            String expected = "faulted " + faulty.id() + " kind " + TaskInfo.RUNTIME_EXCEPTION;
            while (!p.log().contains(expected) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(p.log().contains(expected), p.log()::toString);
        }
    }

    @Test
    void stop_withCallersQueued_eachAnsweredStopped() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            List<Object> seen = new CopyOnWriteArrayList<>();
            try (Harness.Simulated h = (Harness.Simulated) Harness.of("simulated:" + seed)) {
                Probed p = probe(h, Server.ExceptionPolicy.ANSWER_AND_CONTINUE, seen);
                TaskBody echoUntilRefused = sys -> {
                    ProbeClient probe = new ProbeClient(sys, 0);
                    while (true) {
                        Object a = answer(() -> probe.echo(7));
                        if (!a.equals(7L)) {
                            seen.add(a);
                            return;
                        }
                    }
                };
                TaskHandle a = client(h, p, "a", Rights.WRITE, echoUntilRefused);
                TaskHandle b = client(h, p, "b", Rights.WRITE, echoUntilRefused);
                TaskHandle stopper = client(h, p, "stopper", Rights.WRITE, sys -> seen.add(answer(() -> {
                    new ProbeClient(sys, 0).stop();
                    return "stopped";
                })));
                assertEquals(SimulatedRuntime.End.ALL_ENDED, h.rt.run().end(), "seed " + seed);
                assertEquals(TaskState.DEAD, h.rt.state(a));
                assertEquals(TaskState.DEAD, h.rt.state(b));
                assertEquals(TaskState.DEAD, h.rt.state(stopper));
            }
            assertEquals(Set2.of("stopped", ProtocolError.STOPPED, ProtocolError.STOPPED, "server OK"), Set2.of(seen.toArray()),
                    "seed " + seed);
        }
    }

    @Test
    void builder_interfaceTakesCapabilities_withoutReceiveSlots_refusedAtBuild() {
        Server.Builder b = Server.builder(0, new ProbeDispatcher(new ProbeService(null)));
        IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
        assertTrue(e.getMessage().contains("receives up to 1 capabilities"), e.getMessage());
    }

    @Test
    void builder_settingGivenTwice_refusedNamingIt() {
        Server.Builder b = Server.builder(0, new ProbeDispatcher(new ProbeService(null))).receiveSlots(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.receiveSlots(2));
        assertTrue(e.getMessage().contains("receiveSlots was already set (to [1])"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Server.builder(0, new ProbeDispatcher(new ProbeService(null))).receiveSlots(0));
        assertThrows(IllegalArgumentException.class, () -> Server.builder(0, new ProbeDispatcher(new ProbeService(null)))
                .notification(2).onNotification(3, (s, y, bits) -> { }).onNotification(2, (s, y, bits) -> { }));
        assertThrows(IllegalStateException.class, () -> Server.builder(0, new ProbeDispatcher(new ProbeService(null)))
                .receiveSlots(1).onNotification(1, (s, y, bits) -> { }).build());
    }

    /** A multiset, for answers whose order depends on the interleaving. */
    private static final class Set2 {
        static List<String> of(Object... xs) {
            return java.util.Arrays.stream(xs).map(String::valueOf).sorted().toList();
        }
    }
}
