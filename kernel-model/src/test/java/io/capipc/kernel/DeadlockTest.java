package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.WaitEdge;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.DeterministicDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The blocked-on graph and the deadlock report (docs/semantics.md §11 and guarantee 12). */
class DeadlockTest {
    private static final int OWN = 0;
    private static final int PEER = 1;
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle a = kernel.createEndpoint();
    private final ObjectHandle b = kernel.createEndpoint();
    private final TaskHandle serverA = server("A", a, b);
    private final TaskHandle serverB = server("B", b, a);
    private final TaskHandle client = client();

    private TaskHandle server(String name, ObjectHandle own, ObjectHandle peer) {
        SpaceHandle s = kernel.createSpace(name, 2);
        kernel.install(s, OWN, own, Rights.READ, 0);
        kernel.install(s, PEER, peer, Rights.WRITE, 0);
        TaskHandle t = kernel.createTask(s, name);
        d.start(t);
        return t;
    }

    private TaskHandle client() {
        SpaceHandle s = kernel.createSpace("client", 2);
        kernel.install(s, OWN, a, Rights.WRITE, 9);
        TaskHandle t = kernel.createTask(s, "client");
        d.start(t);
        return t;
    }

    @Test
    void twoServersCallingEachOther_reportedWithTheClientWaitingOnThem() {
        assertEquals(Outcome.BLOCKED, d.recv(serverA, OWN));
        assertEquals(Outcome.BLOCKED, d.recv(serverB, OWN));
        assertEquals(Outcome.BLOCKED, d.call(client, OWN, MessageInfo.of(1, 0)));   // A takes it
        assertEquals(Outcome.BLOCKED, d.call(serverA, PEER, MessageInfo.of(2, 0))); // B takes it
        assertEquals(Outcome.BLOCKED, d.call(serverB, PEER, MessageInfo.of(3, 0))); // A is not receiving: B queues
        assertEquals(List.of(serverA.id(), serverB.id(), client.id()), kernel.deadlocked());
        List<WaitEdge> edges = kernel.blockedOnGraph();
        assertTrue(edges.contains(new WaitEdge(serverA.id(), -1, serverB.id())), edges.toString());
        assertTrue(edges.contains(new WaitEdge(serverB.id(), a.id(), serverA.id())), edges.toString());
        assertTrue(edges.contains(new WaitEdge(client.id(), -1, serverA.id())), edges.toString());
    }

    @Test
    void callerOfARunningServer_noDeadlock() {
        assertEquals(Outcome.BLOCKED, d.recv(serverA, OWN));
        assertEquals(Outcome.BLOCKED, d.call(client, OWN, MessageInfo.of(1, 0)));
        assertEquals(List.of(), kernel.deadlocked());
        assertEquals(List.of(new WaitEdge(client.id(), -1, serverA.id())), kernel.blockedOnGraph());
    }

    @Test
    void receiverWhoseOnlySenderDied_deadlocked() {
        assertEquals(Outcome.BLOCKED, d.recv(serverA, OWN));
        assertEquals(List.of(), kernel.deadlocked(), "the client and server B could still send");
        assertEquals(Outcome.OK, d.exit(client));
        assertEquals(Outcome.OK, d.exit(serverB));
        assertEquals(List.of(serverA.id()), kernel.deadlocked());
    }

    @Test
    void noBlockedTask_emptyGraphAndReport() {
        assertEquals(List.of(), kernel.blockedOnGraph());
        assertEquals(List.of(), kernel.deadlocked());
    }
}
