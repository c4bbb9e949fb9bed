package io.capipc.kernel;

import static io.capipc.kernel.Fixture.BADGE_A;
import static io.capipc.kernel.Fixture.EP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.SystemMessage;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BADGE_DISCONNECTED (docs/semantics.md §6; issue 6): the last capability with a non-zero badge to an
 * endpoint is gone, counting capabilities in flight; for servers that opt in.
 */
class BadgeDisconnectedTest {
    private static final int DISCONNECTED = SystemMessage.BADGE_DISCONNECTED.bit();
    private final Fixture f = new Fixture();

    private List<KernelView.NoticeView> notices() {
        return f.view().endpoint(f.endpoint.id()).notices();
    }

    private static KernelView.NoticeView disconnected(long badge) {
        return new KernelView.NoticeView(SystemMessage.BADGE_DISCONNECTED, badge, 0);
    }

    @Test
    void lastBadgedCapabilityDeleted_optedIn_serverReceivesBadgeDisconnected() {
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, DISCONNECTED));
        assertEquals(Outcome.OK, f.driver.delete(f.clientA, EP));
        assertEquals(List.of(disconnected(BADGE_A)), notices());
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertTrue(MessageInfo.isSystem(f.ipc(f.server).info()));
        assertEquals(SystemMessage.BADGE_DISCONNECTED.label(), f.ipc(f.server).label());
        assertEquals(BADGE_A, f.ipc(f.server).badge());
        f.assertConsistent();
    }

    @Test
    void copiesRemain_noMessageUntilTheLastGoes() {
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, DISCONNECTED));
        assertEquals(Outcome.OK, f.driver.copy(f.clientA, EP, 3, Rights.WRITE));
        assertEquals(Outcome.OK, f.driver.move(f.clientA, 3, 4));
        assertEquals(Outcome.OK, f.driver.delete(f.clientA, EP));
        assertEquals(List.of(), notices(), "a copy with the badge is still held");
        assertEquals(Outcome.OK, f.driver.delete(f.clientA, 4));
        assertEquals(List.of(disconnected(BADGE_A)), notices());
        f.assertConsistent();
    }

    @Test
    void capabilityInFlight_counts() {
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, DISCONNECTED));
        SpaceHandle relay = f.kernel.createSpace("relay", Fixture.SLOTS);
        var other = f.kernel.createEndpoint();
        f.kernel.install(relay, EP, other, Rights.READ, 0);
        TaskHandle relayTask = f.started(f.kernel.createTask(relay, "relay"));
        f.kernel.install(f.clientA.space(), 2, other, Rights.ALL, 0);
        f.ipc(f.clientA).setCap(0, EP);
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, 2, MessageInfo.withCaps(MessageInfo.of(0, 0), 1)));
        f.ipc(relayTask).setReceiveSlot(0, 3);
        assertEquals(Outcome.OK, f.driver.recv(relayTask, EP));
        assertEquals(1, f.ipc(relayTask).caps(), "the badged capability arrived");
        assertEquals(Outcome.OK, f.driver.delete(f.clientA, EP));
        assertEquals(List.of(), notices(), "the relay still holds one");
        assertEquals(Outcome.OK, f.driver.delete(relayTask, 3));
        assertEquals(List.of(disconnected(BADGE_A)), notices());
        f.assertConsistent();
    }

    @Test
    void revokeOfParent_disconnectsEveryBadgeBelowIt() {
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, DISCONNECTED));
        f.kernel.install(f.serverSpace, 1, f.endpoint, Rights.ALL, 0);
        assertEquals(Outcome.OK, f.driver.mint(f.server, 1, 2, Rights.WRITE, 7));
        assertEquals(Outcome.OK, f.driver.mint(f.server, 1, 3, Rights.WRITE, 8));
        assertEquals(Outcome.OK, f.driver.copy(f.server, 3, 4, Rights.WRITE));
        assertEquals(Outcome.OK, f.driver.revoke(f.server, 1));
        assertEquals(2, notices().size());
        assertEquals(List.of(7L, 8L), notices().stream().map(KernelView.NoticeView::badge).sorted().toList());
        f.assertConsistent();
    }

    @Test
    void notOptedIn_orUnbadged_noMessage() {
        assertEquals(Outcome.OK, f.driver.delete(f.clientA, EP));
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, DISCONNECTED));
        TaskHandle unbadged = f.client("unbadged", 0);
        assertEquals(Outcome.OK, f.driver.delete(unbadged, EP));
        assertEquals(List.of(), notices());
    }

    @Test
    void badgeReusedAfterDisconnect_secondDisconnectIsReportedToo() {
        assertEquals(Outcome.OK, f.driver.systemMessages(f.server, EP, DISCONNECTED));
        f.kernel.install(f.serverSpace, 1, f.endpoint, Rights.ALL, 0);
        assertEquals(Outcome.OK, f.driver.mint(f.server, 1, 2, Rights.WRITE, 9));
        assertEquals(Outcome.OK, f.driver.delete(f.server, 2));
        assertEquals(Outcome.OK, f.driver.mint(f.server, 1, 2, Rights.WRITE, 9));
        assertEquals(Outcome.OK, f.driver.delete(f.server, 2));
        assertEquals(List.of(disconnected(9), disconnected(9)), notices(), "never lost, in order");
        f.assertConsistent();
    }

    @Test
    void mintOfNewBadge_endpointTracksNoMore_noSpaceAndNothingChanged() {
        var small = f.kernel.createEndpoint(1);
        SpaceHandle space = f.kernel.createSpace("owner", Fixture.SLOTS);
        f.kernel.install(space, 0, small, Rights.ALL, 0);
        TaskHandle owner = f.started(f.kernel.createTask(space, "owner"));
        assertEquals(Outcome.OK, f.driver.mint(owner, 0, 1, Rights.WRITE, 1));
        assertEquals(Outcome.OK, f.driver.mint(owner, 0, 2, Rights.WRITE, 1), "the same badge is counted by its record");
        assertEquals(Outcome.NO_SPACE, f.driver.mint(owner, 0, 3, Rights.WRITE, 2));
        assertEquals(Outcome.NO_SPACE, f.driver.mutate(owner, 0, 3, Rights.WRITE, 2));
        assertEquals(Outcome.OK, f.driver.mint(owner, 0, 3, Rights.WRITE, 0), "unbadged needs no record");
        assertEquals(4, f.view().space(space.id()).slots().size(), "the refused Mints filled nothing; the unbadged one is in slot 3");
        assertThrows(IllegalArgumentException.class, () -> f.kernel.install(space, 5, small, Rights.WRITE, 3));
        assertEquals(Outcome.OK, f.driver.delete(owner, 1));
        assertEquals(Outcome.OK, f.driver.delete(owner, 2));
        assertEquals(Outcome.OK, f.driver.mint(owner, 0, 4, Rights.WRITE, 2), "the record is free again");
        f.assertConsistent();
    }

    @Test
    void disconnectNoticeQueued_recordStaysTakenUntilReceived() {
        var small = f.kernel.createEndpoint(1);
        SpaceHandle space = f.kernel.createSpace("owner", Fixture.SLOTS);
        f.kernel.install(space, 0, small, Rights.ALL, 0);
        TaskHandle owner = f.started(f.kernel.createTask(space, "owner"));
        assertEquals(Outcome.OK, f.driver.systemMessages(owner, 0, DISCONNECTED));
        assertEquals(Outcome.OK, f.driver.mint(owner, 0, 1, Rights.WRITE, 1));
        assertEquals(Outcome.OK, f.driver.delete(owner, 1));
        assertEquals(Outcome.NO_SPACE, f.driver.mint(owner, 0, 1, Rights.WRITE, 2), "the notice holds the record");
        assertEquals(Outcome.OK, f.driver.nbRecv(owner, 0));
        assertEquals(1, f.ipc(owner).badge());
        assertEquals(Outcome.OK, f.driver.mint(owner, 0, 1, Rights.WRITE, 2));
        f.assertConsistent();
    }
}
