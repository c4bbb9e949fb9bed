package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectSizes;
import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.SystemMessage;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.object.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An endpoint tracks any number of distinct badges (docs/semantics.md §6, issue 16): a name server
 * hands out thousands of badged capabilities to one endpoint, and hears of each one's end. Records
 * beyond the preallocated ones are made at Mint, reused once free, and, for an endpoint Retype made,
 * charged to its untyped (ObjectSizes.BADGE_RECORD) and given back with it.
 */
class ManyBadgesTest {
    private static final int N = 10_000;
    private static final int EP = 0;
    private static final int DISCONNECTED = SystemMessage.BADGE_DISCONNECTED.bit();

    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);

    private TaskHandle server(SpaceHandle space) {
        TaskHandle t = kernel.createTask(space, "names");
        d.start(t);
        return t;
    }

    @Test
    void tenThousandDistinctBadges_onADefaultEndpoint_allMintedUsedAndEachDisconnectionReportedInOrder() {
        SpaceHandle space = kernel.createSpace("names", N + 1);
        ObjectHandle ep = kernel.createEndpoint();
        kernel.install(space, EP, ep, Rights.ALL, 0);
        TaskHandle names = server(space);
        assertEquals(Outcome.OK, d.systemMessages(names, EP, DISCONNECTED));
        for (int i = 1; i <= N; i++) {
            assertEquals(Outcome.OK, d.mint(names, EP, i, Rights.WRITE, 1000 + i), "badge " + i);
        }
        // Each badge is its own: a message through slot i carries badge 1000 + i.
        for (int i : new int[] {1, 17, N / 2, N}) {
            assertEquals(Outcome.WOULD_BLOCK, d.nbSend(names, i, MessageInfo.of(i, 0)));
        }
        assertEquals(List.of(), kernel.invariantViolations(), "every record counts its one capability");
        for (int i = 1; i <= N; i++) {
            assertEquals(Outcome.OK, d.delete(names, i));
        }
        List<KernelView.NoticeView> queued = kernel.inspect().endpoint(ep.id()).notices();
        assertEquals(N, queued.size(), "one BADGE_DISCONNECTED per badge, none lost");
        for (int i = 1; i <= N; i++) {
            assertEquals(Outcome.OK, d.nbRecv(names, EP));
            assertTrue(MessageInfo.isSystem(d.ipc(names).info()));
            assertEquals(1000 + i, d.ipc(names).badge(), "in the order the last capabilities went");
        }
        assertEquals(Outcome.WOULD_BLOCK, d.nbRecv(names, EP));
        // The records are free again: as many new badges, and none of the old ones counted.
        for (int i = 1; i <= N; i++) {
            assertEquals(Outcome.OK, d.mint(names, EP, i, Rights.WRITE, 100_000 + i));
        }
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void receivedAsTheyCome_aServerHandingOutAndTakingBackBadges_neverRefused() {
        SpaceHandle space = kernel.createSpace("names", 40);
        ObjectHandle ep = kernel.createEndpoint();
        kernel.install(space, EP, ep, Rights.ALL, 0);
        TaskHandle names = server(space);
        assertEquals(Outcome.OK, d.systemMessages(names, EP, DISCONNECTED));
        long badge = 1;
        for (int round = 0; round < 300; round++) {
            for (int s = 1; s < 40; s++) {
                assertEquals(Outcome.OK, d.mint(names, EP, s, Rights.WRITE, badge++));
            }
            for (int s = 1; s < 40; s++) {
                assertEquals(Outcome.OK, d.delete(names, s));
            }
            for (int s = 1; s < 40; s++) {
                assertEquals(Outcome.OK, d.nbRecv(names, EP));
                assertEquals(badge - 40 + s, d.ipc(names).badge());
            }
        }
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void retypedEndpoint_recordsBeyondItsSixteenChargedToItsUntyped_refusedWhenSpent_reused_andGivenBack() {
        ObjectHandle untyped = kernel.createUntyped(ObjectSizes.ENDPOINT + 2 * ObjectSizes.BADGE_RECORD);
        SpaceHandle space = kernel.createSpace("maker", 32);
        kernel.install(space, EP, untyped, Rights.ALL, 0);
        TaskHandle maker = server(space);
        int made = 1;
        assertEquals(Outcome.OK, d.retype(maker, EP, ObjectType.ENDPOINT, 0, made));
        for (int b = 1; b <= Endpoint.DEFAULT_BADGES; b++) {
            assertEquals(Outcome.OK, d.mint(maker, made, 1 + b, Rights.WRITE, b));
        }
        assertEquals(ObjectSizes.ENDPOINT, used(untyped), "the endpoint's own records are in its size");
        assertEquals(Outcome.OK, d.mint(maker, made, 18, Rights.WRITE, 17));
        assertEquals(ObjectSizes.ENDPOINT + ObjectSizes.BADGE_RECORD, used(untyped));
        assertEquals(Outcome.OK, d.mint(maker, made, 19, Rights.WRITE, 18));
        assertEquals(ObjectSizes.ENDPOINT + 2 * ObjectSizes.BADGE_RECORD, used(untyped));
        int epId = kernel.inspect().space(space.id()).slots().get(1).objectId();
        assertEquals(List.of(new KernelView.MadeView(epId, ObjectType.ENDPOINT, ObjectSizes.ENDPOINT + 2 * ObjectSizes.BADGE_RECORD)),
                kernel.inspect().untyped(untyped.id()).made(), "the endpoint's charge grew");
        KernelView before = kernel.inspect();
        assertEquals(Outcome.NO_SPACE, d.mint(maker, made, 20, Rights.WRITE, 19));
        assertEquals(Reason.BADGES_EXHAUSTED, d.ipc(maker).reason());
        assertEquals(Outcome.NO_SPACE, d.mutate(maker, made, 20, Rights.WRITE, 19));
        assertEquals(before, kernel.inspect(), "nothing made, nothing charged");
        assertEquals(Outcome.OK, d.mint(maker, made, 20, Rights.WRITE, 5), "a badge already counted needs no record");
        assertEquals(Outcome.OK, d.delete(maker, 2), "badge 1 still has no other capability: its record is free");
        assertEquals(Outcome.OK, d.mint(maker, made, 21, Rights.WRITE, 19), "and the next badge takes it");
        assertEquals(ObjectSizes.ENDPOINT + 2 * ObjectSizes.BADGE_RECORD, used(untyped), "reused, not charged");
        assertEquals(List.of(), kernel.invariantViolations());
        assertEquals(Outcome.OK, d.revoke(maker, EP));
        assertEquals(0, used(untyped), "the records' charge came back with the endpoint");
        assertEquals(List.of(), kernel.inspect().untyped(untyped.id()).made());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    /**
     * A record stays taken until its BADGE_DISCONNECTED is received, so a task that mints and deletes
     * new badges on an endpoint nobody drains could grow the kernel for ever: a default endpoint stops
     * at 65 536 records, and the next new badge is refused as a bounded endpoint's is.
     */
    @Test
    void mintAndDeleteLoop_onAnUndrainedDefaultEndpoint_stopsAtItsBound() {
        SpaceHandle space = kernel.createSpace("looper", 4);
        ObjectHandle ep = kernel.createEndpoint();
        kernel.install(space, EP, ep, Rights.ALL, 0);
        TaskHandle looper = server(space);
        assertEquals(Outcome.OK, d.systemMessages(looper, EP, DISCONNECTED));
        int bound = 1 << 16;
        for (int i = 1; i <= bound; i++) {
            assertEquals(Outcome.OK, d.mint(looper, EP, 1, Rights.WRITE, i), "badge " + i);
            assertEquals(Outcome.OK, d.delete(looper, 1));
        }
        assertEquals(bound, kernel.inspect().endpoint(ep.id()).notices().size(), "every disconnection waits, none lost");
        assertEquals(Outcome.NO_SPACE, d.mint(looper, EP, 1, Rights.WRITE, bound + 1));
        assertEquals(Reason.BADGES_EXHAUSTED, d.ipc(looper).reason());
        assertEquals(Outcome.OK, d.nbRecv(looper, EP), "one notice received frees its record");
        assertEquals(Outcome.OK, d.mint(looper, EP, 1, Rights.WRITE, bound + 1));
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void boundedEndpoint_stillRefusesOneBadgeMoreThanItsLimit() {
        SpaceHandle space = kernel.createSpace("owner", 8);
        kernel.install(space, EP, kernel.createEndpoint(2), Rights.ALL, 0);
        TaskHandle owner = server(space);
        assertEquals(Outcome.OK, d.mint(owner, EP, 1, Rights.WRITE, 1));
        assertEquals(Outcome.OK, d.mint(owner, EP, 2, Rights.WRITE, 2));
        assertEquals(Outcome.NO_SPACE, d.mint(owner, EP, 3, Rights.WRITE, 3));
        assertEquals(Reason.BADGES_EXHAUSTED, d.ipc(owner).reason());
    }

    private long used(ObjectHandle untyped) {
        return kernel.inspect().untyped(untyped.id()).used();
    }

}
