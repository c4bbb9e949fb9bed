package io.capipc.kernel.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;
import io.capipc.kernel.run.DeterministicDriver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault set itself, and each injected fault whose branch lives in this module acting as its
 * Javadoc says, while a kernel without it acts as SPEC says.
 */
class FaultsTest {
    private static final int EP = 0;

    @Test
    void none_everyFault_absent() {
        for (InjectedBug f : InjectedBug.values()) {
            assertFalse(InjectedBugs.NONE.has(f), f.name());
        }
        assertEquals("InjectedBugs[]", InjectedBugs.NONE.toString());
    }

    @Test
    void of_someFaults_hasExactlyThose() {
        InjectedBugs faults = InjectedBugs.of(InjectedBug.MINT_REBADGES, InjectedBug.NBSEND_ALLOCATES, InjectedBug.BADGE_FROM_LABEL);
        for (InjectedBug f : InjectedBug.values()) {
            boolean expected = f == InjectedBug.MINT_REBADGES || f == InjectedBug.NBSEND_ALLOCATES || f == InjectedBug.BADGE_FROM_LABEL;
            assertEquals(expected, faults.has(f), f.name());
        }
        assertEquals("InjectedBugs[BADGE_FROM_LABEL,MINT_REBADGES,NBSEND_ALLOCATES]", faults.toString());
    }

    @Test
    void of_eachFaultAlone_hasOnlyIt() {
        for (InjectedBug f : InjectedBug.values()) {
            InjectedBugs one = InjectedBugs.of(f);
            assertEquals("InjectedBugs[" + f + "]", one.toString());
            for (InjectedBug g : InjectedBug.values()) {
                assertEquals(f == g, one.has(g), f + " has " + g);
            }
        }
        assertEquals("InjectedBugs[]", InjectedBugs.of().toString());
    }

    /** A kernel with {@code faults}, an endpoint, and started tasks each in its own space. */
    private static final class World {
        final Kernel kernel;
        final DeterministicDriver d;
        final Endpoint ep;

        World(InjectedBug... faults) {
            kernel = new Kernel(InjectedBugs.of(faults));
            d = new DeterministicDriver(kernel);
            ep = kernel.createEndpoint();
        }

        Task task(String name, int rights, long badge) {
            Space s = kernel.createSpace(name, 8);
            kernel.install(s, EP, ep, rights, badge);
            Task t = kernel.createTask(s, name);
            d.start(t);
            return t;
        }
    }

    @Test
    void nbSend_nbsendAllocates_allocatesOnlyOnNbSendAndOnlyWithTheFault() {
        World plain = new World();
        Task ps = plain.task("sender", Rights.WRITE, 1);
        MessageSyscalls.sink = null;
        assertEquals(Status.WOULD_BLOCK, plain.d.nbSend(ps, EP, MessageInfo.of(1, 0)));
        assertNull(MessageSyscalls.sink, "a kernel as specified allocates nothing");

        World faulty = new World(InjectedBug.NBSEND_ALLOCATES);
        Task fs = faulty.task("sender", Rights.WRITE, 1);
        assertNull(faulty.d.send(fs, EP, MessageInfo.of(1, 0)));
        assertNull(MessageSyscalls.sink, "a blocking Send does not allocate");
        Task fs2 = faulty.task("sender2", Rights.WRITE, 1);
        assertEquals(Status.WOULD_BLOCK, faulty.d.nbSend(fs2, EP, MessageInfo.of(1, 0)));
        assertNotNull(MessageSyscalls.sink);
        MessageSyscalls.sink = null;
    }

    private static List<Long> receiveAll(World w, Task receiver, int n) {
        List<Long> badges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            assertEquals(Status.OK, w.d.recv(receiver, EP));
            badges.add(receiver.ipc().badge());
        }
        return badges;
    }

    @Test
    void send_lifoSenders_newestSenderFirstButReceiversStayFifo() {
        World w = new World(InjectedBug.LIFO_SENDERS);
        Task r = w.task("receiver", Rights.READ, 0);
        for (long b = 1; b <= 3; b++) {
            assertNull(w.d.send(w.task("s" + b, Rights.WRITE, b), EP, MessageInfo.of(0, 0)));
        }
        assertEquals(List.of(3L, 2L, 1L), receiveAll(w, r, 3));
        assertReceiversServedOldestFirst(w);
    }

    @Test
    void recv_lifoReceivers_newestReceiverFirstButSendersStayFifo() {
        World w = new World(InjectedBug.LIFO_RECEIVERS);
        Task s = w.task("sender", Rights.WRITE, 5);
        List<Task> receivers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Task r = w.task("r" + i, Rights.READ, 0);
            assertNull(w.d.recv(r, EP));
            receivers.add(r);
        }
        assertEquals(Status.OK, w.d.send(s, EP, MessageInfo.of(0, 0)));
        assertEquals(TaskState.RUNNING, receivers.get(2).state(), "the newest receiver took it");
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, receivers.get(0).state());

        World w2 = new World(InjectedBug.LIFO_RECEIVERS);
        Task r = w2.task("receiver", Rights.READ, 0);
        for (long b = 1; b <= 3; b++) {
            assertNull(w2.d.send(w2.task("s" + b, Rights.WRITE, b), EP, MessageInfo.of(0, 0)));
        }
        assertEquals(List.of(1L, 2L, 3L), receiveAll(w2, r, 3));
    }

    private static void assertReceiversServedOldestFirst(World w) {
        Task s = w.task("late-sender", Rights.WRITE, 9);
        Task r0 = w.task("r0", Rights.READ, 0);
        Task r1 = w.task("r1", Rights.READ, 0);
        assertNull(w.d.recv(r0, EP));
        assertNull(w.d.recv(r1, EP));
        assertEquals(Status.OK, w.d.send(s, EP, MessageInfo.of(0, 0)));
        assertEquals(TaskState.RUNNING, r0.state());
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, r1.state());
    }

    @Test
    void reply_replyWithoutCallerFails_noCallerOnlyWithoutACaller() {
        World w = new World(InjectedBug.REPLY_WITHOUT_CALLER_FAILS);
        Task server = w.task("server", Rights.READ, 0);
        Task client = w.task("client", Rights.WRITE, 1);
        assertEquals(Status.NO_CALLER, w.d.reply(server, MessageInfo.of(0, 0)));
        assertNull(w.d.recv(server, EP));
        assertNull(w.d.call(client, EP, MessageInfo.of(1, 0)));
        assertEquals(Status.OK, w.d.reply(server, MessageInfo.of(2, 0)), "with a caller the reply is delivered");
        assertEquals(Kind.REPLY, client.ipc().kind());
        assertEquals(Status.OK, client.ipc().status());
    }

    @Test
    void replyWait_replyWaitCompletesTwice_callerEndsWithNoReplyAndNoCallerIsHarmless() {
        World w = new World(InjectedBug.REPLY_WAIT_COMPLETES_TWICE);
        Task server = w.task("server", Rights.READ, 0);
        Task client = w.task("client", Rights.WRITE, 1);
        assertNull(w.d.replyWait(server, EP, MessageInfo.of(0, 0)), "no caller: nothing completes twice");
        assertNull(w.d.call(client, EP, MessageInfo.of(1, 0)));
        assertNull(w.d.replyWait(server, EP, MessageInfo.of(0, 0)));
        assertEquals(Status.NO_REPLY, client.ipc().status());

        World plain = new World();
        Task ps = plain.task("server", Rights.READ, 0);
        Task pc = plain.task("client", Rights.WRITE, 1);
        assertNull(plain.d.recv(ps, EP));
        assertNull(plain.d.call(pc, EP, MessageInfo.of(1, 0)));
        assertNull(plain.d.replyWait(ps, EP, MessageInfo.of(0, 0)));
        assertEquals(Status.OK, pc.ipc().status());
    }

    @Test
    void revoke_revokeSparesOne_deepTreeLosesAllButOneDescendant() {
        World w = new World(InjectedBug.REVOKE_SPARES_ONE);
        Task owner = w.task("owner", Rights.ALL, 0);
        Task other = w.task("other", Rights.ALL, 0);
        assertEquals(Status.OK, w.d.copy(owner, EP, 1, Rights.ALL));
        assertEquals(Status.OK, w.d.copy(owner, 1, 2, Rights.ALL));
        assertEquals(Status.OK, w.d.copy(owner, 2, 3, Rights.READ));
        assertEquals(Status.OK, w.d.copy(owner, EP, 4, Rights.WRITE));
        int before = w.ep.capabilityCount();
        assertEquals(6, before);
        assertEquals(Status.OK, w.d.revoke(owner, EP));
        assertEquals(3, w.ep.capabilityCount(), "the owner's, the other task's, and one spared descendant");
        assertNotNull(owner.space().cspace().slot(EP).firstChild());
        assertNull(owner.space().cspace().slot(EP).firstChild().firstChild());
        assertNull(owner.space().cspace().slot(EP).firstChild().nextSibling());
        assertTrue(w.kernel.invariantViolations().isEmpty());
        assertEquals(Status.OK, w.d.copy(other, EP, 1, Rights.READ));
    }
}
