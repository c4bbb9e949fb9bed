package io.capipc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.examples.counter.Counter;
import io.capipc.examples.counter.CounterClient;
import io.capipc.examples.counter.CounterService;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.servers.IpcException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The counter on both runtimes: one-way bumps, sessions per badge closed by BADGE_DISCONNECTED, and a
 * watcher that waits for changes on a notification it sent the server as a capability.
 */
class CounterTest {
    private static final int ADDERS = 2;
    private static final int EACH = 5;

    static List<String> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void watcherAndAdders_watcherSeesTheFinalValue_sessionsClosedWhenBadgesGo(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        CounterService[] service = new CounterService[1];
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle ep = h.kernel().createEndpoint();
            SpaceHandle server = h.kernel().createSpace("counter", 8);
            h.kernel().install(server, 0, ep, Rights.READ, 0);
            h.start(h.kernel().createTask(server, "counter"), sys -> {
                service[0] = new CounterService(sys, 2, 4);
                Status end = service[0].server(0, 1).serve(sys);
                seen.add("server ended " + end);
            });
            SpaceHandle watcherSpace = h.kernel().createSpace("watcher", 4);
            h.kernel().install(watcherSpace, 0, ep, Rights.WRITE | Rights.GRANT, 100);
            h.kernel().install(watcherSpace, 1, h.kernel().createNotification(), Rights.ALL, 1);
            TaskHandle watcher = h.kernel().createTask(watcherSpace, "watcher");
            h.start(watcher, sys -> {
                Counter counter = new CounterClient(sys, 0);
                counter.watch(1);                       // sends its notification capability
                long v = counter.value();
                while (v < ADDERS * EACH * 2) {
                    if (sys.waitNotification(1) != Status.OK) {
                        throw new AssertionError("wait failed");
                    }
                    v = counter.value();
                }
                seen.add("watcher saw " + v);
            });
            List<TaskHandle> adders = new java.util.ArrayList<>();
            for (int a = 1; a <= ADDERS; a++) {
                SpaceHandle space = h.kernel().createSpace("adder" + a, 4);
                h.kernel().install(space, 0, ep, Rights.WRITE, a);
                TaskHandle t = h.kernel().createTask(space, "adder" + a);
                adders.add(t);
                h.start(t, sys -> {
                    Counter counter = new CounterClient(sys, 0);
                    for (int i = 0; i < EACH; i++) {
                        long unused = counter.add(1);
                        counter.bump();                 // one-way: a Send
                    }
                    seen.add("mine " + counter.mine()); // a Call after the Sends: they have all arrived
                    if (sys.delete(0) != Status.OK) {   // its last capability with its badge: the session closes
                        throw new AssertionError("delete failed");
                    }
                });
            }
            h.awaitEnded(adders.get(0), adders.get(1), watcher);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (service[0].closedSessions().size() < ADDERS && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(Set.of(1L, 2L), Set.copyOf(service[0].closedSessions()));
        }
        assertTrue(seen.contains("watcher saw " + ADDERS * EACH * 2), seen::toString);
        assertEquals(2, seen.stream().filter(("mine " + 2 * EACH)::equals).count(), seen::toString);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void watch_withoutGrant_failsInTransport_andTooManyWatchers_isTheDeclaredError(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle ep = h.kernel().createEndpoint();
            SpaceHandle server = h.kernel().createSpace("counter", 8);
            h.kernel().install(server, 0, ep, Rights.READ, 0);
            h.start(h.kernel().createTask(server, "counter"), sys -> {
                Status unused = new CounterService(sys, 2, 1).server(0, 1).serve(sys);
            });
            SpaceHandle space = h.kernel().createSpace("client", 4);
            h.kernel().install(space, 0, ep, Rights.WRITE, 7);
            h.kernel().install(space, 1, ep, Rights.WRITE | Rights.GRANT, 8);
            h.kernel().install(space, 2, h.kernel().createNotification(), Rights.ALL, 1);
            TaskHandle client = h.kernel().createTask(space, "client");
            h.start(client, sys -> {
                IpcException noGrant = org.junit.jupiter.api.Assertions.assertThrows(IpcException.class,
                        () -> new CounterClient(sys, 0).watch(2));
                seen.add(noGrant.status());
                Counter granted = new CounterClient(sys, 1);
                granted.watch(2);
                seen.add(org.junit.jupiter.api.Assertions.assertThrows(IpcException.class, () -> granted.watch(2)).error());
                seen.add(granted.add(3));
            });
            h.awaitEnded(client);
        }
        assertEquals(List.of(Status.INSUFFICIENT_RIGHTS, Counter.Error.TOO_MANY_WATCHERS, 3L), seen);
    }
}
