package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import io.capipc.kernel.inspect.Invariants;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;
import io.capipc.kernel.run.DeterministicDriver;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The invariant checker reports each broken rule: states are broken by reflection, as only a kernel
 * bug could break them, and {@link Invariants#treeHolds} is checked on sound and broken trees.
 */
class InvariantsTest {
    private static final int EP = 0;
    private static final int NTFN = 1;
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final Endpoint endpoint = kernel.createEndpoint();
    private final Notification notification = kernel.createNotification();
    private final Space spaceA = kernel.createSpace("a", 6);
    private final Space spaceB = kernel.createSpace("b", 6);
    private final Task a = kernel.createTask(spaceA, "a");
    private final Task b = kernel.createTask(spaceB, "b");

    InvariantsTest() {
        kernel.install(spaceA, EP, endpoint, Rights.ALL, 0);
        kernel.install(spaceA, NTFN, notification, Rights.ALL, 0);
        kernel.install(spaceB, EP, endpoint, Rights.ALL, 0);
        kernel.install(spaceB, NTFN, notification, Rights.ALL, 0);
        d.start(a);
        d.start(b);
    }

    private static void set(Class<?> owner, Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = owner.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    private List<String> violations() {
        List<String> out = kernel.invariantViolations();
        assertFalse(out.isEmpty(), "the broken state went unnoticed");
        return out;
    }

    private static void assertReported(List<String> violations, String prefix, String fragment) {
        assertTrue(violations.stream().anyMatch(v -> v.startsWith(prefix) && v.contains(fragment)), violations.toString());
    }

    private boolean treeHolds() {
        return Invariants.treeHolds(List.of(spaceA.cspace(), spaceB.cspace()), List.of(endpoint, notification));
    }

    @Test
    void violations_soundKernel_none() {
        assertEquals(List.of(), kernel.invariantViolations());
        assertTrue(treeHolds());
    }

    @Test
    void violations_taskBlockedOnEndpointButNotQueued_symRefs() throws Exception {
        set(Task.class, a, "state", TaskState.BLOCKED_ON_RECEIVE);
        set(Task.class, a, "blockedOn", endpoint);
        assertReported(violations(), "sym_refs", a.toString());
    }

    @Test
    void violations_senderQueuedBehindReceiver_epQueuesBlocked() throws Exception {
        assertNull(d.recv(a, EP));
        assertNull(d.recv(b, EP));
        set(Task.class, b, "state", TaskState.BLOCKED_ON_SEND);
        assertReported(violations(), "ep_queues_blocked", b.toString());
    }

    @Test
    void violations_queuedTaskRunning_validQueues() throws Exception {
        assertNull(d.recv(a, EP));
        set(Task.class, a, "state", TaskState.RUNNING);
        assertReported(violations(), "valid_queues", a.toString());
    }

    @Test
    void violations_runningTaskNamesAnObject_symRefs() throws Exception {
        set(Task.class, a, "blockedOn", endpoint);
        assertReported(violations(), "sym_refs", "yet names");
    }

    @Test
    void violations_taskBlockedOnReplyWithNoHolder_replyCaller() throws Exception {
        set(Task.class, a, "state", TaskState.BLOCKED_ON_REPLY);
        assertReported(violations(), "reply_caller", a.toString());
    }

    @Test
    void violations_pendingNotificationWithWaiter_ntfnQueue() throws Exception {
        assertNull(d.waitNotification(a, NTFN));
        set(Notification.class, notification, "pending", true);
        assertReported(violations(), "ntfn_queue", notification.toString());
    }

    @Test
    void violations_notificationBoundToTaskNotBoundToIt_ntfnBound() throws Exception {
        assertEquals(Status.OK, d.bindNotification(a, NTFN));
        set(Task.class, a, "bound", null);
        assertReported(violations(), "ntfn_bound: " + notification, "which is not bound to it");
    }

    @Test
    void violations_taskBoundToNotificationBoundToNobody_ntfnBound() throws Exception {
        assertEquals(Status.OK, d.bindNotification(a, NTFN));
        set(Notification.class, notification, "bound", null);
        assertReported(violations(), "ntfn_bound: " + a, "which is bound to null");
    }

    @Test
    void violations_waiterOnNotificationBoundToAnother_ntfnBound() throws Exception {
        assertNull(d.waitNotification(b, NTFN));
        set(Notification.class, notification, "bound", a);
        set(Task.class, a, "bound", notification);
        assertReported(violations(), "ntfn_bound: " + b, "waits on");
    }

    @Test
    void violations_emptySlotLinkedIntoTree_mdbEmptyAndTreeBroken() throws Exception {
        Slot empty = spaceA.cspace().slot(3);
        set(Slot.class, empty, "parent", spaceA.cspace().slot(EP));
        assertReported(violations(), "mdb_empty", empty.toString());
        assertFalse(treeHolds());
    }

    @Test
    void treeHolds_emptySlotWithChildOrSibling_false() throws Exception {
        Slot empty = spaceB.cspace().slot(5);
        set(Slot.class, empty, "firstChild", spaceB.cspace().slot(EP));
        assertFalse(treeHolds());
        set(Slot.class, empty, "firstChild", null);
        assertTrue(treeHolds());
        set(Slot.class, empty, "nextSibling", spaceB.cspace().slot(EP));
        assertFalse(treeHolds());
    }

    @Test
    void violations_destroyedObjectStillNamed_objRefsAndTreeBroken() throws Exception {
        set(KernelObject.class, endpoint, "destroyed", true);
        assertReported(violations(), "obj_refs: " + endpoint, "destroyed=true");
        assertFalse(treeHolds());
    }

    @Test
    void treeHolds_wrongCapabilityCount_false() throws Exception {
        Field count = KernelObject.class.getDeclaredField("capabilities");
        count.setAccessible(true);
        count.setInt(notification, 3);
        assertFalse(treeHolds());
    }

    @Test
    void treeHolds_deepTreeAcrossSpaces_true() {
        assertEquals(Status.OK, d.copy(a, EP, 2, Rights.READ | Rights.WRITE));
        assertEquals(Status.OK, d.copy(a, 2, 3, Rights.READ));
        assertEquals(Status.OK, d.mint(b, EP, 2, Rights.WRITE, 5));
        assertEquals(Status.OK, d.copy(b, 2, 3, Rights.WRITE));
        assertTrue(treeHolds());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void treeHolds_childWithMoreRightsThanParent_false() throws Exception {
        assertEquals(Status.OK, d.copy(a, EP, 2, Rights.READ));
        assertEquals(Status.OK, d.copy(a, 2, 3, Rights.READ));
        Field rights = Slot.class.getDeclaredField("rights");
        rights.setAccessible(true);
        rights.setInt(spaceA.cspace().slot(3), Rights.ALL);
        assertFalse(treeHolds());
        assertReported(violations(), "mdb_rights", spaceA.cspace().slot(3).toString());
    }

    @Test
    void treeHolds_childNamingAnotherObject_false() throws Exception {
        assertEquals(Status.OK, d.copy(b, EP, 2, Rights.READ));
        set(Slot.class, spaceB.cspace().slot(2), "object", notification);
        assertFalse(Invariants.treeHolds(List.of(spaceA.cspace(), spaceB.cspace()), List.of()));
    }

    @Test
    void treeHolds_childLinkedToWrongParent_false() throws Exception {
        assertEquals(Status.OK, d.copy(b, EP, 2, Rights.READ));
        set(Slot.class, spaceB.cspace().slot(2), "parent", spaceA.cspace().slot(EP));
        assertFalse(treeHolds());
        assertReported(violations(), "mdb_links", spaceB.cspace().slot(2).toString());
    }

    @Test
    void treeHolds_parentCycle_false() throws Exception {
        assertEquals(Status.OK, d.copy(a, EP, 2, Rights.READ));
        set(Slot.class, spaceA.cspace().slot(EP), "parent", spaceA.cspace().slot(2));
        assertFalse(treeHolds());
        assertReported(violations(), "mdb_acyclic", "never reaches a root");
    }

    @Test
    void violations_badgeCountedWithoutASlot_badgeCounts() {
        endpoint.count(0x77);
        assertReported(violations(), "badge_counts", "badge 119");
    }

    @Test
    void violations_badgedSlotNotCounted_badgeCounts() {
        assertEquals(Status.OK, d.mint(a, EP, 3, Rights.WRITE, 5));
        endpoint.uncount(5);
        assertReported(violations(), "badge_counts", "which nothing counts");
    }

    @Test
    void violations_replyEntryTakenWithoutCapability_replyPool() {
        Space pooled = kernel.createSpace("pooled", 4, 2);
        pooled.takeEntry(3);
        assertReported(violations(), "reply_pool", "alone");
    }

    @Test
    void violations_suspendedContextNotPointingBack_replyCaller() throws ReflectiveOperationException {
        Space pooled = kernel.createSpace("pooled", 4, 1);
        kernel.install(pooled, EP, endpoint, Rights.ALL, 0);
        Task server = kernel.createTask(pooled, "server");
        d.start(server);
        assertNull(d.recv(server, EP));
        assertNull(d.call(a, EP, io.capipc.api.MessageInfo.of(0, 0)));
        assertEquals(Status.OK, d.suspend(server));
        set(io.capipc.kernel.object.ReplyPoolEntry.class, a.ownContext().suspendedIn(), "context", null);
        assertReported(violations(), "reply_caller", "does not point back");
    }

    @Test
    void violations_spaceMiscountsItsLiveTasks_spaceTasks() throws ReflectiveOperationException {
        set(Space.class, spaceA, "liveTasks", 5);
        assertReported(violations(), "space_tasks", "counts 5 live tasks");
    }
}
