package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.run.DeterministicDriver;
import io.capipc.kernel.syscall.InjectedBug;
import io.capipc.kernel.syscall.InjectedBugs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who can unblock whom (SPEC guarantee 12): rights matter, a bound notification's signallers count. */
class DeadlockReportTest {
    private static final int EP = 0;
    private static final int NTFN = 1;

    private Kernel kernel = new Kernel();
    private DeterministicDriver d = new DeterministicDriver(kernel);
    private Endpoint ep = kernel.createEndpoint();
    private Notification ntfn = kernel.createNotification();

    private Task task(String name, int epRights, int ntfnRights) {
        Space s = kernel.createSpace(name, 2);
        kernel.install(s, EP, ep, epRights, 0);
        if (ntfnRights != Rights.NONE) {
            kernel.install(s, NTFN, ntfn, ntfnRights, 0b1);
        }
        Task t = kernel.createTask(s, name);
        d.start(t);
        return t;
    }

    @Test
    void deadlocked_receiverWhoseOnlyPeerMayJustReceive_reported() {
        Task receiver = task("receiver", Rights.READ, Rights.NONE);
        task("reader", Rights.READ, Rights.NONE);
        assertNull(d.recv(receiver, EP));
        assertEquals(List.of(receiver.id()), kernel.deadlocked(), "a task without WRITE cannot unblock a receiver");
    }

    @Test
    void deadlocked_receiverWithBoundNotificationSomeoneMaySignal_notReported() {
        Task receiver = task("receiver", Rights.READ, Rights.READ);
        Task signaller = task("signaller", Rights.NONE, Rights.WRITE);
        assertEquals(Status.OK, d.bindNotification(receiver, NTFN));
        assertNull(d.recv(receiver, EP));
        assertEquals(List.of(), kernel.deadlocked(), "the signaller can wake it through the bound notification");
        assertEquals(Status.OK, d.exit(signaller));
        assertEquals(List.of(receiver.id()), kernel.deadlocked());
    }

    @Test
    void deadlocked_callerAndServerSendingToIt_bothReported() {
        Task server = task("server", Rights.ALL, Rights.NONE);
        Task caller = callCycle(server);
        assertEquals(List.of(server.id(), caller.id()), kernel.deadlocked());
    }

    @Test
    void deadlocked_deadlockReportSparesCallers_callerLeftOut() {
        kernel = new Kernel(InjectedBugs.of(InjectedBug.DEADLOCK_REPORT_SPARES_CALLERS));
        d = new DeterministicDriver(kernel);
        ep = kernel.createEndpoint();
        Task server = task("server", Rights.ALL, Rights.NONE);
        callCycle(server);
        assertEquals(List.of(server.id()), kernel.deadlocked());
    }

    /**
     * {@code server} takes a Call from a new caller, then Sends on the same endpoint, which only the
     * caller (blocked on its reply) could receive: both are stuck. Returns the caller.
     */
    private Task callCycle(Task server) {
        Task caller = task("caller", Rights.ALL, Rights.NONE);
        assertNull(d.recv(server, EP));
        assertNull(d.call(caller, EP, MessageInfo.of(1, 0)));
        assertNull(d.send(server, EP, MessageInfo.of(2, 0)));
        return caller;
    }
}
