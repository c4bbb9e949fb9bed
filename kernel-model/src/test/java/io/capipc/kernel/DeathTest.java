package io.capipc.kernel;

import static io.capipc.kernel.Fixture.EP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task death (docs/semantics.md §6): the driver kills tasks wherever they are. */
class DeathTest {
    private final Fixture f = new Fixture();

    @Test
    void serverDiesBeforeTakingMessage_callerStaysQueuedForAnotherServer() {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        f.driver.kill(f.server);
        assertEquals(TaskState.DEAD, f.state(f.server));
        assertEquals(List.of(), f.queued(), "the dead receiver left the queue");
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(TaskState.BLOCKED_ON_SEND, f.state(f.clientA));
        var second = f.serverThread("server-2");
        assertEquals(Outcome.OK, f.driver.recv(second, EP));
        assertEquals(f.clientA.id(), f.view(second).holdsContextOf());
        f.assertConsistent();
    }

    @Test
    void serverDiesAfterTakingMessage_callerGetsPeerDied() {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));
        f.driver.kill(f.server);
        assertEquals(Status.PEER_DIED, f.ipc(f.clientA).status());
        assertEquals(TaskState.RUNNING, f.state(f.clientA));
        f.assertConsistent();
    }

    @Test
    void serverDiesWhileCallingOn_itsOwnCallerGetsPeerDiedAndItsServerIsCancelled() {
        var backend = f.serverThread("backend");
        assertEquals(Outcome.BLOCKED, f.driver.recv(backend, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));   // backend holds clientA
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientB, EP, MessageInfo.of(2, 0)));   // server holds clientB
        f.kernel.install(f.serverSpace, 1, f.endpoint, io.capipc.api.Rights.WRITE, 0);
        assertEquals(Outcome.OK, f.driver.reply(backend, MessageInfo.of(0, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.recv(backend, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.server, 1, MessageInfo.of(3, 0)));       // backend now holds server
        f.driver.kill(f.server);
        assertEquals(Status.PEER_DIED, f.ipc(f.clientB).status());
        assertEquals(Outcome.CANCELLED, f.driver.callerInfo(backend), "the dead caller's context is cancelled");
        f.assertConsistent();
    }

    @Test
    void callerKilledWhileQueued_leavesQueue() {
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(1, 0)));
        f.driver.kill(f.clientA);
        assertEquals(List.of(f.clientB.id()), f.queued());
        assertEquals(-1, f.view(f.clientA).sendSlot(), "a dead task names no slot it sent through");
        assertEquals(false, f.view(f.clientA).isCall());
        f.driver.kill(f.clientA);
        assertEquals(TaskState.DEAD, f.state(f.clientA), "killing a dead task changes nothing");
        f.assertConsistent();
    }
}
