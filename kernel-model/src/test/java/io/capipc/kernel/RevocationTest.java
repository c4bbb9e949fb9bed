package io.capipc.kernel;

import static io.capipc.kernel.Fixture.EP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.Slot;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Move, Mutate, Revoke, CancelBadgedSends, release on delete and object destruction (SPEC section 2). */
class RevocationTest {
    private final Fixture f = new Fixture();
    /** A task with all rights to the endpoint, unbadged, in slot EP; its sibling shares its space. */
    private final Task owner = f.task("owner", f.endpoint, Rights.ALL, 0);
    private final Task sibling = f.started(f.kernel.createTask(owner.space(), "owner-sibling"));

    private KernelView.SlotView slot(Task t, int index) {
        return f.view().space(t.space().id()).slots().stream().filter(s -> s.index() == index).findFirst().orElse(null);
    }

    @Test
    void move_fullToEmpty_keepsRightsBadgeAndParent() {
        assertEquals(Status.OK, f.driver.mint(owner, EP, 1, Rights.WRITE, 9));
        assertEquals(Status.OK, f.driver.move(owner, 1, 2));
        assertNull(slot(owner, 1));
        KernelView.SlotView moved = slot(owner, 2);
        assertEquals(9, moved.badge());
        assertEquals(Rights.WRITE, moved.rights());
        assertEquals(EP, moved.parentSlot());
        f.assertConsistent();
    }

    @Test
    void move_refusals_inSpecOrderAndChangeNothing() {
        KernelView before = f.view();
        assertEquals(Status.INVALID_ARGUMENT, f.driver.move(owner, -1, 1));
        assertEquals(Status.INVALID_ARGUMENT, f.driver.move(owner, EP, Fixture.SLOTS));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.move(owner, 3, 1));
        assertEquals(Status.SLOT_OCCUPIED, f.driver.move(owner, EP, EP));
        assertEquals(before, f.view());
    }

    @Test
    void move_capabilityOfQueuedSender_senderStaysQueuedAndIsReleasedWhenNewSlotIsDeleted() {
        assertNull(f.driver.send(owner, EP, MessageInfo.of(1, 0)));
        assertEquals(Status.OK, f.driver.move(sibling, EP, 4));
        assertEquals(TaskState.BLOCKED_ON_SEND, f.state(owner));
        assertEquals(4, f.view(owner).sendSlot());
        assertEquals(Status.OK, f.driver.delete(sibling, 4));
        assertEquals(Status.REVOKED, owner.ipc().status());
        f.assertConsistent();
    }

    @Test
    void mutate_shrinksRightsAndSetsBadge() {
        assertEquals(Status.OK, f.driver.mutate(owner, EP, 1, Rights.WRITE, 5));
        assertEquals(Rights.WRITE, slot(owner, 1).rights());
        assertEquals(5, slot(owner, 1).badge());
        assertNull(slot(owner, EP));
    }

    @Test
    void mutate_badgedSourceNewBadge_invalidArgument() {
        assertEquals(Status.OK, f.driver.mint(owner, EP, 1, Rights.ALL, 5));
        assertEquals(Status.INVALID_ARGUMENT, f.driver.mutate(owner, 1, 2, Rights.ALL, 6));
        assertEquals(Status.OK, f.driver.mutate(owner, 1, 2, Rights.WRITE, 0));
        assertEquals(5, slot(owner, 2).badge());
    }

    @Test
    void mutate_capabilityWithChildren_mayMoveButNotNarrow() {
        assertEquals(Status.OK, f.driver.copy(owner, EP, 1, Rights.ALL));
        assertEquals(Status.INVALID_ARGUMENT, f.driver.mutate(owner, EP, 2, Rights.READ, 0));
        assertEquals(Status.INVALID_ARGUMENT, f.driver.mutate(owner, EP, 2, Rights.ALL, 3));
        assertEquals(Status.OK, f.driver.mutate(owner, EP, 2, Rights.ALL, 0));
        assertEquals(2, slot(owner, 1).parentSlot());
        f.assertConsistent();
    }

    @Test
    void revoke_treeAcrossSpaces_deletesEveryDescendantKeepsCapability() {
        assertEquals(Status.OK, f.driver.copy(owner, EP, 1, Rights.ALL));
        assertEquals(Status.OK, f.driver.mint(owner, 1, 2, Rights.WRITE, 7));
        assertEquals(Status.OK, f.driver.copy(sibling, 2, 3, Rights.WRITE));
        assertEquals(Status.OK, f.driver.revoke(owner, EP));
        assertEquals(List.of(EP), f.view().space(owner.space().id()).slots().stream().map(KernelView.SlotView::index).toList());
        assertFalse(f.endpoint.isDestroyed());
        f.assertConsistent();
    }

    @Test
    void revoke_emptySlotOrNoChildren_okAndNothingChanges() {
        KernelView before = f.view();
        assertEquals(Status.OK, f.driver.revoke(owner, 5));
        assertEquals(Status.OK, f.driver.revoke(owner, EP));
        assertEquals(before, f.view());
        assertEquals(Status.INVALID_ARGUMENT, f.driver.revoke(owner, Fixture.SLOTS));
    }

    @Test
    void revoke_sendersQueuedThroughDescendants_releasedWithRevoked() {
        assertEquals(Status.OK, f.driver.mint(owner, EP, 1, Rights.WRITE, 3));
        assertNull(f.driver.send(sibling, 1, MessageInfo.of(2, 0)));
        assertNull(f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Status.OK, f.driver.revoke(owner, EP));
        assertEquals(Status.REVOKED, sibling.ipc().status());
        assertEquals(TaskState.RUNNING, f.state(sibling));
        assertEquals(List.of(f.clientA.id()), f.queued(), "a sender through another capability stays queued");
        f.assertConsistent();
    }

    @Test
    void delete_callersCapabilityAfterMessageTaken_callUnaffected() {
        assertEquals(Status.OK, f.driver.copy(owner, EP, 1, Rights.WRITE));
        assertNull(f.driver.recv(f.server, EP));
        assertNull(f.driver.call(sibling, 1, MessageInfo.of(4, 0)));
        assertEquals(Status.OK, f.driver.delete(owner, 1));
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(sibling));
        assertEquals(Status.OK, f.driver.reply(f.server, MessageInfo.of(0, 0)));
        assertEquals(Status.OK, sibling.ipc().status());
        assertEquals(Kind.REPLY, sibling.ipc().kind());
    }

    @Test
    void delete_lastCapabilityWhileTasksBlockedInRecvSendAndReply_releasesQueuedWithRevokedNotReply() {
        Endpoint other = f.kernel.createEndpoint();
        Space s = f.kernel.createSpace("solo", 4);
        f.kernel.install(s, 0, other, Rights.ALL, 0);
        Task receiver = f.started(f.kernel.createTask(s, "receiver"));
        Task sender = f.started(f.kernel.createTask(s, "sender"));
        Task caller = f.started(f.kernel.createTask(s, "caller"));
        assertNull(f.driver.recv(receiver, 0));
        assertNull(f.driver.call(caller, 0, MessageInfo.of(1, 0)));  // taken by receiver at once
        assertNull(f.driver.recv(receiver, 0));                       // receiver drops the context: NO_REPLY
        assertEquals(Status.NO_REPLY, caller.ipc().status());
        assertNull(f.driver.call(caller, 0, MessageInfo.of(1, 0)));  // taken: caller waits for a reply
        assertEquals(Status.OK, f.driver.copy(receiver, 0, 1, Rights.ALL));
        assertNull(f.driver.call(sender, 1, MessageInfo.of(2, 0)));  // queued: receiver holds a context
        // receiver is RUNNING holding caller's context; sender queued through slot 1
        assertEquals(Status.OK, f.driver.delete(receiver, 1));
        assertEquals(Status.REVOKED, sender.ipc().status());
        assertEquals(Status.OK, f.driver.delete(receiver, 0));
        assertTrue(other.isDestroyed());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(caller), "a taken Call does not depend on the capability");
        assertEquals(Status.OK, f.driver.reply(receiver, MessageInfo.of(0, 0)));
        assertEquals(Status.OK, caller.ipc().status());
        f.assertConsistent();
    }

    @Test
    void delete_lastCapabilityWithReceiversQueued_allReleasedOldestFirst() {
        Endpoint other = f.kernel.createEndpoint();
        Space s = f.kernel.createSpace("solo", 4);
        f.kernel.install(s, 0, other, Rights.ALL, 0);
        Task r1 = f.started(f.kernel.createTask(s, "r1"));
        Task r2 = f.started(f.kernel.createTask(s, "r2"));
        Task killer = f.started(f.kernel.createTask(s, "killer"));
        assertNull(f.driver.recv(r1, 0));
        assertNull(f.driver.recv(r2, 0));
        assertEquals(Status.OK, f.driver.delete(killer, 0));
        assertEquals(Status.REVOKED, r1.ipc().status());
        assertEquals(Status.REVOKED, r2.ipc().status());
        assertTrue(other.isDestroyed());
        assertEquals(Endpoint.Queue.IDLE, f.kernel.inspect().endpoint(other.id()).queue());
        f.assertConsistent();
    }

    @Test
    void cancelBadgedSends_releasesOnlySendersWithThatBadge() {
        assertEquals(Status.OK, f.driver.mint(owner, EP, 1, Rights.ALL, Fixture.BADGE_A));
        assertNull(f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)));
        assertNull(f.driver.call(f.clientB, EP, MessageInfo.of(1, 0)));
        assertNull(f.driver.call(f.clientC, EP, MessageInfo.of(1, 0)));
        assertEquals(Status.OK, f.driver.cancelBadgedSends(owner, 1));
        assertEquals(Status.REVOKED, f.clientA.ipc().status());
        assertEquals(List.of(f.clientB.id(), f.clientC.id()), f.queued());
        f.assertConsistent();
    }

    @Test
    void cancelBadgedSends_refusals_inSpecOrder() {
        assertEquals(Status.OK, f.driver.mint(owner, EP, 1, Rights.READ | Rights.WRITE, 4));
        assertEquals(Status.OK, f.driver.mint(owner, EP, 2, Rights.ALL, 0));
        f.kernel.install(owner.space(), 3, f.kernel.createNotification(), Rights.ALL, 5);
        KernelView before = f.view();
        assertEquals(Status.INVALID_ARGUMENT, f.driver.cancelBadgedSends(owner, -1));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.cancelBadgedSends(owner, 6));
        assertEquals(Status.INVALID_CAPABILITY, f.driver.cancelBadgedSends(owner, 3));
        assertEquals(Status.INSUFFICIENT_RIGHTS, f.driver.cancelBadgedSends(owner, 1));
        assertEquals(Status.INVALID_ARGUMENT, f.driver.cancelBadgedSends(owner, 2));
        assertEquals(before, f.view());
    }

    @Test
    void invariants_corruptedTree_reported() throws Exception {
        assertEquals(Status.OK, f.driver.copy(owner, EP, 1, Rights.READ));
        Slot child = owner.space().cspace().slot(1);
        Field rights = Slot.class.getDeclaredField("rights");
        rights.setAccessible(true);
        rights.setInt(child, Rights.ALL | Rights.GRANT);
        rights.setInt(owner.space().cspace().slot(EP), Rights.READ);
        List<String> broken = f.kernel.invariantViolations();
        assertTrue(broken.stream().anyMatch(v -> v.startsWith("mdb_rights")), broken.toString());
    }

    @Test
    void invariants_cycleInTree_reported() throws Exception {
        assertEquals(Status.OK, f.driver.copy(owner, EP, 1, Rights.READ));
        Field parent = Slot.class.getDeclaredField("parent");
        parent.setAccessible(true);
        parent.set(owner.space().cspace().slot(EP), owner.space().cspace().slot(1));
        List<String> broken = f.kernel.invariantViolations();
        assertTrue(broken.stream().anyMatch(v -> v.startsWith("mdb_acyclic")), broken.toString());
    }

    @Test
    void invariants_wrongCapabilityCount_reported() throws Exception {
        Field count = io.capipc.cap.KernelObject.class.getDeclaredField("capabilities");
        count.setAccessible(true);
        count.setInt(f.endpoint, 99);
        List<String> broken = f.kernel.invariantViolations();
        assertTrue(broken.stream().anyMatch(v -> v.startsWith("obj_refs")), broken.toString());
    }
}
