package io.capipc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.examples.counter.CounterClient;
import io.capipc.examples.counter.CounterService;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.servers.IpcException;
import io.capipc.servers.Server;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Async calls through the generated stub ({@code @Async} on Counter.add), on both runtimes: a client
 * makes several AsyncCalls through a port, then receives the answers and decodes each by its tag; a
 * transport error (the server died holding the call) reaches {@code addResult} as PEER_DIED; and a
 * server that makes an AsyncCall itself hears the answer through {@link Server.Builder#onAsyncAnswer}.
 */
class AsyncCallTest {
    private static final int EP = 0;
    private static final int REPLIES = 1;
    private static final int PORT = 2;

    static List<String> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void threeAsyncAdds_answersDecodedByTag_inTheOrderSent(String runtime) throws Exception {
        Map<Long, Long> byTag = new ConcurrentHashMap<>();
        List<Long> tags = new CopyOnWriteArrayList<>();
        long[] after = new long[1];
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle ep = h.kernel().createEndpoint();
            SpaceHandle server = h.kernel().createSpace("counter", 8);
            h.kernel().install(server, 0, ep, Rights.READ, 0);
            h.start(h.kernel().createTask(server, "counter"), sys -> {
                Status unused = new CounterService(sys, 2, 4).server(0, 1).serve(sys);
            });
            SpaceHandle space = h.kernel().createSpace("client", 4);
            h.kernel().install(space, EP, ep, Rights.WRITE, 5);
            h.kernel().install(space, REPLIES, h.kernel().createEndpoint(), Rights.READ, 0);
            TaskHandle client = h.kernel().createTask(space, "client");
            h.start(client, sys -> {
                if (sys.bind(EP, REPLIES, 4, PORT) != Status.OK) {
                    throw new AssertionError("bind: " + sys.ipc().reason());
                }
                CounterClient counter = new CounterClient(sys, EP).port(PORT);
                for (long d = 1; d <= 3; d++) {
                    tags.add(counter.addAsync(d));       // returns at once with the call's tag
                }
                for (int i = 0; i < 3; i++) {
                    if (sys.recv(REPLIES) != Status.OK) {
                        throw new AssertionError("recv: " + sys.ipc().reason());
                    }
                    long tag = sys.ipc().badge();
                    byTag.put(tag, counter.addResult());
                }
                after[0] = counter.add(10);              // the same stub, a synchronous Call
            });
            h.awaitEnded(client);
        }
        assertEquals(3, Map.copyOf(byTag).size());
        // One port's messages arrive in the order sent, so the running sums follow the tags' order.
        assertEquals(List.of(1L, 3L, 6L), tags.stream().map(byTag::get).toList());
        assertEquals(16, after[0]);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void serverEndsHoldingTheAsyncCall_resultThrowsPeerDied(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle ep = h.kernel().createEndpoint();
            SpaceHandle server = h.kernel().createSpace("server", 4);
            h.kernel().install(server, 0, ep, Rights.READ, 0);
            TaskHandle serverTask = h.kernel().createTask(server, "server");
            h.start(serverTask, sys -> {
                if (sys.recv(0) == Status.OK) {           // takes the AsyncCall, then ends without answering
                    seen.add("took label " + sys.ipc().label());
                }
            });
            SpaceHandle space = h.kernel().createSpace("client", 4);
            h.kernel().install(space, EP, ep, Rights.WRITE, 5);
            h.kernel().install(space, REPLIES, h.kernel().createEndpoint(), Rights.READ, 0);
            TaskHandle client = h.kernel().createTask(space, "client");
            h.start(client, sys -> {
                if (sys.bind(EP, REPLIES, 1, PORT) != Status.OK) {
                    throw new AssertionError("bind: " + sys.ipc().reason());
                }
                CounterClient counter = new CounterClient(sys, EP).port(PORT);
                long tag = counter.addAsync(1);
                if (sys.recv(REPLIES) != Status.OK || sys.ipc().badge() != tag) {
                    throw new AssertionError("recv: " + sys.ipc().status() + " badge " + sys.ipc().badge());
                }
                IpcException e = assertThrows(IpcException.class, counter::addResult);
                seen.add(e.status() + " " + e.error());
                // The answer was received, so the port's one entry is free again.
                seen.add("again " + (counter.addAsync(1) != tag));
            });
            h.awaitEnded(serverTask, client);
        }
        assertEquals(List.of("took label 1", "PEER_DIED null", "again true"), List.copyOf(seen));
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void serverMakingAnAsyncCall_hearsTheAnswerThroughOnAsyncAnswer(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle counterEp = h.kernel().createEndpoint();
            SpaceHandle counterSpace = h.kernel().createSpace("counter", 8);
            h.kernel().install(counterSpace, 0, counterEp, Rights.READ, 0);
            h.start(h.kernel().createTask(counterSpace, "counter"), sys -> {
                Status unused = new CounterService(sys, 2, 4).server(0, 1).serve(sys);
            });
            // A front server whose own endpoint is its port's reply endpoint: the counter's answer
            // arrives in its loop, among its callers' messages.
            ObjectHandle frontEp = h.kernel().createEndpoint();
            SpaceHandle frontSpace = h.kernel().createSpace("front", 8);
            h.kernel().install(frontSpace, 0, frontEp, Rights.READ, 0);
            h.kernel().install(frontSpace, 1, counterEp, Rights.WRITE, 9);
            TaskHandle front = h.kernel().createTask(frontSpace, "front");
            h.start(front, sys -> {
                if (sys.bind(1, 0, 2, 2) != Status.OK) {
                    throw new AssertionError("bind: " + sys.ipc().reason());
                }
                CounterClient counter = new CounterClient(sys, 1).port(2);
                long tag = counter.addAsync(41);
                Server loop = Server.builder(0, new io.capipc.examples.counter.CounterDispatcher(new CounterService(sys, 4, 1)))
                        .receiveSlots(3)
                        .onAsyncAnswer((server, s, t) -> {
                            try {
                                seen.add((t == tag) + " " + counter.addResult());
                            } catch (IpcException e) {
                                seen.add(e);
                            }
                            server.stop();
                        })
                        .build();
                seen.add("front ended " + loop.serve(sys));
            });
            h.awaitEnded(front);
        }
        assertEquals(List.of("true 41", "front ended OK"), List.copyOf(seen));
    }
}
