package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import io.capipc.kernel.DeterministicDriver;
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
    private final ObjectHandle ep = kernel.createEndpoint();
    private final ObjectHandle gift = kernel.createEndpoint();
    private final SpaceHandle serverSpace = kernel.createSpace("server", 8);
    private final SpaceHandle clientSpace = kernel.createSpace("client", 8);
    private final TaskHandle server = kernel.createTask(serverSpace, "server");
    private final TaskHandle client = kernel.createTask(clientSpace, "client");

    DeepRevokeTest() {
        kernel.install(serverSpace, EP, ep, Rights.READ | Rights.GRANT, 0);
        kernel.install(clientSpace, EP, ep, Rights.WRITE | Rights.GRANT, 7);
        kernel.install(clientSpace, GIFT, gift, Rights.ALL, 0);
        d.start(server);
        d.start(client);
    }

    private KernelView.SlotView slot(SpaceHandle s, int index) {
        return kernel.inspect().space(s.id()).slots().stream().filter(v -> v.index() == index).findFirst().orElse(null);
    }

    @Test
    void revoke_treeThreeLevelsDeepInTwoSpaces_everyDescendantGoneAndQueuedSenderRevoked() {
        d.ipc(server).setReceiveSlot(0, 4);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(client).setCap(0, GIFT);
        assertEquals(Outcome.OK, d.send(client, EP, MessageInfo.pack(1, 0, 1, false)));
        assertEquals(gift.id(), slot(serverSpace, 4).objectId());
        assertEquals(Outcome.OK, d.copy(server, 4, 5, Rights.READ | Rights.WRITE));
        assertEquals(Outcome.OK, d.mint(server, 5, 6, Rights.WRITE, 0x66));
        assertEquals(Outcome.OK, d.copy(client, GIFT, 3, Rights.READ));
        assertEquals(Outcome.OK, d.copy(client, 3, 4, Rights.READ));
        TaskHandle queued = kernel.createTask(serverSpace, "queued");
        d.start(queued);
        assertEquals(Outcome.BLOCKED, d.send(queued, 6, MessageInfo.of(2, 0)), "no receiver on gift: queued through the great-grandchild");
        assertEquals(6, kernel.object(gift).capabilityCount());

        assertEquals(Outcome.OK, d.revoke(client, GIFT));

        assertEquals(1, kernel.object(gift).capabilityCount());
        for (int i : new int[] {4, 5, 6}) {
            assertNull(slot(serverSpace, i), "server slot " + i);
        }
        assertNull(slot(clientSpace, 3));
        assertNull(slot(clientSpace, 4));
        assertEquals(gift.id(), slot(clientSpace, GIFT).objectId());
        assertEquals(TaskState.RUNNING, d.state(queued));
        assertEquals(Status.REVOKED, d.ipc(queued).status());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void revoke_secondLevelOnly_keepsTheRootsOtherChildren() {
        assertEquals(Outcome.OK, d.copy(client, GIFT, 2, Rights.ALL));
        assertEquals(Outcome.OK, d.copy(client, 2, 3, Rights.READ));
        assertEquals(Outcome.OK, d.copy(client, 3, 4, Rights.READ));
        assertEquals(Outcome.OK, d.copy(client, GIFT, 5, Rights.WRITE));
        assertEquals(Outcome.OK, d.revoke(client, 2));
        assertEquals(gift.id(), slot(clientSpace, 2).objectId());
        assertNull(slot(clientSpace, 3));
        assertNull(slot(clientSpace, 4));
        assertEquals(gift.id(), slot(clientSpace, 5).objectId());
        assertEquals(3, kernel.object(gift).capabilityCount());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void send_capabilitiesBeyondTheCountHoldGarbage_ignored() {
        d.ipc(server).setReceiveSlot(0, 4);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(client).setCap(0, GIFT);
        d.ipc(client).setCap(1, 99);
        assertEquals(Outcome.OK, d.send(client, EP, MessageInfo.pack(1, 0, 1, false)), "only the first capability counts");
        assertEquals(1, d.ipc(server).caps());
    }

    @Test
    void send_fourCapabilities_allArrive() {
        for (int i = 0; i < 4; i++) {
            d.ipc(server).setReceiveSlot(i, 2 + i);
        }
        assertEquals(Outcome.OK, d.copy(client, GIFT, 2, Rights.READ));
        assertEquals(Outcome.OK, d.copy(client, GIFT, 3, Rights.WRITE));
        assertEquals(Outcome.OK, d.copy(client, GIFT, 4, Rights.NONE));
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        for (int i = 0; i < 4; i++) {
            d.ipc(client).setCap(i, GIFT + i);
        }
        assertEquals(Outcome.OK, d.send(client, EP, MessageInfo.pack(1, 0, 4, false)));
        assertEquals(4, d.ipc(server).caps());
        for (int i = 2; i < 6; i++) {
            assertEquals(gift.id(), slot(serverSpace, i).objectId(), "slot " + i);
        }
    }

    @Test
    void reply_capabilitiesBeyondTheCountHoldGarbage_ignored() {
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(client).setReceiveSlot(0, 5);
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0)));
        d.ipc(server).setCap(0, EP);
        d.ipc(server).setCap(1, 99);
        assertEquals(Outcome.BLOCKED, d.replyWait(server, EP, MessageInfo.pack(0, 0, 1, false)), "answered, then waits for the next message");
        assertEquals(Status.OK, d.ipc(client).status());
        assertEquals(1, d.ipc(client).caps());
        assertEquals(ep.id(), slot(clientSpace, 5).objectId());
    }

    @Test
    void delete_lastCapabilityToBoundNotification_bindingEnds() {
        ObjectHandle n = kernel.createNotification();
        kernel.install(serverSpace, 7, n, Rights.READ, 0);
        assertEquals(Outcome.OK, d.bindNotification(server, 7));
        assertSame(kernel.object(n), kernel.task(server).boundNotification());
        assertEquals(Outcome.OK, d.delete(server, 7));
        assertTrue(kernel.object(n).isDestroyed());
        assertNull(kernel.task(server).boundNotification());
        assertNull(((Notification) kernel.object(n)).bound());
        assertEquals(List.of(), kernel.invariantViolations());
    }
}
