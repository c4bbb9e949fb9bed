package io.capipc.kernel;

import static io.capipc.kernel.Fixture.EP;
import static io.capipc.kernel.Fixture.SLOTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.ObjectType;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.KernelView.SlotView;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import java.util.Optional;
import io.capipc.api.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Copy, Mint and Delete (docs/semantics.md §2) and the derivation tree as the view shows it. */
class CapabilityTest {
    /** Owner slots: EP is the original endpoint capability, unbadged, with every right. */
    private static final int BADGED = 1;
    private static final long BADGE = 0x77;
    private static final int NTFN = 2;

    private final Fixture f = new Fixture();
    private final ObjectHandle notification = f.kernel.createNotification();
    private final SpaceHandle space = f.kernel.createSpace("owner", SLOTS);
    private final TaskHandle owner;

    CapabilityTest() {
        f.kernel.install(space, EP, f.endpoint, Rights.ALL, 0);
        f.kernel.install(space, BADGED, f.endpoint, Rights.READ | Rights.WRITE, BADGE);
        f.kernel.install(space, NTFN, notification, Rights.READ | Rights.WRITE, 0);
        owner = f.started(f.kernel.createTask(space, "owner"));
    }

    private Optional<SlotView> slot(int index) {
        return f.view().space(space.id()).slots().stream().filter(s -> s.index() == index).findFirst();
    }

    private SlotView full(int index) {
        return slot(index).orElseThrow(() -> new AssertionError("slot " + index + " is empty"));
    }

    private void assertChildOf(int parent, int child) {
        SlotView c = full(child);
        assertEquals(space.id(), c.parentSpace(), "parent space of slot " + child);
        assertEquals(parent, c.parentSlot(), "parent slot of slot " + child);
    }

    private void assertRoot(int index) {
        SlotView c = full(index);
        assertEquals(-1, c.parentSpace());
        assertEquals(-1, c.parentSlot());
    }

    @Test
    void copy_requestedSubset_rightsMaskedBadgeKeptAndChildOfSource() {
        assertEquals(Outcome.OK, f.driver.copy(owner, BADGED, 4, Rights.WRITE | Rights.GRANT));
        SlotView c = full(4);
        assertEquals(Rights.WRITE, c.rights(), "GRANT is not in the source, so it is masked away");
        assertEquals(BADGE, c.badge());
        assertEquals(f.endpoint.id(), c.objectId());
        assertEquals(ObjectType.ENDPOINT, c.type());
        assertChildOf(BADGED, 4);
        f.assertConsistent();
    }

    @ParameterizedTest
    @CsvSource({"7, 3, 3", "7, 1, 1", "7, 0, 0", "3, 7, 3", "3, 4, 0", "2, 3, 2"})
    void copy_anyRequest_getsRequestedIntersectSource(int sourceRights, int requested, int expected) {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 5, sourceRights));
        assertEquals(Outcome.OK, f.driver.copy(owner, 5, 6, requested));
        assertEquals(expected, full(6).rights());
        assertChildOf(5, 6);
        f.assertConsistent();
    }

    @Test
    void copy_ofCopy_grandchildRightsNeverWiden() {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 4, Rights.READ));
        assertEquals(Outcome.OK, f.driver.copy(owner, 4, 5, Rights.ALL));
        assertEquals(Rights.READ, full(5).rights());
        assertChildOf(4, 5);
        assertChildOf(EP, 4);
        f.assertConsistent();
    }

    @Test
    void copy_notification_keepsType() {
        assertEquals(Outcome.OK, f.driver.copy(owner, NTFN, 4, Rights.WRITE));
        assertEquals(ObjectType.NOTIFICATION, full(4).type());
        assertEquals(notification.id(), full(4).objectId());
        assertChildOf(NTFN, 4);
    }

    @Test
    void mint_unbadgedSource_setsBadge() {
        assertEquals(Outcome.OK, f.driver.mint(owner, EP, 4, Rights.WRITE, 0x1234));
        SlotView c = full(4);
        assertEquals(0x1234L, c.badge());
        assertEquals(Rights.WRITE, c.rights());
        assertChildOf(EP, 4);
        assertEquals(0L, full(EP).badge(), "the source keeps its badge");
        f.assertConsistent();
    }

    @Test
    void mint_masksRightsLikeCopy() {
        assertEquals(Outcome.OK, f.driver.mint(owner, BADGED, 4, Rights.ALL, 0));
        assertEquals(Rights.READ | Rights.WRITE, full(4).rights());
    }

    @Test
    void mint_badgeZeroOnBadgedSource_keepsSourceBadge() {
        assertEquals(Outcome.OK, f.driver.mint(owner, BADGED, 4, Rights.WRITE, 0));
        assertEquals(BADGE, full(4).badge());
        assertChildOf(BADGED, 4);
    }

    @Test
    void mint_badgeZeroOnUnbadgedSource_staysUnbadged() {
        assertEquals(Outcome.OK, f.driver.mint(owner, EP, 4, Rights.WRITE, 0));
        assertEquals(0L, full(4).badge());
    }

    @ParameterizedTest
    @ValueSource(longs = {BADGE, 1, 0x99, -1})
    void mint_nonZeroBadgeOnBadgedSource_invalidArgumentAndNothingChanged(long badge) {
        KernelView before = f.view();
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.mint(owner, BADGED, 4, Rights.WRITE, badge));
        assertEquals(before, f.view());
    }

    @Test
    void mint_badgedChildOfMint_cannotBeRebadged() {
        assertEquals(Outcome.OK, f.driver.mint(owner, EP, 4, Rights.ALL, 5));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.mint(owner, 4, 5, Rights.ALL, 6));
        assertEquals(Outcome.OK, f.driver.copy(owner, 4, 5, Rights.ALL));
        assertEquals(5L, full(5).badge());
    }

    @Test
    void copyAndMint_destinationOccupied_slotOccupiedAndNothingChanged() {
        KernelView before = f.view();
        assertEquals(Outcome.SLOT_OCCUPIED, f.driver.copy(owner, EP, BADGED, Rights.READ));
        assertEquals(Outcome.SLOT_OCCUPIED, f.driver.mint(owner, EP, NTFN, Rights.READ, 9));
        assertEquals(Outcome.SLOT_OCCUPIED, f.driver.copy(owner, EP, EP, Rights.READ));
        assertEquals(before, f.view());
    }

    @Test
    void copyAndMint_emptySource_invalidCapabilityAndNothingChanged() {
        KernelView before = f.view();
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.copy(owner, 6, 7, Rights.READ));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.mint(owner, 6, 7, Rights.READ, 3));
        assertEquals(before, f.view());
    }

    @Test
    void copy_emptySourceAndOccupiedDestination_sourceCheckedFirst() {
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.copy(owner, 6, EP, Rights.READ));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.mint(owner, 6, EP, Rights.READ, 3));
    }

    @ParameterizedTest
    @CsvSource({"-1, 4", "0, -1", "8, 4", "0, 8", "2147483647, 4", "-2147483648, 4"})
    void copyAndMint_slotOutOfRange_invalidArgumentAndNothingChanged(int src, int dst) {
        KernelView before = f.view();
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.copy(owner, src, dst, Rights.READ));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.mint(owner, src, dst, Rights.READ, 3));
        assertEquals(before, f.view());
    }

    @Test
    void copy_destinationOutOfRangeAndSourceEmpty_invalidArgumentFirst() {
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.copy(owner, 6, SLOTS, Rights.READ));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 9, 16, -1, Integer.MIN_VALUE})
    void copyAndMint_unknownRightsBits_invalidArgumentAndNothingChanged(int rights) {
        KernelView before = f.view();
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.copy(owner, EP, 4, rights));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.mint(owner, EP, 4, rights, 3));
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.copy(owner, 6, 4, rights), "rights checked before lookup");
        assertEquals(before, f.view());
    }

    @Test
    void delete_fullSlot_emptiesIt() {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 4, Rights.READ));
        assertEquals(Outcome.OK, f.driver.delete(owner, 4));
        assertTrue(slot(4).isEmpty());
        f.assertConsistent();
    }

    @Test
    void delete_emptySlot_okAndNothingChanged() {
        KernelView before = f.view();
        assertEquals(Outcome.OK, f.driver.delete(owner, 6));
        assertEquals(before, f.view());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, SLOTS, Integer.MAX_VALUE})
    void delete_slotOutOfRange_invalidArgumentAndNothingChanged(int slot) {
        KernelView before = f.view();
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.delete(owner, slot));
        assertEquals(before, f.view());
    }

    @Test
    void delete_middleNode_childrenBecomeChildrenOfItsParent() {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 3, Rights.ALL));
        assertEquals(Outcome.OK, f.driver.copy(owner, 3, 4, Rights.READ));
        assertEquals(Outcome.OK, f.driver.copy(owner, 3, 5, Rights.WRITE));
        assertEquals(Outcome.OK, f.driver.copy(owner, 5, 6, Rights.WRITE));
        assertEquals(Outcome.OK, f.driver.delete(owner, 3));
        assertTrue(slot(3).isEmpty());
        assertChildOf(EP, 4);
        assertChildOf(EP, 5);
        assertChildOf(5, 6);
        assertEquals(Rights.READ, full(4).rights());
        f.assertConsistent();
    }

    @Test
    void delete_rootWithChildren_childrenBecomeRoots() {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 4, Rights.READ));
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 5, Rights.WRITE));
        assertEquals(Outcome.OK, f.driver.copy(owner, 5, 6, Rights.WRITE));
        assertEquals(Outcome.OK, f.driver.delete(owner, EP));
        assertTrue(slot(EP).isEmpty());
        assertRoot(4);
        assertRoot(5);
        assertChildOf(5, 6);
        f.assertConsistent();
    }

    @Test
    void delete_thenCopyIntoSameSlot_freshChild() {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 4, Rights.READ));
        assertEquals(Outcome.OK, f.driver.delete(owner, 4));
        assertEquals(Outcome.OK, f.driver.copy(owner, BADGED, 4, Rights.WRITE));
        assertChildOf(BADGED, 4);
        assertEquals(BADGE, full(4).badge());
        f.assertConsistent();
    }

    @Test
    void mint_badgedCopyUsedToSend_receiverSeesNewBadge() {
        assertEquals(Outcome.OK, f.driver.mint(owner, EP, 4, Rights.WRITE, 0xBEEF));
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.OK, f.driver.send(owner, 4, MessageInfo.of(1, 0)));
        assertEquals(0xBEEFL, f.ipc(f.server).badge());

        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.OK, f.driver.send(owner, EP, MessageInfo.of(2, 0)));
        assertEquals(0L, f.ipc(f.server).badge(), "the unbadged original still sends badge 0");
        f.assertConsistent();
    }

    @Test
    void mint_badgedCopyUsedToCall_callerInfoShowsNewBadge() {
        assertEquals(Outcome.OK, f.driver.mint(owner, EP, 4, Rights.WRITE, 0xC0DE));
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(owner, 4, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, f.driver.callerInfo(f.server));
        assertEquals(0xC0DEL, f.ipc(f.server).callerBadge());
        assertEquals(0xC0DEL, f.ipc(f.server).badge());
    }

    @Test
    void copy_readOnlyCopy_cannotSend() {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 4, Rights.READ));
        KernelView before = f.view();
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, f.driver.send(owner, 4, MessageInfo.of(1, 0)));
        assertEquals(before, f.view());
    }

    @Test
    void delete_parentOfUsedCopy_copyStillSends() {
        assertEquals(Outcome.OK, f.driver.copy(owner, EP, 4, Rights.WRITE));
        assertEquals(Outcome.OK, f.driver.delete(owner, EP));
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.OK, f.driver.send(owner, 4, MessageInfo.of(5, 0)));
        assertEquals(5, f.ipc(f.server).label());
    }

    @Test
    void delete_onlyCapability_laterSyscallsSeeEmptySlot() {
        assertEquals(Outcome.OK, f.driver.delete(owner, NTFN));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.copy(owner, NTFN, 4, Rights.READ));
        assertEquals(Outcome.INVALID_CAPABILITY, f.driver.send(owner, NTFN, MessageInfo.of(0, 0)));
    }

    // ---- Losing a capability while blocked through it (docs/semantics.md §2, "Revocation releases blocked
    // senders" and "Destruction"). CapabilitySyscalls documents these effects as not built yet.

    @Test
    void delete_callersCapabilityAfterCallTaken_replyStillArrives() {
        TaskHandle sibling = f.started(f.kernel.createTask(f.clientA.space(), "clientA-sibling"));
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, f.driver.delete(sibling, EP));
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(9, 0)));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.OK, f.ipc(f.clientA).status());
        assertEquals(9, f.ipc(f.clientA).label());
        f.assertConsistent();
    }

    @Test
    void delete_capabilityOfQueuedSender_senderReleasedWithRevoked() {
        TaskHandle sibling = f.started(f.kernel.createTask(f.clientA.space(), "clientA-sibling"));
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, f.driver.delete(sibling, EP));
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        assertEquals(Status.REVOKED, f.ipc(f.clientA).status());
        assertEquals(List.of(), f.queued());
        f.assertConsistent();
    }

    @Test
    void delete_lastCapabilityToEndpoint_blockedReceiverReleasedWithRevoked() {
        TaskHandle serverSibling = f.serverThread("server-sibling");
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        for (TaskHandle t : new TaskHandle[] {f.clientA, f.clientB, f.clientC, owner, serverSibling}) {
            assertEquals(Outcome.OK, f.driver.delete(t, EP));
        }
        assertEquals(Outcome.OK, f.driver.delete(owner, BADGED));
        assertEquals(TaskState.RUNNING, f.state(f.server));
        assertEquals(Status.REVOKED, f.ipc(f.server).status());
        assertEquals(List.of(), f.queued());
        f.assertConsistent();
    }
}
