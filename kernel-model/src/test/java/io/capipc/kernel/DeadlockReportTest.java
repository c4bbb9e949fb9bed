package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.DeterministicDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who can unblock whom (docs/semantics.md guarantee 12): rights matter, a bound notification's signallers count. */
class DeadlockReportTest {
    private static final int EP = 0;
    private static final int NTFN = 1;

    private Kernel kernel = new Kernel();
    private DeterministicDriver d = new DeterministicDriver(kernel);
    private ObjectHandle ep = kernel.createEndpoint();
    private ObjectHandle ntfn = kernel.createNotification();

    private TaskHandle task(String name, int epRights, int ntfnRights) {
        SpaceHandle s = kernel.createSpace(name, 2);
        kernel.install(s, EP, ep, epRights, 0);
        if (ntfnRights != Rights.NONE) {
            kernel.install(s, NTFN, ntfn, ntfnRights, 0b1);
        }
        TaskHandle t = kernel.createTask(s, name);
        d.start(t);
        return t;
    }

    @Test
    void deadlocked_receiverWhoseOnlyPeerMayJustReceive_reported() {
        TaskHandle receiver = task("receiver", Rights.READ, Rights.NONE);
        task("reader", Rights.READ, Rights.NONE);
        assertEquals(Outcome.BLOCKED, d.recv(receiver, EP));
        assertEquals(List.of(receiver.id()), kernel.deadlocked(), "a task without WRITE cannot unblock a receiver");
    }

    @Test
    void deadlocked_receiverWithBoundNotificationSomeoneMaySignal_notReported() {
        TaskHandle receiver = task("receiver", Rights.READ, Rights.READ);
        TaskHandle signaller = task("signaller", Rights.NONE, Rights.WRITE);
        assertEquals(Outcome.OK, d.bindNotification(receiver, NTFN));
        assertEquals(Outcome.BLOCKED, d.recv(receiver, EP));
        assertEquals(List.of(), kernel.deadlocked(), "the signaller can wake it through the bound notification");
        assertEquals(Outcome.OK, d.exit(signaller));
        assertEquals(List.of(receiver.id()), kernel.deadlocked());
    }

    @Test
    void deadlocked_callerAndServerSendingToIt_bothReported() {
        TaskHandle server = task("server", Rights.ALL, Rights.NONE);
        TaskHandle caller = callCycle(server);
        assertEquals(List.of(server.id(), caller.id()), kernel.deadlocked());
    }

    /**
     * {@code server} takes a Call from a new caller, then Sends on the same endpoint, which only the
     * caller (blocked on its reply) could receive: both are stuck. Returns the caller.
     */
    private TaskHandle callCycle(TaskHandle server) {
        TaskHandle caller = task("caller", Rights.ALL, Rights.NONE);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.BLOCKED, d.call(caller, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.BLOCKED, d.send(server, EP, MessageInfo.of(2, 0)));
        return caller;
    }
}
