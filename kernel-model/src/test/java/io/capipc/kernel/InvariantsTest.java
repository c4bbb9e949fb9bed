package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import io.capipc.kernel.state.Invariants;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.api.TaskState;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
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
    private final ObjectHandle endpoint = kernel.createEndpoint();
    private final ObjectHandle notification = kernel.createNotification();
    private final SpaceHandle spaceA = kernel.createSpace("a", 6);
    private final SpaceHandle spaceB = kernel.createSpace("b", 6);
    private final TaskHandle a = kernel.createTask(spaceA, "a");
    private final TaskHandle b = kernel.createTask(spaceB, "b");
    /** The live objects behind the handles: this test breaks them as only a kernel bug could. */
    private final Task ta = kernel.task(a);
    private final Task tb = kernel.task(b);
    private final Endpoint ep = (Endpoint) kernel.object(endpoint);
    private final Notification ntfn = (Notification) kernel.object(notification);
    private final Space sa = kernel.space(spaceA);
    private final Space sb = kernel.space(spaceB);

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

    /** A task's field that other tasks' transitions read (declared in its superclass {@code TaskShared}). */
    private static void setShared(Task target, String field, Object value) throws ReflectiveOperationException {
        set(Class.forName("io.capipc.kernel.object.TaskShared"), target, field, value);
    }

    /** A task's state, set as its transitions set it. */
    private static void setState(Task target, TaskState state) throws ReflectiveOperationException {
        Method m = Task.class.getDeclaredMethod("state", TaskState.class);
        m.setAccessible(true);
        m.invoke(target, state);
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
        return Invariants.treeHolds(List.of(sa.cspace(), sb.cspace()), List.of(ep, ntfn));
    }

    @Test
    void violations_soundKernel_none() {
        assertEquals(List.of(), kernel.invariantViolations());
        assertTrue(treeHolds());
    }

    @Test
    void violations_taskBlockedOnEndpointButNotQueued_symRefs() throws Exception {
        setState(ta, TaskState.BLOCKED_ON_RECEIVE);
        setShared(ta, "blockedOn", ep);
        assertReported(violations(), "sym_refs", a.toString());
    }

    @Test
    void violations_senderQueuedBehindReceiver_epQueuesBlocked() throws Exception {
        assertEquals(Outcome.BLOCKED, d.recv(a, EP));
        assertEquals(Outcome.BLOCKED, d.recv(b, EP));
        setState(tb, TaskState.BLOCKED_ON_SEND);
        assertReported(violations(), "ep_queues_blocked", b.toString());
    }

    /** The queue's recorded kind, which transitions read instead of the head's state, must agree with it. */
    @Test
    void violations_queueKindDisagreesWithItsHead_epQueueKind() throws Exception {
        assertEquals(Outcome.BLOCKED, d.recv(a, EP));
        Field waiting = Class.forName("io.capipc.kernel.object.EndpointFixed").getDeclaredField("waiting");
        waiting.setAccessible(true);
        set(Class.forName("io.capipc.kernel.object.TaskQueueFields"), waiting.get(ep), "receivers", false);
        assertReported(violations(), "ep_queue_kind", ep.toString());
    }

    @Test
    void violations_queuedTaskRunning_validQueues() throws Exception {
        assertEquals(Outcome.BLOCKED, d.recv(a, EP));
        setState(ta, TaskState.RUNNING);
        assertReported(violations(), "valid_queues", a.toString());
    }

    @Test
    void violations_taskBlockedOnReplyWithNoHolder_replyCaller() throws Exception {
        setState(ta, TaskState.BLOCKED_ON_REPLY);
        assertReported(violations(), "reply_caller", a.toString());
    }

    @Test
    void violations_pendingNotificationWithWaiter_ntfnQueue() throws Exception {
        assertEquals(Outcome.BLOCKED, d.waitNotification(a, NTFN));
        set(Notification.class, ntfn, "pending", true);
        assertReported(violations(), "ntfn_queue", notification.toString());
    }

    @Test
    void violations_notificationBoundToTaskNotBoundToIt_ntfnBound() throws Exception {
        assertEquals(Outcome.OK, d.bindNotification(a, NTFN));
        setShared(ta, "bound", null);
        assertReported(violations(), "ntfn_bound: " + notification, "which is not bound to it");
    }

    @Test
    void violations_taskBoundToNotificationBoundToNobody_ntfnBound() throws Exception {
        assertEquals(Outcome.OK, d.bindNotification(a, NTFN));
        set(Notification.class, ntfn, "bound", null);
        assertReported(violations(), "ntfn_bound: " + a, "which is bound to null");
    }

    @Test
    void violations_waiterOnNotificationBoundToAnother_ntfnBound() throws Exception {
        assertEquals(Outcome.BLOCKED, d.waitNotification(b, NTFN));
        set(Notification.class, ntfn, "bound", ta);
        setShared(ta, "bound", ntfn);
        assertReported(violations(), "ntfn_bound: " + b, "waits on");
    }

    @Test
    void violations_emptySlotLinkedIntoTree_mdbEmptyAndTreeBroken() throws Exception {
        Slot empty = sa.cspace().slot(3);
        set(Slot.class, empty, "parent", sa.cspace().slot(EP));
        assertReported(violations(), "mdb_empty", empty.toString());
        assertFalse(treeHolds());
    }

    @Test
    void treeHolds_emptySlotWithChildOrSibling_false() throws Exception {
        Slot empty = sb.cspace().slot(5);
        set(Slot.class, empty, "firstChild", sb.cspace().slot(EP));
        assertFalse(treeHolds());
        set(Slot.class, empty, "firstChild", null);
        assertTrue(treeHolds());
        set(Slot.class, empty, "nextSibling", sb.cspace().slot(EP));
        assertFalse(treeHolds());
    }

    @Test
    void violations_destroyedObjectStillNamed_objRefsAndTreeBroken() throws Exception {
        set(KernelObject.class, ep, "destroyed", true);
        assertReported(violations(), "obj_refs: " + endpoint, "destroyed=true");
        assertFalse(treeHolds());
    }

    @Test
    void treeHolds_wrongCapabilityCount_false() throws Exception {
        Field count = KernelObject.class.getDeclaredField("capabilities");
        count.setAccessible(true);
        count.setInt(ntfn, 3);
        assertFalse(treeHolds());
    }

    @Test
    void treeHolds_deepTreeAcrossSpaces_true() {
        assertEquals(Outcome.OK, d.copy(a, EP, 2, Rights.READ | Rights.WRITE));
        assertEquals(Outcome.OK, d.copy(a, 2, 3, Rights.READ));
        assertEquals(Outcome.OK, d.mint(b, EP, 2, Rights.WRITE, 5));
        assertEquals(Outcome.OK, d.copy(b, 2, 3, Rights.WRITE));
        assertTrue(treeHolds());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void treeHolds_childWithMoreRightsThanParent_false() throws Exception {
        assertEquals(Outcome.OK, d.copy(a, EP, 2, Rights.READ));
        assertEquals(Outcome.OK, d.copy(a, 2, 3, Rights.READ));
        Field rights = Slot.class.getDeclaredField("rights");
        rights.setAccessible(true);
        rights.setInt(sa.cspace().slot(3), Rights.ALL);
        assertFalse(treeHolds());
        assertReported(violations(), "mdb_rights", sa.cspace().slot(3).toString());
    }

    @Test
    void treeHolds_childNamingAnotherObject_false() throws Exception {
        assertEquals(Outcome.OK, d.copy(b, EP, 2, Rights.READ));
        set(Slot.class, sb.cspace().slot(2), "object", ntfn);
        assertFalse(Invariants.treeHolds(List.of(sa.cspace(), sb.cspace()), List.of()));
    }

    @Test
    void treeHolds_childLinkedToWrongParent_false() throws Exception {
        assertEquals(Outcome.OK, d.copy(b, EP, 2, Rights.READ));
        set(Slot.class, sb.cspace().slot(2), "parent", sa.cspace().slot(EP));
        assertFalse(treeHolds());
        assertReported(violations(), "mdb_links", sb.cspace().slot(2).toString());
    }

    @Test
    void treeHolds_parentCycle_false() throws Exception {
        assertEquals(Outcome.OK, d.copy(a, EP, 2, Rights.READ));
        set(Slot.class, sa.cspace().slot(EP), "parent", sa.cspace().slot(2));
        assertFalse(treeHolds());
        assertReported(violations(), "mdb_acyclic", "never reaches a root");
    }

    @Test
    void violations_badgeCountedWithoutASlot_badgeCounts() {
        ep.count(0x77);
        assertReported(violations(), "badge_counts", "badge 119");
    }

    @Test
    void violations_badgedSlotNotCounted_badgeCounts() {
        assertEquals(Outcome.OK, d.mint(a, EP, 3, Rights.WRITE, 5));
        ep.uncount(5);
        assertReported(violations(), "badge_counts", "which nothing counts");
    }

    @Test
    void violations_replyEntryTakenWithoutCapability_replyPool() {
        SpaceHandle pooled = kernel.createSpace("pooled", 4, 2);
        kernel.space(pooled).takeEntry(3);
        assertReported(violations(), "reply_pool", "alone");
    }

    @Test
    void violations_suspendedContextNotPointingBack_replyCaller() throws ReflectiveOperationException {
        SpaceHandle pooled = kernel.createSpace("pooled", 4, 1);
        kernel.install(pooled, EP, endpoint, Rights.ALL, 0);
        TaskHandle server = kernel.createTask(pooled, "server");
        d.start(server);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.BLOCKED, d.call(a, EP, io.capipc.api.MessageInfo.of(0, 0)));
        assertEquals(Outcome.OK, d.suspend(server));
        set(io.capipc.kernel.object.ReplyPoolEntry.class, kernel.task(a).ownContext().suspendedIn(), "context", null);
        assertReported(violations(), "reply_caller", "does not point back");
    }

    @Test
    void violations_spaceMiscountsItsLiveTasks_spaceTasks() throws ReflectiveOperationException {
        set(Space.class, sa, "liveTasks", 5);
        assertReported(violations(), "space_tasks", "counts 5 live tasks");
    }
}
