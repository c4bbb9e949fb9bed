package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;
import io.capipc.kernel.run.DeterministicDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Revoke of a derivation tree several levels deep that spans spaces, capability transfer at the
 * limits of the message's capability count, and destruction of a bound notification.
 */
class DeepRevokeTest {
    private static final int EP = 0;
    private static final int GIFT = 1;
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final Endpoint ep = kernel.createEndpoint();
    private final Endpoint gift = kernel.createEndpoint();
    private final Space serverSpace = kernel.createSpace("server", 8);
    private final Space clientSpace = kernel.createSpace("client", 8);
    private final Task server = kernel.createTask(serverSpace, "server");
    private final Task client = kernel.createTask(clientSpace, "client");

    DeepRevokeTest() {
        kernel.install(serverSpace, EP, ep, Rights.READ | Rights.GRANT, 0);
        kernel.install(clientSpace, EP, ep, Rights.WRITE | Rights.GRANT, 7);
        kernel.install(clientSpace, GIFT, gift, Rights.ALL, 0);
        d.start(server);
        d.start(client);
    }

    private KernelView.SlotView slot(Space s, int index) {
        return kernel.inspect().space(s.id()).slots().stream().filter(v -> v.index() == index).findFirst().orElse(null);
    }

    @Test
    void revoke_treeThreeLevelsDeepInTwoSpaces_everyDescendantGoneAndQueuedSenderRevoked() {
        server.ipc().setReceiveSlot(0, 4);
        assertNull(d.recv(server, EP));
        client.ipc().setCap(0, GIFT);
        assertEquals(Status.OK, d.send(client, EP, MessageInfo.pack(1, 0, 1, false)));
        assertEquals(gift.id(), slot(serverSpace, 4).objectId());
        assertEquals(Status.OK, d.copy(server, 4, 5, Rights.READ | Rights.WRITE));
        assertEquals(Status.OK, d.mint(server, 5, 6, Rights.WRITE, 0x66));
        assertEquals(Status.OK, d.copy(client, GIFT, 3, Rights.READ));
        assertEquals(Status.OK, d.copy(client, 3, 4, Rights.READ));
        Task queued = kernel.createTask(serverSpace, "queued");
        d.start(queued);
        assertNull(d.send(queued, 6, MessageInfo.of(2, 0)), "no receiver on gift: queued through the great-grandchild");
        assertEquals(6, gift.capabilityCount());

        assertEquals(Status.OK, d.revoke(client, GIFT));

        assertEquals(1, gift.capabilityCount());
        for (int i : new int[] {4, 5, 6}) {
            assertNull(slot(serverSpace, i), "server slot " + i);
        }
        assertNull(slot(clientSpace, 3));
        assertNull(slot(clientSpace, 4));
        assertEquals(gift.id(), slot(clientSpace, GIFT).objectId());
        assertEquals(TaskState.RUNNING, queued.state());
        assertEquals(Status.REVOKED, queued.ipc().status());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void revoke_secondLevelOnly_keepsTheRootsOtherChildren() {
        assertEquals(Status.OK, d.copy(client, GIFT, 2, Rights.ALL));
        assertEquals(Status.OK, d.copy(client, 2, 3, Rights.READ));
        assertEquals(Status.OK, d.copy(client, 3, 4, Rights.READ));
        assertEquals(Status.OK, d.copy(client, GIFT, 5, Rights.WRITE));
        assertEquals(Status.OK, d.revoke(client, 2));
        assertEquals(gift.id(), slot(clientSpace, 2).objectId());
        assertNull(slot(clientSpace, 3));
        assertNull(slot(clientSpace, 4));
        assertEquals(gift.id(), slot(clientSpace, 5).objectId());
        assertEquals(3, gift.capabilityCount());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void send_capabilitiesBeyondTheCountHoldGarbage_ignored() {
        server.ipc().setReceiveSlot(0, 4);
        assertNull(d.recv(server, EP));
        client.ipc().setCap(0, GIFT);
        client.ipc().setCap(1, 99);
        assertEquals(Status.OK, d.send(client, EP, MessageInfo.pack(1, 0, 1, false)), "only the first capability counts");
        assertEquals(1, server.ipc().caps());
    }

    @Test
    void send_fourCapabilities_allArrive() {
        for (int i = 0; i < 4; i++) {
            server.ipc().setReceiveSlot(i, 2 + i);
        }
        assertEquals(Status.OK, d.copy(client, GIFT, 2, Rights.READ));
        assertEquals(Status.OK, d.copy(client, GIFT, 3, Rights.WRITE));
        assertEquals(Status.OK, d.copy(client, GIFT, 4, Rights.NONE));
        assertNull(d.recv(server, EP));
        for (int i = 0; i < 4; i++) {
            client.ipc().setCap(i, GIFT + i);
        }
        assertEquals(Status.OK, d.send(client, EP, MessageInfo.pack(1, 0, 4, false)));
        assertEquals(4, server.ipc().caps());
        for (int i = 2; i < 6; i++) {
            assertEquals(gift.id(), slot(serverSpace, i).objectId(), "slot " + i);
        }
    }

    @Test
    void reply_capabilitiesBeyondTheCountHoldGarbage_ignored() {
        assertNull(d.recv(server, EP));
        client.ipc().setReceiveSlot(0, 5);
        assertNull(d.call(client, EP, MessageInfo.of(1, 0)));
        server.ipc().setCap(0, EP);
        server.ipc().setCap(1, 99);
        assertNull(d.replyWait(server, EP, MessageInfo.pack(0, 0, 1, false)), "answered, then waits for the next message");
        assertEquals(Status.OK, client.ipc().status());
        assertEquals(1, client.ipc().caps());
        assertEquals(ep.id(), slot(clientSpace, 5).objectId());
    }

    @Test
    void delete_lastCapabilityToBoundNotification_bindingEnds() {
        Notification n = kernel.createNotification();
        kernel.install(serverSpace, 7, n, Rights.READ, 0);
        assertEquals(Status.OK, d.bindNotification(server, 7));
        assertSame(n, server.boundNotification());
        assertEquals(Status.OK, d.delete(server, 7));
        assertTrue(n.isDestroyed());
        assertNull(server.boundNotification());
        assertNull(n.bound());
        assertEquals(List.of(), kernel.invariantViolations());
    }
}
