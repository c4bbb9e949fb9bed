package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.BlockedOnGraph.Edge;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.run.DeterministicDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The blocked-on graph and the deadlock report (SPEC section 11 and guarantee 12). */
class DeadlockTest {
    private static final int OWN = 0;
    private static final int PEER = 1;
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final Endpoint a = kernel.createEndpoint();
    private final Endpoint b = kernel.createEndpoint();
    private final Task serverA = server("A", a, b);
    private final Task serverB = server("B", b, a);
    private final Task client = client();

    private Task server(String name, Endpoint own, Endpoint peer) {
        Space s = kernel.createSpace(name, 2);
        kernel.install(s, OWN, own, Rights.READ, 0);
        kernel.install(s, PEER, peer, Rights.WRITE, 0);
        Task t = kernel.createTask(s, name);
        d.start(t);
        return t;
    }

    private Task client() {
        Space s = kernel.createSpace("client", 2);
        kernel.install(s, OWN, a, Rights.WRITE, 9);
        Task t = kernel.createTask(s, "client");
        d.start(t);
        return t;
    }

    @Test
    void twoServersCallingEachOther_reportedWithTheClientWaitingOnThem() {
        assertNull(d.recv(serverA, OWN));
        assertNull(d.recv(serverB, OWN));
        assertNull(d.call(client, OWN, MessageInfo.of(1, 0)));   // A takes it
        assertNull(d.call(serverA, PEER, MessageInfo.of(2, 0))); // B takes it
        assertNull(d.call(serverB, PEER, MessageInfo.of(3, 0))); // A is not receiving: B queues
        assertEquals(List.of(serverA.id(), serverB.id(), client.id()), kernel.deadlocked());
        List<Edge> edges = kernel.blockedOnGraph();
        assertTrue(edges.contains(new Edge(serverA.id(), -1, serverB.id())), edges.toString());
        assertTrue(edges.contains(new Edge(serverB.id(), a.id(), serverA.id())), edges.toString());
        assertTrue(edges.contains(new Edge(client.id(), -1, serverA.id())), edges.toString());
    }

    @Test
    void callerOfARunningServer_noDeadlock() {
        assertNull(d.recv(serverA, OWN));
        assertNull(d.call(client, OWN, MessageInfo.of(1, 0)));
        assertEquals(List.of(), kernel.deadlocked());
        assertEquals(List.of(new Edge(client.id(), -1, serverA.id())), kernel.blockedOnGraph());
    }

    @Test
    void receiverWhoseOnlySenderDied_deadlocked() {
        assertNull(d.recv(serverA, OWN));
        assertEquals(List.of(), kernel.deadlocked(), "the client and server B could still send");
        assertEquals(Status.OK, d.exit(client));
        assertEquals(Status.OK, d.exit(serverB));
        assertEquals(List.of(serverA.id()), kernel.deadlocked());
    }

    @Test
    void noBlockedTask_emptyGraphAndReport() {
        assertEquals(List.of(), kernel.blockedOnGraph());
        assertEquals(List.of(), kernel.deadlocked());
    }
}
