package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capipc.api.MessageInfo;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.SystemMessage;
import io.capipc.api.TaskInfo;
import io.capipc.api.TaskState;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task capabilities: Kill, Restart and TaskInfo (docs/semantics.md §13), on the deterministic driver. */
class TaskControlTest {
    private static final int EP = 0;
    private static final int WORKER = 1;
    private static final int WORKER_RO = 2;
    private static final int FAULTS = 3;
    private static final int SLOTS = 8;

    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle endpoint = kernel.createEndpoint();
    private final ObjectHandle faultEndpoint = kernel.createEndpoint();
    private final SpaceHandle workerSpace = kernel.createSpace("worker", SLOTS);
    private final SpaceHandle supervisorSpace = kernel.createSpace("supervisor", SLOTS);
    private final TaskHandle worker;
    private final TaskHandle supervisor;

    TaskControlTest() {
        kernel.install(workerSpace, EP, endpoint, Rights.ALL, 0);
        kernel.install(workerSpace, FAULTS, faultEndpoint, Rights.WRITE, 0xFA);
        worker = kernel.createTask(workerSpace, "worker", FAULTS);
        kernel.install(supervisorSpace, EP, endpoint, Rights.ALL, 0);
        kernel.install(supervisorSpace, WORKER, kernel.taskObject(worker), Rights.ALL, 0);
        kernel.install(supervisorSpace, WORKER_RO, kernel.taskObject(worker), Rights.READ, 0);
        kernel.install(supervisorSpace, FAULTS, faultEndpoint, Rights.READ, 0);
        supervisor = kernel.createTask(supervisorSpace, "supervisor");
        d.start(worker);
        d.start(supervisor);
    }

    private long[] info() {
        assertEquals(Outcome.OK, d.taskInfo(supervisor, WORKER_RO));
        long[] out = new long[TaskInfo.LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.ipc(supervisor).mr(i);
        }
        return out;
    }

    private void consistent() {
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void taskInfo_running_stateAndNoRestarts() {
        assertEquals(List.of((long) TaskState.RUNNING.ordinal(), 0L, (long) TaskInfo.ALIVE, 0L, 0L), List.of(box(info())));
    }

    @Test
    void kill_blockedTask_leavesTheQueueAndIsDeadKilled() {
        assertEquals(Outcome.BLOCKED, d.recv(worker, EP));
        assertEquals(Outcome.OK, d.kill(supervisor, WORKER));
        assertEquals(TaskState.DEAD, d.state(worker));
        assertEquals(List.of(), kernel.inspect().endpoint(endpoint.id()).queued());
        long[] i = info();
        assertEquals(TaskState.DEAD.ordinal(), i[TaskInfo.STATE]);
        assertEquals(TaskInfo.KILLED, i[TaskInfo.ENDED]);
        assertEquals(Outcome.OK, d.kill(supervisor, WORKER), "killing a dead task is OK");
        consistent();
    }

    @Test
    void kill_serverHoldingACall_callerGetsPeerDied() {
        SpaceHandle cs = kernel.createSpace("client", SLOTS);
        kernel.install(cs, EP, endpoint, Rights.WRITE, 5);
        TaskHandle client = kernel.createTask(cs, "client");
        d.start(client);
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, d.recv(worker, EP));
        assertEquals(Outcome.OK, d.kill(supervisor, WORKER));
        assertEquals(Status.PEER_DIED, d.ipc(client).status());
        consistent();
    }

    @Test
    void killAndRestart_withoutWrite_insufficientRightsNothingChanges() {
        KernelView before = kernel.inspect();
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.kill(supervisor, WORKER_RO));
        assertEquals(Reason.NEEDS_WRITE, d.ipc(supervisor).reason());
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.restart(supervisor, WORKER_RO));
        assertEquals(before, kernel.inspect());
        kernel.install(supervisorSpace, 4, kernel.taskObject(worker), Rights.WRITE, 0);
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.taskInfo(supervisor, 4));
        assertEquals(Reason.NEEDS_READ, d.ipc(supervisor).reason());
    }

    @Test
    void restart_blockedTask_runsAgainWithAFreshBufferAndCountKept() {
        d.ipc(worker).setMr(7, 77);
        assertEquals(Outcome.BLOCKED, d.recv(worker, EP));
        assertEquals(Outcome.OK, d.restart(supervisor, WORKER));
        assertEquals(TaskState.RUNNING, d.state(worker));
        assertEquals(0, d.ipc(worker).mr(7), "a fresh IPC buffer");
        assertEquals(List.of(), kernel.inspect().endpoint(endpoint.id()).queued(), "it left the queue");
        assertEquals(1, kernel.inspect().task(worker.id()).restarts());
        assertEquals(Outcome.OK, d.restart(supervisor, WORKER));
        assertEquals(2, info()[TaskInfo.RESTARTS]);
        // Same Space and fault endpoint: it still reaches its capabilities, and a fault goes where it went.
        assertEquals(Outcome.WOULD_BLOCK, d.nbSend(worker, EP, MessageInfo.of(1, 0)));
        assertEquals(kernel.inspect().task(worker.id()).faultCap().objectId(), faultEndpoint.id());
        consistent();
    }

    @Test
    void restart_deadTask_runsAgain() {
        assertEquals(Outcome.OK, d.exit(worker));
        assertEquals(TaskInfo.EXITED, info()[TaskInfo.ENDED]);
        assertEquals(Outcome.OK, d.restart(supervisor, WORKER));
        assertEquals(TaskState.RUNNING, d.state(worker));
        assertEquals(TaskInfo.ALIVE, info()[TaskInfo.ENDED]);
        consistent();
    }

    @Test
    void restart_itself_invalidArgument() {
        kernel.install(workerSpace, 4, kernel.taskObject(worker), Rights.ALL, 0);
        assertEquals(Outcome.INVALID_ARGUMENT, d.restart(worker, 4));
        assertEquals(Reason.RESTART_SELF, d.ipc(worker).reason());
        assertEquals(0, kernel.inspect().task(worker.id()).restarts());
    }

    @Test
    void kill_itself_deadAtOnce() {
        kernel.install(workerSpace, 4, kernel.taskObject(worker), Rights.ALL, 0);
        assertEquals(Outcome.OK, d.kill(worker, 4));
        assertEquals(TaskState.DEAD, d.state(worker));
        consistent();
    }

    @Test
    void fault_withACause_taskInfoAndTheFaultMessageCarryItsKind() {
        assertEquals(Outcome.OK, d.fault(worker, new IllegalStateException("bug")));
        long[] i = info();
        assertEquals(TaskInfo.FAULTED, i[TaskInfo.ENDED]);
        assertEquals(TaskInfo.RUNTIME_EXCEPTION, i[TaskInfo.FAULT_KIND]);
        assertEquals(IllegalStateException.class.getName().hashCode(), (int) i[TaskInfo.FAULT_HASH]);
        assertEquals(Outcome.OK, d.recv(supervisor, FAULTS));
        assertEquals(SystemMessage.TASK_FAULTED.label(), MessageInfo.label(d.ipc(supervisor).info()));
        assertEquals(0xFA, d.ipc(supervisor).badge());
        assertEquals(worker.id(), TaskInfo.faultedTask(d.ipc(supervisor).mr(0)));
        assertEquals(TaskInfo.RUNTIME_EXCEPTION, TaskInfo.faultedKind(d.ipc(supervisor).mr(0)));
        consistent();
    }

    @Test
    void fault_twiceWithoutTheFirstReceived_oneMessageWithTheNewestKind() {
        assertEquals(Outcome.OK, d.fault(worker, new IllegalStateException("first")));
        assertEquals(Outcome.OK, d.restart(supervisor, WORKER));
        assertEquals(Outcome.OK, d.fault(worker, new OutOfMemoryError("second")));
        assertEquals(1, kernel.inspect().endpoint(faultEndpoint.id()).notices().size(), "one queued, never twice");
        assertEquals(Outcome.OK, d.recv(supervisor, FAULTS));
        assertEquals(TaskInfo.ERROR, TaskInfo.faultedKind(d.ipc(supervisor).mr(0)));
        assertEquals(Outcome.WOULD_BLOCK, d.nbRecv(supervisor, FAULTS));
        consistent();
    }

    @Test
    void fault_afterRestart_faultsAgainAndIsHeardAgain() {
        for (int round = 0; round < 3; round++) {
            assertEquals(Outcome.OK, d.fault(worker, new IllegalArgumentException()));
            assertEquals(Outcome.OK, d.recv(supervisor, FAULTS));
            assertEquals(Outcome.OK, d.restart(supervisor, WORKER));
        }
        assertEquals(3, kernel.inspect().task(worker.id()).restarts());
        consistent();
    }

    @Test
    void taskCapability_transferredInAMessage_worksForTheReceiver() {
        SpaceHandle other = kernel.createSpace("other", SLOTS);
        kernel.install(other, EP, endpoint, Rights.ALL, 0);
        TaskHandle receiver = kernel.createTask(other, "receiver");
        d.start(receiver);
        d.ipc(receiver).setReceiveSlot(0, 5);
        assertEquals(Outcome.BLOCKED, d.recv(receiver, EP));
        d.ipc(supervisor).setCap(0, WORKER);
        assertEquals(Outcome.OK, d.send(supervisor, EP, MessageInfo.of(1, 0, 1)));
        assertEquals(Outcome.OK, d.kill(receiver, 5));
        assertEquals(TaskState.DEAD, d.state(worker));
        consistent();
    }

    private static Long[] box(long[] a) {
        Long[] out = new Long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
