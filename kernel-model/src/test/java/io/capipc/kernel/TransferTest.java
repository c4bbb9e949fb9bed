package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import io.capipc.kernel.DeterministicDriver;
import org.junit.jupiter.api.Test;

/** Capability transfer in messages (docs/semantics.md §3): GRANT, receive slots, partial transfer, unwrapping. */
class TransferTest {
    private static final int EP = 0;
    private static final int GIFT = 1;
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle ep = kernel.createEndpoint();
    private final ObjectHandle gift = kernel.createEndpoint();
    private final SpaceHandle serverSpace = kernel.createSpace("server", 6);
    private final SpaceHandle clientSpace = kernel.createSpace("client", 6);
    private final TaskHandle server = kernel.createTask(serverSpace, "server");
    private final TaskHandle client = kernel.createTask(clientSpace, "client");

    TransferTest() {
        kernel.install(serverSpace, EP, ep, Rights.READ | Rights.GRANT, 0);
        kernel.install(clientSpace, EP, ep, Rights.WRITE | Rights.GRANT, 7);
        kernel.install(clientSpace, GIFT, gift, Rights.READ | Rights.WRITE, 3);
        d.start(server);
        d.start(client);
    }

    private KernelView.SlotView slot(SpaceHandle s, int index) {
        return kernel.inspect().space(s.id()).slots().stream().filter(v -> v.index() == index).findFirst().orElse(null);
    }

    private long withCaps(int label, int caps) {
        return MessageInfo.pack(label, 0, caps, false);
    }

    @Test
    void send_oneCapabilityWithGrant_placedInReceiveSlotAsChildOfSendersCapability() {
        d.ipc(server).setReceiveSlot(0, 4);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(client).setCap(0, GIFT);
        assertEquals(Outcome.OK, d.send(client, EP, withCaps(1, 1)));
        assertEquals(1, d.ipc(server).caps());
        assertEquals(0, d.ipc(server).unwrapped());
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
        SpaceHandle other = kernel.createSpace("other", 4);
        kernel.install(other, EP, ep, Rights.WRITE, 0);
        kernel.install(other, GIFT, gift, Rights.ALL, 0);
        TaskHandle t = kernel.createTask(other, "other");
        d.start(t);
        d.ipc(t).setCap(0, GIFT);
        KernelView before = kernel.inspect();
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.send(t, EP, withCaps(1, 1)));
        assertEquals(before, kernel.inspect());
    }

    @Test
    void send_transferRefusals_inSpecOrder() {
        d.ipc(client).setCap(0, 9);
        assertEquals(Outcome.INVALID_ARGUMENT, d.send(client, 5, withCaps(1, 1)), "a transferred slot out of range is an argument");
        d.ipc(client).setCap(0, 3);
        assertEquals(Outcome.INVALID_CAPABILITY, d.send(client, EP, withCaps(1, 1)), "an empty transferred slot");
        assertEquals(Outcome.INVALID_ARGUMENT, d.send(client, EP, withCaps(1, 5)), "more than 4 capabilities");
    }

    @Test
    void transfer_fewerReceiveSlotsThanCapabilities_stopsAndSaysHowManyArrived() {
        kernel.install(clientSpace, 2, kernel.createEndpoint(), Rights.ALL, 0);
        d.ipc(server).setReceiveSlot(0, 4);
        d.ipc(server).setReceiveSlot(1, -1);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(client).setCap(0, GIFT);
        d.ipc(client).setCap(1, 2);
        assertEquals(Outcome.OK, d.send(client, EP, withCaps(1, 2)));
        assertEquals(1, d.ipc(server).caps());
        assertEquals(gift.id(), slot(serverSpace, 4).objectId());
        assertNull(slot(serverSpace, 5));
    }

    @Test
    void transfer_occupiedReceiveSlot_stopsAtIt() {
        d.ipc(server).setReceiveSlot(0, EP);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(client).setCap(0, GIFT);
        assertEquals(Outcome.OK, d.send(client, EP, withCaps(1, 1)));
        assertEquals(0, d.ipc(server).caps());
        assertEquals(ep.id(), slot(serverSpace, EP).objectId(), "the occupied slot is untouched");
    }

    @Test
    void transfer_capabilityToTheReceivingEndpoint_unwrappedToItsBadge() {
        d.ipc(server).setReceiveSlot(0, 4);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(client).setCap(0, EP);
        d.ipc(client).setCap(1, GIFT);
        assertEquals(Outcome.OK, d.send(client, EP, withCaps(1, 2)));
        assertEquals(2, d.ipc(server).caps());
        assertEquals(0b01, d.ipc(server).unwrapped());
        assertEquals(7, d.ipc(server).capBadge(0));
        assertEquals(gift.id(), slot(serverSpace, 4).objectId(), "the next capability takes the first receive slot");
    }

    @Test
    void transfer_capabilityRevokedWhileMessageQueued_notDelivered() {
        TaskHandle sibling = kernel.createTask(clientSpace, "client-sibling");
        d.start(sibling);
        assertEquals(Outcome.OK, d.copy(sibling, GIFT, 3, Rights.READ));
        d.ipc(client).setCap(0, 3);
        assertEquals(Outcome.BLOCKED, d.send(client, EP, withCaps(1, 1)));
        assertEquals(Outcome.OK, d.revoke(sibling, GIFT));
        d.ipc(server).setReceiveSlot(0, 4);
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(0, d.ipc(server).caps());
        assertNull(slot(serverSpace, 4));
        assertEquals(Status.OK, d.ipc(client).status());
    }

    @Test
    void reply_withCapabilityThroughGrantedEndpoint_placedInCallersReceiveSlot() {
        kernel.install(serverSpace, 2, kernel.createNotification(), Rights.ALL, 0);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(client).setReceiveSlot(0, 5);
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0)));
        d.ipc(server).setCap(0, 2);
        assertEquals(Outcome.OK, d.reply(server, withCaps(0, 1)));
        assertEquals(Kind.REPLY, d.ipc(client).kind());
        assertEquals(1, d.ipc(client).caps());
        assertEquals(serverSpace.id(), slot(clientSpace, 5).parentSpace());
    }

    @Test
    void reply_withCapabilityThroughEndpointWithoutGrant_insufficientRightsContextKept() {
        SpaceHandle plain = kernel.createSpace("plain", 4);
        kernel.install(plain, EP, ep, Rights.READ, 0);
        kernel.install(plain, 1, kernel.createNotification(), Rights.ALL, 0);
        TaskHandle s = kernel.createTask(plain, "plain-server");
        d.start(s);
        assertEquals(Outcome.BLOCKED, d.recv(s, EP));
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0)));
        d.ipc(s).setCap(0, 1);
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.reply(s, withCaps(0, 1)));
        assertEquals(TaskState.BLOCKED_ON_REPLY, kernel.inspect().task(client.id()).state());
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.replyWait(s, EP, withCaps(0, 1)));
        assertEquals(Outcome.OK, d.reply(s, MessageInfo.of(0, 0)));
        assertEquals(Status.OK, d.ipc(client).status());
    }

    @Test
    void reply_withCapabilitiesToNobody_okAfterChecks() {
        d.ipc(server).setCap(0, 3);
        assertEquals(Outcome.INVALID_CAPABILITY, d.reply(server, withCaps(0, 1)), "the slot is checked even with no caller");
        d.ipc(server).setCap(0, EP);
        assertEquals(Outcome.OK, d.reply(server, withCaps(0, 1)));
    }
}
