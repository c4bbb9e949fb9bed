package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.inspect.SyscallName;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The boot API's boundaries, object ids, the tracer hook, and small accessors of the model. */
class KernelBootTest {
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver driver = new DeterministicDriver(kernel);

    @Test
    void createSpace_oneSlot_createdWithOneSlot() {
        SpaceHandle s = kernel.createSpace("tiny", 1);
        assertEquals(1, kernel.space(s).cspace().size());
        kernel.install(s, 0, kernel.createEndpoint(), Rights.ALL, 0);
        assertEquals(1, kernel.inspect().space(s.id()).slots().size());
    }

    @Test
    void createSpace_zeroSlots_illegalArgumentNamingTheCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernel.createSpace("none", 0));
        assertTrue(e.getMessage().contains("was 0"), e.getMessage());
    }

    @Test
    void create_everyKindOfObject_idsDistinctAndIncreasing() {
        List<Integer> ids = new ArrayList<>();
        ObjectHandle e1 = kernel.createEndpoint();
        ids.add(e1.id());
        SpaceHandle s = kernel.createSpace("s", 2);
        ids.add(s.id());
        ObjectHandle n1 = kernel.createNotification();
        ids.add(n1.id());
        ids.add(kernel.createSpace("s2", 2).id());
        ids.add(kernel.createEndpoint().id());
        ids.add(kernel.createNotification().id());
        ids.add(kernel.createTask(s, "t").id());
        Set<Integer> distinct = new HashSet<>(ids);
        assertEquals(ids.size(), distinct.size(), ids.toString());
        for (int i = 1; i < ids.size(); i++) {
            assertEquals(ids.get(i - 1) + 1, ids.get(i), ids.toString());
        }
    }

    @Test
    void install_slotOutOfRange_messageNamesTheRange() {
        SpaceHandle s = kernel.createSpace("four", 4);
        ObjectHandle ep = kernel.createEndpoint();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernel.install(s, 4, ep, Rights.ALL, 0));
        assertEquals("slot 4 is out of range 0..3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> kernel.install(s, -1, ep, Rights.ALL, 0));
        assertEquals("slot -1 is out of range 0..3", e.getMessage());
    }

    @Test
    void createTask_nullOrBlankName_messageShowsTheName() {
        SpaceHandle s = kernel.createSpace("s", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernel.createTask(s, null));
        assertTrue(e.getMessage().endsWith("was null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> kernel.createTask(s, "  "));
        assertTrue(e.getMessage().endsWith("was '  '"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> kernel.createSpace(null, 1));
        assertTrue(e.getMessage().endsWith("was null"), e.getMessage());
    }

    @Test
    void taskStart_taskAlreadyRunning_refusedNamingTheState() {
        TaskHandle t = kernel.createTask(kernel.createSpace("s", 1), "t");
        driver.start(t);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> driver.start(t));
        assertEquals("t#" + t.id() + " is RUNNING, not INACTIVE", e.getMessage());
        assertEquals(TaskState.RUNNING, driver.state(t));
    }

    @Test
    void isBlocked_eachState_trueExactlyForTheBlockedStates() {
        for (TaskState s : TaskState.values()) {
            boolean expected = s.name().startsWith("BLOCKED_");
            assertEquals(expected, s.isBlocked(), s.name());
        }
    }

    @Test
    void specName_eachSyscall_isTheSpecSpelling() {
        assertEquals("Send", SyscallName.SEND.specName());
        assertEquals("NBRecv", SyscallName.NB_RECV.specName());
        assertEquals("CancelBadgedSends", SyscallName.CANCEL_BADGED_SENDS.specName());
        for (SyscallName s : SyscallName.values()) {
            assertFalse(s.specName().isEmpty(), s.name());
        }
    }

    @Test
    void names_spaceAndTask_asCreated() {
        SpaceHandle s = kernel.createSpace("home", 1);
        TaskHandle t = kernel.createTask(s, "worker");
        assertEquals("home", s.name());
        assertEquals("worker", t.name());
    }

    @Test
    void tracer_installed_seesEverySyscallAndEveryResume() {
        ObjectHandle ep = kernel.createEndpoint();
        SpaceHandle rs = kernel.createSpace("r", 1);
        kernel.install(rs, 0, ep, Rights.READ, 0);
        SpaceHandle ss = kernel.createSpace("s", 1);
        kernel.install(ss, 0, ep, Rights.WRITE, 4);
        TaskHandle receiver = kernel.createTask(rs, "receiver");
        TaskHandle sender = kernel.createTask(ss, "sender");
        driver.start(receiver);
        driver.start(sender);
        List<String> seen = new ArrayList<>();
        kernel.tracer(new Tracer() {
            @Override
            public void syscall(TaskHandle task, IpcBuffer ipc, SyscallName op, long a, long b, Outcome outcome) {
                seen.add(task.name() + " " + op + " " + a + " " + outcome);
            }

            @Override
            public void completed(TaskHandle task, IpcBuffer ipc, Status status) {
                seen.add(task.name() + " completed " + status + " label " + ipc.label());
                assertThrows(UnsupportedOperationException.class, () -> ipc.setMr(0, 1), "the tracer's view is read-only");
            }
        });
        assertEquals(Outcome.BLOCKED, driver.recv(receiver, 0));
        assertEquals(Outcome.OK, driver.send(sender, 0, MessageInfo.of(1, 0)));
        assertEquals(Outcome.WOULD_BLOCK, driver.nbSend(sender, 0, MessageInfo.of(1, 0)));
        assertEquals(List.of("receiver RECV 0 BLOCKED", "receiver completed OK label 1", "sender SEND 0 OK", "sender NB_SEND 0 WOULD_BLOCK"), seen);
        kernel.tracer(null);
        assertEquals(Outcome.BLOCKED, driver.recv(receiver, 0));
        assertEquals(4, seen.size(), "no tracer, no events");
    }

    @Test
    void generation_eachCall_advancesByOne() {
        Fixture f = new Fixture();
        long before = f.kernel.task(f.clientA).ownContext().generation();
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, Fixture.EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, Fixture.EP, MessageInfo.of(1, 0)));
        assertEquals(before + 1, f.kernel.task(f.clientA).ownContext().generation());
        assertEquals(Outcome.OK, f.driver.reply(f.server, MessageInfo.of(0, 0)));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, Fixture.EP, MessageInfo.of(1, 0)));
        assertEquals(before + 2, f.kernel.task(f.clientA).ownContext().generation());
    }

    @Test
    void kernel_ofDriver_isTheKernelItDrives() {
        assertSame(kernel, driver.kernel());
    }

    @Test
    void secondRuntime_refusedNamingTheFirst() {
        Kernel k = new Kernel();
        new ThreadedRuntime(k, ThreadedRuntime.Threads.PLATFORM);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new DeterministicDriver(k));
        assertEquals("this kernel already runs under a ThreadedRuntime of platform threads; a DeterministicDriver"
                + " cannot attach to it as well", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> new ThreadedRuntime(kernel, ThreadedRuntime.Threads.VIRTUAL));
        assertTrue(e.getMessage().startsWith("this kernel already runs under a DeterministicDriver"), e.getMessage());
    }
}
