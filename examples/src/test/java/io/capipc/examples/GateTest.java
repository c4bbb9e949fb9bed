package io.capipc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.examples.gate.Gate;
import io.capipc.examples.gate.GateClient;
import io.capipc.examples.gate.GateService;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.servers.IpcException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gate on both runtimes: one server thread holds every waiting caller by deferring their calls;
 * a notification bit opens the gate and answers them all; a caller that gives up is forgotten when
 * CALLER_CANCELLED names its token; another bit stops the server cleanly.
 */
class GateTest {
    private static final int WAITERS = 3;

    static List<String> runtimes() {
        return Harness.runtimes();
    }

    /** Slots of the controller: 0 the gate, 1 the OPEN bit of its notification, 2 the STOP bit. */
    private record Gated(TaskHandle server, GateService[] service, ObjectHandle ep, ObjectHandle ntfn) {}

    private static Gated gate(Harness h, List<Object> seen) {
        ObjectHandle ep = h.kernel().createEndpoint();
        ObjectHandle ntfn = h.kernel().createNotification();
        SpaceHandle server = h.kernel().createSpace("gate", 8, WAITERS + 1);
        h.kernel().install(server, 0, ep, Rights.READ, 0);
        h.kernel().install(server, 1, ntfn, Rights.READ, 0);
        GateService[] service = new GateService[1];
        TaskHandle t = h.kernel().createTask(server, "gate");
        h.start(t, sys -> {
            service[0] = new GateService(WAITERS + 1);
            seen.add("server " + service[0].server(0, 1).serve(sys));
        });
        return new Gated(t, service, ep, ntfn);
    }

    private static TaskHandle client(Harness h, Gated g, String name, long badge, io.capipc.api.TaskBody body) {
        SpaceHandle space = h.kernel().createSpace(name, 4);
        h.kernel().install(space, 0, g.ep(), Rights.WRITE, badge);
        h.kernel().install(space, 1, g.ntfn(), Rights.WRITE, GateService.OPEN);
        h.kernel().install(space, 2, g.ntfn(), Rights.WRITE, GateService.STOP);
        h.kernel().install(space, 3, g.ntfn(), Rights.WRITE, 4); // a bit nobody routes
        TaskHandle t = h.kernel().createTask(space, name);
        h.start(t, body);
        return t;
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void waiters_heldByOneThread_answeredWhenTheGateOpens_thenACleanStop(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            Gated g = gate(h, seen);
            TaskHandle[] waiters = new TaskHandle[WAITERS];
            for (int i = 0; i < WAITERS; i++) {
                waiters[i] = client(h, g, "waiter" + i, i + 1, sys -> seen.add("passed " + new GateClient(sys, 0).pass()));
            }
            TaskHandle opener = client(h, g, "opener", 9, sys -> {
                Gate gate = new GateClient(sys, 0);
                while (gate.waiting() < WAITERS) {
                    if (sys.signal(3) != Status.OK) { // an unrouted bit: logged, harmless; lets others run
                        throw new AssertionError();
                    }
                }
                if (sys.signal(1) != Status.OK) {
                    throw new AssertionError();
                }
            });
            h.awaitEnded(waiters);
            h.awaitEnded(opener);
            TaskHandle stopper = client(h, g, "stopper", 10, sys -> {
                if (sys.signal(2) != Status.OK) {
                    throw new AssertionError();
                }
            });
            h.awaitEnded(stopper, g.server());
        }
        assertEquals(WAITERS, seen.stream().filter("passed 1"::equals).count(), seen::toString);
        assertEquals("server OK", seen.get(seen.size() - 1));
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void deferredCall_callerTimesOut_timeoutReportedAndTheServerForgetsIt(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            Gated g = gate(h, seen);
            TaskHandle impatient = client(h, g, "impatient", 1, sys -> {
                Gate gate = new GateClient(sys, 0).timeout(50_000_000); // 50 ms: virtual on the simulated runtime
                seen.add(assertThrows(IpcException.class, gate::pass).status());
                seen.add("waiting " + new GateClient(sys, 0).waiting());
            });
            h.awaitEnded(impatient);
            assertEquals(1, g.service()[0].cancelled());
        }
        assertEquals(List.of(Status.TIMEOUT, "waiting 0"), seen);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void deferredCall_whoseCallerGaveUp_isForgottenThroughCallerCancelled(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            Gated g = gate(h, seen);
            TaskHandle quitter = client(h, g, "quitter", 1, sys -> {
                IpcException e = assertThrows(IpcException.class, () -> new GateClient(sys, 0).pass());
                seen.add(e.status());
            });
            h.awaitBlocked(quitter);
            while (h.kernel().inspect().task(quitter.id()).state() != TaskState.BLOCKED_ON_REPLY) {
                Thread.sleep(1); // blocked first in the queue, then on the reply once the server deferred it
            }
            h.interrupt(quitter);
            h.awaitEnded(quitter);
            TaskHandle checker = client(h, g, "checker", 2, sys -> seen.add("waiting " + new GateClient(sys, 0).waiting()));
            h.awaitEnded(checker);
            assertEquals(1, g.service()[0].cancelled());
            assertEquals(WAITERS + 1, h.kernel().inspect().space(g.server().space().id()).freeReplies(),
                    "the library freed the cancelled token's reply capability");
        }
        assertEquals(List.of(Status.INTERRUPTED, "waiting 0"), seen);
    }
}
