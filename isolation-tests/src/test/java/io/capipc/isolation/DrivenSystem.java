package io.capipc.isolation;

import static io.capipc.isolation.Boot.CLIENT_BADGE;
import static io.capipc.isolation.Boot.EP;
import static io.capipc.isolation.Boot.QUESTION;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.inspect.Outcome;
import java.util.List;

/**
 * The booted system on the deterministic driver: the server and a client are started, and the server
 * waits in Recv. No body runs here; the driver's user acts for every task, so an attack is whatever
 * it does with what the driver hands out (the driver itself, a task's IPC buffer), and afterwards the
 * server must still answer the client as before.
 */
final class DrivenSystem {
    final Boot boot = new Boot();
    final DeterministicDriver driver = new DeterministicDriver(boot.kernel);
    final TaskHandle client = boot.kernel.createTask(boot.clientSpace, "client");

    DrivenSystem() {
        driver.start(boot.server);
        driver.start(client);
        assertEquals(Outcome.BLOCKED, driver.recv(boot.server, EP));
    }

    /**
     * Nothing was harmed: the kernel's invariants hold, the waiting server receives the client's Call
     * with the client's badge, and its answer reaches the client.
     */
    void assertUnharmed() {
        assertEquals(List.of(), boot.kernel.invariantViolations());
        driver.ipc(client).setMr(0, QUESTION);
        assertEquals(Outcome.BLOCKED, driver.call(client, EP, MessageInfo.of(1, 1)));
        IpcBuffer server = driver.ipc(boot.server);
        assertEquals(Status.OK, server.status());
        assertEquals(CLIENT_BADGE, server.badge());
        server.setMr(0, server.mr(0) + server.badge());
        assertEquals(Outcome.BLOCKED, driver.replyWait(boot.server, EP, MessageInfo.of(0, 1)));
        assertEquals(Status.OK, driver.ipc(client).status());
        assertEquals(QUESTION + CLIENT_BADGE, driver.ipc(client).mr(0));
        assertEquals(List.of(), boot.kernel.invariantViolations());
    }
}
