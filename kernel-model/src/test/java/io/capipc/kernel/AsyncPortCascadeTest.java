package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.api.Rights;
import io.capipc.api.TaskState;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An untyped capability in flight in an async port's message (docs/semantics.md §5.5, §13): deleting
 * it from flight revokes everything made through it, and that cascade may reach the port itself,
 * its endpoint or its reply endpoint, or another of its entries. Found by a review of the fix of the
 * decode fuzz target's finding 5; each case broke the kernel or the docs before.
 */
class AsyncPortCascadeTest {
    /** In the client's Space: the untyped, an endpoint made at boot, then what Retype and Bind make. */
    private static final int UNTYPED = 0;
    private static final int BOOT_EP = 1;
    private static final int MADE = 2;
    private static final int PORT = 3;
    private static final int MADE_TOO = 4;

    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle untyped = kernel.createUntyped(1 << 20);
    private final ObjectHandle bootEndpoint = kernel.createEndpoint();
    private final SpaceHandle space = kernel.createSpace("client", 8);
    private final TaskHandle client;
    private final TaskHandle listener;

    AsyncPortCascadeTest() {
        kernel.install(space, UNTYPED, untyped, Rights.ALL, 0);
        kernel.install(space, BOOT_EP, bootEndpoint, Rights.ALL, 0);
        client = kernel.createTask(space, "client");
        listener = kernel.createTask(space, "listener");
        d.start(client);
        d.start(listener);
    }

    @AfterEach
    void invariantsHold() {
        assertEquals(List.of(), kernel.invariantViolations());
    }

    private void sends(boolean call, int cap, boolean move) {
        d.ipc(client).setCap(0, cap);
        d.ipc(client).setMove(0, move);
        long info = MessageInfo.of(1, 0, cap < 0 ? 0 : 1);
        assertEquals(Outcome.OK, call ? d.asyncCall(client, PORT, info) : d.asyncSend(client, PORT, info));
        d.ipc(client).setMove(0, false);
    }

    private KernelView.PortView port() {
        return kernel.inspect().ports().getFirst();
    }

    @Test
    void untypedDeliveredFromFlight_revokesEverythingItMade_evenWhenThatDestroysThePortOnTheWay() {
        assertEquals(Outcome.OK, d.retype(client, UNTYPED, ObjectType.ENDPOINT, 0, MADE_TOO));
        assertEquals(Outcome.OK, d.retype(client, UNTYPED, ObjectType.ENDPOINT, 0, MADE));
        assertEquals(Outcome.OK, d.bind(client, MADE, BOOT_EP, 2, PORT));
        sends(true, UNTYPED, true);
        sends(false, PORT, true); // the port's only capability, queued behind
        assertEquals(Outcome.OK, d.recv(client, MADE), "takes the call; it names no receive slot");
        assertTrue(kernel.inspect().untyped(untyped.id()).destroyed());
        assertTrue(kernel.inspect().untyped(untyped.id()).made().isEmpty(), "nothing it made outlives it");
        assertTrue(port().destroyed());
    }

    @Test
    void droppedCallCarryingTheUntypedOfItsReplyEndpoint_noErrorIsSentThroughTheEmptiedSlot() {
        assertEquals(Outcome.OK, d.retype(client, UNTYPED, ObjectType.ENDPOINT, 0, MADE));
        assertEquals(Outcome.OK, d.bind(client, BOOT_EP, MADE, 1, PORT));
        sends(true, UNTYPED, true);
        assertEquals(Outcome.OK, d.revoke(client, BOOT_EP), "drops the queued call");
        KernelView.PortView p = port();
        assertEquals(1, p.lost());
        assertEquals(-1, p.replyEndpoint(), "its reply endpoint went with the untyped");
        assertTrue(p.entries().stream().allMatch(e -> e.phase().equals("FREE")));
    }

    @Test
    void destroyingAPort_noneOfItsEntriesIsAnswered_evenWhenWhatOneHadInFlightReleasesAnother() {
        assertEquals(Outcome.OK, d.retype(client, UNTYPED, ObjectType.ENDPOINT, 0, MADE));
        assertEquals(Outcome.OK, d.bind(client, MADE, BOOT_EP, 2, PORT));
        sends(false, UNTYPED, true); // its revoke takes the port's endpoint, where the call waits
        sends(true, -1, false);
        assertEquals(Outcome.BLOCKED, d.recv(listener, BOOT_EP));
        assertEquals(Outcome.OK, d.delete(client, PORT));
        assertTrue(port().destroyed());
        assertEquals(0, port().lost(), "destruction is silent: nothing is counted");
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, kernel.inspect().task(listener.id()).state(), "and no error comes");
        assertFalse(kernel.inspect().untyped(untyped.id()).made().stream().anyMatch(m -> m.type() == ObjectType.ENDPOINT));
    }
}
