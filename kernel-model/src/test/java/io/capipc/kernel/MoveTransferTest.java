package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.KernelView.SlotView;
import io.capipc.kernel.inspect.Outcome;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Transfer with MOVE (docs/semantics.md §12.1): a capability marked MOVE leaves the sender's slot
 * (its mapping there ends first) and arrives keeping its place in the derivation tree, in Send,
 * Call, Reply and async messages; it needs GRANT as any transfer; a move that cannot be placed
 * leaves the capability where it was.
 */
class MoveTransferTest {
    private static final int EP = 0;
    private static final int BLOCK = 1;
    private static final int SPARE = 2;
    private static final int RECEIVE = 3;
    private static final int REPLIES = 4;
    private static final int PORT = 5;

    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle ep = kernel.createEndpoint();
    private final ObjectHandle region = kernel.createRegion(1 << 16);
    private final SpaceHandle serverSpace = kernel.createSpace("server", 8);
    private final SpaceHandle clientSpace = kernel.createSpace("client", 8);
    private final TaskHandle server = kernel.createTask(serverSpace, "server");
    private final TaskHandle client = kernel.createTask(clientSpace, "client");

    MoveTransferTest() {
        kernel.install(serverSpace, EP, ep, Rights.READ | Rights.GRANT, 0);
        kernel.install(clientSpace, EP, ep, Rights.WRITE | Rights.GRANT, 7);
        kernel.install(clientSpace, SPARE, region, Rights.ALL, 0);
        d.start(server);
        d.start(client);
        // The client's capability is a child, so "its place in the tree" is visible: parent SPARE.
        assertEquals(Outcome.OK, d.copy(client, SPARE, BLOCK, Rights.ALL));
    }

    @AfterEach
    void invariantsHold() {
        assertEquals(List.of(), kernel.invariantViolations());
    }

    private SlotView slot(SpaceHandle s, int index) {
        return kernel.inspect().space(s.id()).slots().stream().filter(v -> v.index() == index).findFirst().orElse(null);
    }

    private static long withCaps(int caps) {
        return MessageInfo.pack(1, 0, caps, false);
    }

    private MemorySegment map(TaskHandle t, int cap) {
        assertEquals(Outcome.OK, d.map(t, cap));
        return d.ipc(t).mapping();
    }

    private void clientMarksBlockMove() {
        d.ipc(client).setCap(0, BLOCK);
        d.ipc(client).setMove(0, true);
    }

    @Test
    void send_move_leavesTheSendersSlot_arrivesWithItsPlaceInTheTreeKept() {
        MemorySegment before = map(client, BLOCK);
        before.set(ValueLayout.JAVA_LONG, 0, 4242);
        d.ipc(server).setReceiveSlot(0, RECEIVE);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        clientMarksBlockMove();
        assertEquals(Outcome.OK, d.send(client, EP, withCaps(1)));
        assertEquals(1, d.ipc(server).caps());
        assertNull(slot(clientSpace, BLOCK), "moved away");
        SlotView arrived = slot(serverSpace, RECEIVE);
        assertEquals(region.id(), arrived.objectId());
        assertEquals(Rights.ALL, arrived.rights());
        assertEquals(clientSpace.id(), arrived.parentSpace(), "still the child of the client's SPARE");
        assertEquals(SPARE, arrived.parentSlot());
        assertThrows(IllegalStateException.class, () -> before.get(ValueLayout.JAVA_LONG, 0),
                "the sender's mapping ended with the move");
        assertEquals(4242, map(server, RECEIVE).get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    void move_ofAnotherType_anEndpoint_alsoKeepsItsPlace() {
        ObjectHandle other = kernel.createEndpoint();
        kernel.install(clientSpace, REPLIES, other, Rights.ALL, 0);
        assertEquals(Outcome.OK, d.mint(client, REPLIES, PORT, Rights.READ | Rights.WRITE, 5));
        d.ipc(server).setReceiveSlot(0, RECEIVE);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(client).setCap(0, PORT);
        d.ipc(client).setMove(0, true);
        assertEquals(Outcome.OK, d.send(client, EP, withCaps(1)));
        SlotView arrived = slot(serverSpace, RECEIVE);
        assertEquals(ObjectType.ENDPOINT, arrived.type());
        assertEquals(5, arrived.badge());
        assertEquals(REPLIES, arrived.parentSlot());
        assertNull(slot(clientSpace, PORT));
    }

    @Test
    void move_ofTheEndpointItArrivesOn_movesIt_insteadOfUnwrapping() {
        d.ipc(server).setReceiveSlot(0, RECEIVE);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        d.ipc(client).setCap(0, EP);
        d.ipc(client).setMove(0, true);
        assertEquals(Outcome.OK, d.send(client, EP, withCaps(1)));
        assertEquals(0, d.ipc(server).unwrapped());
        assertEquals(7, slot(serverSpace, RECEIVE).badge());
        assertNull(slot(clientSpace, EP), "the client gave its only way to the server away");
    }

    @Test
    void move_withoutGrant_refused_nothingMoves() {
        kernel.install(clientSpace, REPLIES, ep, Rights.WRITE, 0);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        clientMarksBlockMove();
        KernelView before = kernel.inspect();
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.send(client, REPLIES, withCaps(1)));
        assertEquals(Reason.NEEDS_GRANT, d.ipc(client).reason());
        assertEquals(before, kernel.inspect());
    }

    @Test
    void move_withNoReceiveSlot_staysWithTheSender_andItsMappingLives() {
        MemorySegment view = map(client, BLOCK);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        clientMarksBlockMove();
        assertEquals(Outcome.OK, d.send(client, EP, withCaps(1)));
        assertEquals(0, d.ipc(server).caps());
        assertNotNull(slot(clientSpace, BLOCK));
        view.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
    }

    @Test
    void queuedMove_whoseCapabilityWasDeleted_transfersNothing() {
        clientMarksBlockMove();
        assertEquals(Outcome.BLOCKED, d.send(client, EP, withCaps(1)));
        TaskHandle sibling = kernel.createTask(clientSpace, "sibling");
        d.start(sibling);
        assertEquals(Outcome.OK, d.revoke(sibling, SPARE));
        d.ipc(server).setReceiveSlot(0, RECEIVE);
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(0, d.ipc(server).caps());
        assertNull(slot(serverSpace, RECEIVE));
    }

    @Test
    void moveFlag_staysSetUntilCleared() {
        clientMarksBlockMove();
        assertEquals(true, d.ipc(client).move(0));
        d.ipc(client).setMove(0, false);
        assertFalse(d.ipc(client).move(0));
        d.ipc(server).setReceiveSlot(0, RECEIVE);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.OK, d.send(client, EP, withCaps(1)));
        assertNotNull(slot(clientSpace, BLOCK), "a copy: the sender keeps its own");
        assertEquals(BLOCK, slot(serverSpace, RECEIVE).parentSlot());
    }

    @Test
    void callAndReply_moveTheBlockThereAndBack() {
        map(client, BLOCK).set(ValueLayout.JAVA_INT, 100, 1);
        d.ipc(server).setReceiveSlot(0, RECEIVE);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        clientMarksBlockMove();
        d.ipc(client).setReceiveSlot(0, BLOCK);
        assertEquals(Outcome.BLOCKED, d.call(client, EP, withCaps(1)));
        assertNull(slot(clientSpace, BLOCK));
        MemorySegment served = map(server, RECEIVE);
        served.set(ValueLayout.JAVA_INT, 100, served.get(ValueLayout.JAVA_INT, 100) + 1);
        d.ipc(server).setCap(0, RECEIVE);
        d.ipc(server).setMove(0, true);
        assertEquals(Outcome.OK, d.reply(server, withCaps(1)));
        assertEquals(Status.OK, d.ipc(client).status());
        assertEquals(1, d.ipc(client).caps());
        assertNull(slot(serverSpace, RECEIVE));
        assertThrows(IllegalStateException.class, () -> served.get(ValueLayout.JAVA_INT, 100));
        SlotView home = slot(clientSpace, BLOCK);
        assertEquals(SPARE, home.parentSlot(), "back in its old place");
        assertEquals(2, map(client, BLOCK).get(ValueLayout.JAVA_INT, 100));
    }

    @Test
    void asyncSend_move_leavesAtOnce_andArrivesWithItsPlaceKept() {
        ObjectHandle replies = kernel.createEndpoint();
        kernel.install(clientSpace, REPLIES, replies, Rights.READ | Rights.WRITE, 0);
        assertEquals(Outcome.OK, d.bind(client, EP, REPLIES, 2, PORT));
        clientMarksBlockMove();
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, withCaps(1)));
        assertNull(slot(clientSpace, BLOCK), "in flight: gone from the sender at once");
        d.ipc(server).setReceiveSlot(0, RECEIVE);
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(1, d.ipc(server).caps());
        SlotView arrived = slot(serverSpace, RECEIVE);
        assertEquals(region.id(), arrived.objectId());
        assertEquals(clientSpace.id(), arrived.parentSpace());
        assertEquals(SPARE, arrived.parentSlot());
    }

    @Test
    void aRevokeOfTheParent_reachesAMovedCapability() {
        d.ipc(server).setReceiveSlot(0, RECEIVE);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        clientMarksBlockMove();
        assertEquals(Outcome.OK, d.send(client, EP, withCaps(1)));
        MemorySegment served = map(server, RECEIVE);
        assertEquals(Outcome.OK, d.revoke(client, SPARE));
        assertNull(slot(serverSpace, RECEIVE));
        assertThrows(IllegalStateException.class, () -> served.get(ValueLayout.JAVA_BYTE, 0));
    }
}
