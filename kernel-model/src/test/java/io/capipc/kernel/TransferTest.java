package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;
import io.capipc.kernel.run.DeterministicDriver;
import org.junit.jupiter.api.Test;

/** Capability transfer in messages (SPEC section 3): GRANT, receive slots, partial transfer, unwrapping. */
class TransferTest {
    private static final int EP = 0;
    private static final int GIFT = 1;
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final Endpoint ep = kernel.createEndpoint();
    private final Endpoint gift = kernel.createEndpoint();
    private final Space serverSpace = kernel.createSpace("server", 6);
    private final Space clientSpace = kernel.createSpace("client", 6);
    private final Task server = kernel.createTask(serverSpace, "server");
    private final Task client = kernel.createTask(clientSpace, "client");

    TransferTest() {
        kernel.install(serverSpace, EP, ep, Rights.READ | Rights.GRANT, 0);
        kernel.install(clientSpace, EP, ep, Rights.WRITE | Rights.GRANT, 7);
        kernel.install(clientSpace, GIFT, gift, Rights.READ | Rights.WRITE, 3);
        d.start(server);
        d.start(client);
    }

    private KernelView.SlotView slot(Space s, int index) {
        return kernel.inspect().space(s.id()).slots().stream().filter(v -> v.index() == index).findFirst().orElse(null);
    }

    private long withCaps(int label, int caps) {
        return MessageInfo.pack(label, 0, caps, false);
    }

    @Test
    void send_oneCapabilityWithGrant_placedInReceiveSlotAsChildOfSendersCapability() {
        server.ipc().setReceiveSlot(0, 4);
        assertNull(d.recv(server, EP));
        client.ipc().setCap(0, GIFT);
        assertEquals(Status.OK, d.send(client, EP, withCaps(1, 1)));
        assertEquals(1, server.ipc().caps());
        assertEquals(0, server.ipc().unwrapped());
        KernelView.SlotView placed = slot(serverSpace, 4);
        assertEquals(gift.id(), placed.objectId());
        assertEquals(Rights.READ | Rights.WRITE, placed.rights());
        assertEquals(3, placed.badge());
        assertEquals(clientSpace.id(), placed.parentSpace());
        assertEquals(GIFT, placed.parentSlot());
        assertEquals(java.util.List.of(), kernel.invariantViolations());
    }

    @Test
    void send_withoutGrant_insufficientRightsAndNothingChanges() {
        Space other = kernel.createSpace("other", 4);
        kernel.install(other, EP, ep, Rights.WRITE, 0);
        kernel.install(other, GIFT, gift, Rights.ALL, 0);
        Task t = kernel.createTask(other, "other");
        d.start(t);
        t.ipc().setCap(0, GIFT);
        KernelView before = kernel.inspect();
        assertEquals(Status.INSUFFICIENT_RIGHTS, d.send(t, EP, withCaps(1, 1)));
        assertEquals(before, kernel.inspect());
    }

    @Test
    void send_transferRefusals_inSpecOrder() {
        client.ipc().setCap(0, 9);
        assertEquals(Status.INVALID_ARGUMENT, d.send(client, 5, withCaps(1, 1)), "a transferred slot out of range is an argument");
        client.ipc().setCap(0, 3);
        assertEquals(Status.INVALID_CAPABILITY, d.send(client, EP, withCaps(1, 1)), "an empty transferred slot");
        assertEquals(Status.INVALID_ARGUMENT, d.send(client, EP, withCaps(1, 5)), "more than 4 capabilities");
    }

    @Test
    void transfer_fewerReceiveSlotsThanCapabilities_stopsAndSaysHowManyArrived() {
        kernel.install(clientSpace, 2, kernel.createEndpoint(), Rights.ALL, 0);
        server.ipc().setReceiveSlot(0, 4);
        server.ipc().setReceiveSlot(1, -1);
        assertNull(d.recv(server, EP));
        client.ipc().setCap(0, GIFT);
        client.ipc().setCap(1, 2);
        assertEquals(Status.OK, d.send(client, EP, withCaps(1, 2)));
        assertEquals(1, server.ipc().caps());
        assertEquals(gift.id(), slot(serverSpace, 4).objectId());
        assertNull(slot(serverSpace, 5));
    }

    @Test
    void transfer_occupiedReceiveSlot_stopsAtIt() {
        server.ipc().setReceiveSlot(0, EP);
        assertNull(d.recv(server, EP));
        client.ipc().setCap(0, GIFT);
        assertEquals(Status.OK, d.send(client, EP, withCaps(1, 1)));
        assertEquals(0, server.ipc().caps());
        assertEquals(ep.id(), slot(serverSpace, EP).objectId(), "the occupied slot is untouched");
    }

    @Test
    void transfer_capabilityToTheReceivingEndpoint_unwrappedToItsBadge() {
        server.ipc().setReceiveSlot(0, 4);
        assertNull(d.recv(server, EP));
        client.ipc().setCap(0, EP);
        client.ipc().setCap(1, GIFT);
        assertEquals(Status.OK, d.send(client, EP, withCaps(1, 2)));
        assertEquals(2, server.ipc().caps());
        assertEquals(0b01, server.ipc().unwrapped());
        assertEquals(7, server.ipc().capBadge(0));
        assertEquals(gift.id(), slot(serverSpace, 4).objectId(), "the next capability takes the first receive slot");
    }

    @Test
    void transfer_capabilityRevokedWhileMessageQueued_notDelivered() {
        Task sibling = kernel.createTask(clientSpace, "client-sibling");
        d.start(sibling);
        assertEquals(Status.OK, d.copy(sibling, GIFT, 3, Rights.READ));
        client.ipc().setCap(0, 3);
        assertNull(d.send(client, EP, withCaps(1, 1)));
        assertEquals(Status.OK, d.revoke(sibling, GIFT));
        server.ipc().setReceiveSlot(0, 4);
        assertEquals(Status.OK, d.recv(server, EP));
        assertEquals(0, server.ipc().caps());
        assertNull(slot(serverSpace, 4));
        assertEquals(Status.OK, client.ipc().status());
    }

    @Test
    void reply_withCapabilityThroughGrantedEndpoint_placedInCallersReceiveSlot() {
        kernel.install(serverSpace, 2, kernel.createNotification(), Rights.ALL, 0);
        assertNull(d.recv(server, EP));
        client.ipc().setReceiveSlot(0, 5);
        assertNull(d.call(client, EP, MessageInfo.of(1, 0)));
        server.ipc().setCap(0, 2);
        assertEquals(Status.OK, d.reply(server, withCaps(0, 1)));
        assertEquals(Kind.REPLY, client.ipc().kind());
        assertEquals(1, client.ipc().caps());
        assertEquals(serverSpace.id(), slot(clientSpace, 5).parentSpace());
    }

    @Test
    void reply_withCapabilityThroughEndpointWithoutGrant_insufficientRightsContextKept() {
        Space plain = kernel.createSpace("plain", 4);
        kernel.install(plain, EP, ep, Rights.READ, 0);
        kernel.install(plain, 1, kernel.createNotification(), Rights.ALL, 0);
        Task s = kernel.createTask(plain, "plain-server");
        d.start(s);
        assertNull(d.recv(s, EP));
        assertNull(d.call(client, EP, MessageInfo.of(1, 0)));
        s.ipc().setCap(0, 1);
        assertEquals(Status.INSUFFICIENT_RIGHTS, d.reply(s, withCaps(0, 1)));
        assertEquals(TaskState.BLOCKED_ON_REPLY, kernel.inspect().task(client.id()).state());
        assertEquals(Status.INSUFFICIENT_RIGHTS, d.replyWait(s, EP, withCaps(0, 1)));
        assertEquals(Status.OK, d.reply(s, MessageInfo.of(0, 0)));
        assertEquals(Status.OK, client.ipc().status());
    }

    @Test
    void reply_withCapabilitiesToNobody_okAfterChecks() {
        server.ipc().setCap(0, 3);
        assertEquals(Status.INVALID_CAPABILITY, d.reply(server, withCaps(0, 1)), "the slot is checked even with no caller");
        server.ipc().setCap(0, EP);
        assertEquals(Status.OK, d.reply(server, withCaps(0, 1)));
    }
}
