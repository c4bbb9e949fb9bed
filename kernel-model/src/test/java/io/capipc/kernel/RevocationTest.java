package io.capipc.kernel;

import static io.capipc.kernel.Fixture.EP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.inspect.QueueState;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.Slot;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Move, Mutate, Revoke, CancelBadgedSends, release on delete and object destruction (docs/semantics.md §2). */
class RevocationTest {
    private final Fixture f = new Fixture();
    /** A task with all rights to the endpoint, unbadged, in slot EP; its sibling shares its space. */
    private final TaskHandle owner = f.task("owner", f.endpoint, Rights.ALL, 0);
    private final TaskHandle sibling = f.started(f.kernel.createTask(owner.space(), "owner-sibling"));

    private KernelView.SlotView slot(TaskHandle t, int index) {
        return f.view().space(t.space().id()).slots().stream().filter(s -> s.index() == index).findFirst().orElse(null);
    }

    @Test
    void move_fullToEmpty_keepsRightsBadgeAndParent() {
        assertEquals(Outcome.OK, f.driver.mint(owner, EP, 1, Rights.WRITE, 9));
        assertEquals(Outcome.OK, f.driver.move(owner, 1, 2));
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
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.move(owner, -1, 1));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.move(owner, EP, Fixture.SLOTS));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.move(owner, 3, 1));
        assertEquals(Outcome.SLOT_OCCUPIED, f.driver.move(owner, EP, EP));
        assertEquals(before, f.view());
    }

    @Test
    void move_capabilityOfQueuedSender_senderStaysQueuedAndIsReleasedWhenNewSlotIsDeleted() {
        assertEquals(Outcome.BLOCKED, f.driver.send(owner, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, f.driver.move(sibling, EP, 4));
        assertEquals(TaskState.BLOCKED_ON_SEND, f.state(owner));
        assertEquals(4, f.view(owner).sendSlot());
        assertEquals(Outcome.OK, f.driver.delete(sibling, 4));
        assertEquals(Status.REVOKED, f.ipc(owner).status());
        f.assertConsistent();
    }

    @Test
    void mutate_shrinksRightsAndSetsBadge() {
        assertEquals(Outcome.OK, f.driver.mutate(owner, EP, 1, Rights.WRITE, 5));
        assertEquals(Rights.WRITE, slot(owner, 1).rights());
        assertEquals(5, slot(owner, 1).badge());
        assertNull(slot(owner, EP));
    }

    @Test
    void mutate_badgedSourceNewBadge_invalidArgument() {
        assertEquals(Outcome.OK, f.driver.mint(owner, EP, 1, Rights.ALL, 5));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.mutate(owner, 1, 2, Rights.ALL, 6));
        assertEquals(Outcome.OK, f.driver.mutate(owner, 1, 2, Rights.WRITE, 0));
        assertEquals(5, slot(owner, 2).badge());
    }

    @Test
    void mutate_capabilityWithChildren_mayMoveButNotNarrow() {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 1, Rights.ALL));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.mutate(owner, EP, 2, Rights.READ, 0));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.mutate(owner, EP, 2, Rights.ALL, 3));
        assertEquals(Outcome.OK, f.driver.mutate(owner, EP, 2, Rights.ALL, 0));
        assertEquals(2, slot(owner, 1).parentSlot());
        f.assertConsistent();
    }

    @Test
    void revoke_treeAcrossSpaces_deletesEveryDescendantKeepsCapability() {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 1, Rights.ALL));
        assertEquals(Outcome.OK, f.driver.mint(owner, 1, 2, Rights.WRITE, 7));
        assertEquals(Outcome.OK, f.driver.copy(sibling, 2, 3, Rights.WRITE));
        assertEquals(Outcome.OK, f.driver.revoke(owner, EP));
        assertEquals(List.of(EP), f.view().space(owner.space().id()).slots().stream().map(KernelView.SlotView::index).toList());
        assertFalse(f.kernel.object(f.endpoint).isDestroyed());
        f.assertConsistent();
    }

    @Test
    void revoke_emptySlotOrNoChildren_okAndNothingChanges() {
        KernelView before = f.view();
        assertEquals(Outcome.OK, f.driver.revoke(owner, 5));
        assertEquals(Outcome.OK, f.driver.revoke(owner, EP));
        assertEquals(before, f.view());
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.revoke(owner, Fixture.SLOTS));
    }

    @Test
    void revoke_sendersQueuedThroughDescendants_releasedWithRevoked() {
        assertEquals(Outcome.OK, f.driver.mint(owner, EP, 1, Rights.WRITE, 3));
        assertEquals(Outcome.BLOCKED, f.driver.send(sibling, 1, MessageInfo.of(2, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, f.driver.revoke(owner, EP));
        assertEquals(Status.REVOKED, f.ipc(sibling).status());
        assertEquals(TaskState.RUNNING, f.state(sibling));
        assertEquals(List.of(f.clientA.id()), f.queued(), "a sender through another capability stays queued");
        f.assertConsistent();
    }

    @Test
    void delete_callersCapabilityAfterMessageTaken_callUnaffected() {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 1, Rights.WRITE));
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(sibling, 1, MessageInfo.of(4, 0)));
        assertEquals(Outcome.OK, f.driver.delete(owner, 1));
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(sibling));
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(0, 0)));
        assertEquals(Status.OK, f.ipc(sibling).status());
        assertEquals(Kind.REPLY, f.ipc(sibling).kind());
    }

    @Test
    void delete_lastCapabilityWhileTasksBlockedInRecvSendAndReply_releasesQueuedWithRevokedNotReply() {
        ObjectHandle other = f.kernel.createEndpoint();
        SpaceHandle s = f.kernel.createSpace("solo", 4);
        f.kernel.install(s, 0, other, Rights.ALL, 0);
        TaskHandle receiver = f.started(f.kernel.createTask(s, "receiver"));
        TaskHandle sender = f.started(f.kernel.createTask(s, "sender"));
        TaskHandle caller = f.started(f.kernel.createTask(s, "caller"));
        assertEquals(Outcome.BLOCKED, f.driver.recv(receiver, 0));
        assertEquals(Outcome.BLOCKED, f.driver.call(caller, 0, MessageInfo.of(1, 0)));  // taken by receiver at once
        assertEquals(Outcome.BLOCKED, f.driver.recv(receiver, 0));                       // receiver drops the context: NO_REPLY
        assertEquals(Status.NO_REPLY, f.ipc(caller).status());
        assertEquals(Outcome.BLOCKED, f.driver.call(caller, 0, MessageInfo.of(1, 0)));  // taken: caller waits for a reply
        assertEquals(Outcome.OK, f.driver.copy(receiver, 0, 1, Rights.ALL));
        assertEquals(Outcome.BLOCKED, f.driver.call(sender, 1, MessageInfo.of(2, 0)));  // queued: receiver holds a context
        // receiver is RUNNING holding caller's context; sender queued through slot 1
        assertEquals(Outcome.OK, f.driver.delete(receiver, 1));
        assertEquals(Status.REVOKED, f.ipc(sender).status());
        assertEquals(Outcome.OK, f.driver.delete(receiver, 0));
        assertTrue(f.kernel.object(other).isDestroyed());
        assertEquals(TaskState.BLOCKED_ON_REPLY, f.state(caller), "a taken Call does not depend on the capability");
        assertEquals(Outcome.OK, f.driver.reply(receiver, MessageInfo.of(0, 0)));
        assertEquals(Status.OK, f.ipc(caller).status());
        f.assertConsistent();
    }

    @Test
    void delete_lastCapabilityWithReceiversQueued_allReleasedOldestFirst() {
        ObjectHandle other = f.kernel.createEndpoint();
        SpaceHandle s = f.kernel.createSpace("solo", 4);
        f.kernel.install(s, 0, other, Rights.ALL, 0);
        TaskHandle r1 = f.started(f.kernel.createTask(s, "r1"));
        TaskHandle r2 = f.started(f.kernel.createTask(s, "r2"));
        TaskHandle killer = f.started(f.kernel.createTask(s, "killer"));
        assertEquals(Outcome.BLOCKED, f.driver.recv(r1, 0));
        assertEquals(Outcome.BLOCKED, f.driver.recv(r2, 0));
        assertEquals(Outcome.OK, f.driver.delete(killer, 0));
        assertEquals(Status.REVOKED, f.ipc(r1).status());
        assertEquals(Status.REVOKED, f.ipc(r2).status());
        assertTrue(f.kernel.object(other).isDestroyed());
        assertEquals(QueueState.IDLE, f.kernel.inspect().endpoint(other.id()).queue());
        f.assertConsistent();
    }

    @Test
    void cancelBadgedSends_releasesOnlySendersWithThatBadge() {
        assertEquals(Outcome.OK, f.driver.mint(owner, EP, 1, Rights.ALL, Fixture.BADGE_A));
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientB, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientC, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, f.driver.cancelBadgedSends(owner, 1));
        assertEquals(Status.REVOKED, f.ipc(f.clientA).status());
        assertEquals(List.of(f.clientB.id(), f.clientC.id()), f.queued());
        f.assertConsistent();
    }

    @Test
    void cancelBadgedSends_refusals_inSpecOrder() {
        assertEquals(Outcome.OK, f.driver.mint(owner, EP, 1, Rights.READ | Rights.WRITE, 4));
        assertEquals(Outcome.OK, f.driver.mint(owner, EP, 2, Rights.ALL, 0));
        f.kernel.install(owner.space(), 3, f.kernel.createNotification(), Rights.ALL, 5);
        KernelView before = f.view();
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.cancelBadgedSends(owner, -1));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.cancelBadgedSends(owner, 6));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.cancelBadgedSends(owner, 3));
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, f.driver.cancelBadgedSends(owner, 1));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.cancelBadgedSends(owner, 2));
        assertEquals(before, f.view());
    }

    @Test
    void invariants_corruptedTree_reported() throws Exception {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 1, Rights.READ));
        Slot child = f.kernel.space(owner.space()).cspace().slot(1);
        Field rights = Slot.class.getDeclaredField("rights");
        rights.setAccessible(true);
        rights.setInt(child, Rights.ALL | Rights.GRANT);
        rights.setInt(f.kernel.space(owner.space()).cspace().slot(EP), Rights.READ);
        List<String> broken = f.kernel.invariantViolations();
        assertTrue(broken.stream().anyMatch(v -> v.startsWith("mdb_rights")), broken.toString());
    }

    @Test
    void invariants_cycleInTree_reported() throws Exception {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 1, Rights.READ));
        Field parent = Slot.class.getDeclaredField("parent");
        parent.setAccessible(true);
        parent.set(f.kernel.space(owner.space()).cspace().slot(EP), f.kernel.space(owner.space()).cspace().slot(1));
        List<String> broken = f.kernel.invariantViolations();
        assertTrue(broken.stream().anyMatch(v -> v.startsWith("mdb_acyclic")), broken.toString());
    }

    @Test
    void invariants_wrongCapabilityCount_reported() throws Exception {
        Field count = io.capipc.cap.KernelObject.class.getDeclaredField("capabilities");
        count.setAccessible(true);
        count.setInt(f.kernel.object(f.endpoint), 99);
        List<String> broken = f.kernel.invariantViolations();
        assertTrue(broken.stream().anyMatch(v -> v.startsWith("obj_refs")), broken.toString());
    }
}
