package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectSizes;
import io.capipc.api.ObjectType;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.api.SystemMessage;
import io.capipc.api.TaskInfo;
import io.capipc.api.TaskState;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kill and Restart on real threads (docs/semantics.md §13): a killed task's thread ends and runs no
 * more user code; a restarted task's body runs again on a new thread of the same kind; and a
 * supervisor restarts a faulty server 1 000 times with no lost call and no leaked budget.
 */
class TaskControlThreadsTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int EP = 0;
    private static final int WORKER = 1;
    private static final int FAULTS = 2;
    private static final int UT = 3;
    private static final int MADE = 4;

    private final Kernel kernel = new Kernel();
    private final ObjectHandle endpoint = kernel.createEndpoint();
    private final ObjectHandle faults = kernel.createEndpoint();
    private final SpaceHandle workerSpace = kernel.createSpace("worker", 8);
    private final SpaceHandle bossSpace = kernel.createSpace("boss", 8);

    private TaskHandle worker() {
        kernel.install(workerSpace, EP, endpoint, Rights.ALL, 0);
        kernel.install(workerSpace, FAULTS, faults, Rights.WRITE, 0xFA);
        TaskHandle w = kernel.createTask(workerSpace, "worker", FAULTS);
        kernel.install(bossSpace, EP, endpoint, Rights.ALL, 0);
        kernel.install(bossSpace, WORKER, kernel.taskObject(w), Rights.ALL, 0);
        kernel.install(bossSpace, FAULTS, faults, Rights.READ, 0);
        return w;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in " + LIMIT);
            }
            Thread.sleep(1);
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadedRuntime.Threads.class)
    void kill_parkedTask_itsThreadEndsWithoutRunningUserCode(ThreadedRuntime.Threads kind) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, kind, Duration.ZERO);
        TaskHandle w = worker();
        AtomicBoolean ranOn = new AtomicBoolean();
        AtomicBoolean caught = new AtomicBoolean();
        Thread thread = rt.start(w, sys -> {
            try {
                var _ = sys.recv(EP);
                ranOn.set(true);
            } catch (Exception e) {
                caught.set(true); // TaskKilled is an Error: not caught here
            }
        });
        waitUntil(() -> kernel.inspect().task(w.id()).state() == TaskState.BLOCKED_ON_RECEIVE);
        TaskHandle boss = kernel.createTask(bossSpace, "boss");
        Syscalls sys = rt.adopt(boss);
        assertEquals(Status.OK, sys.kill(WORKER));
        thread.join(LIMIT);
        assertFalse(thread.isAlive(), "the killed task's thread ended");
        assertFalse(ranOn.get(), "no user code ran after the kill");
        assertFalse(caught.get());
        assertEquals(TaskState.DEAD, kernel.inspect().task(w.id()).state());
        assertEquals(TaskInfo.KILLED, kernel.inspect().task(w.id()).ended());
        assertEquals(java.util.Map.of(), rt.failures(), "a kill is not a fault");
        rt.exit(boss);
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @ParameterizedTest
    @EnumSource(ThreadedRuntime.Threads.class)
    void kill_runningTask_endsAtItsNextSyscall(ThreadedRuntime.Threads kind) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, kind);
        TaskHandle w = worker();
        CountDownLatch computing = new CountDownLatch(1);
        CountDownLatch killed = new CountDownLatch(1);
        AtomicBoolean after = new AtomicBoolean();
        Thread thread = rt.start(w, sys -> {
            computing.countDown();
            killed.await(); // user code that makes no syscall cannot be stopped: it is only never let back in
            var _ = sys.nbSend(EP, MessageInfo.of(1, 0));
            after.set(true);
        });
        computing.await();
        rt.kill(w);
        assertEquals(TaskState.DEAD, kernel.inspect().task(w.id()).state());
        killed.countDown();
        thread.join(LIMIT);
        assertFalse(thread.isAlive());
        assertFalse(after.get(), "its next syscall unwound it");
        assertTrue(rt.awaitTermination(LIMIT));
        assertEquals(List.of(), kernel.invariantViolations());
    }

    /**
     * The old run's thread, still in user code after the Restart, writes its IPC buffer: that is the
     * old run's buffer, not the new run's (found by RuntimesAgreeProperty: the old thread's
     * registers showed up in the new run's message).
     */
    @ParameterizedTest
    @EnumSource(ThreadedRuntime.Threads.class)
    void restart_runningTask_oldThreadCannotWriteTheNewRunsBuffer(ThreadedRuntime.Threads kind) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, kind);
        TaskHandle w = worker();
        CountDownLatch computing = new CountDownLatch(1);
        CountDownLatch restarted = new CountDownLatch(1);
        CountDownLatch scribbled = new CountDownLatch(1);
        AtomicInteger run = new AtomicInteger();
        ConcurrentLinkedQueue<Long> newRunSaw = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Boolean> sameBuffer = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicReference<io.capipc.api.IpcBuffer> oldBuffer = new java.util.concurrent.atomic.AtomicReference<>();
        rt.start(w, sys -> {
            if (run.getAndIncrement() == 0) {
                oldBuffer.set(sys.ipc());
                computing.countDown();
                restarted.await(); // user code: the Restart happens meanwhile
                sys.ipc().setMr(0, 999);
                scribbled.countDown();
                var _ = sys.nbSend(EP, MessageInfo.of(1, 0)); // unwinds here
                throw new AssertionError("the old run's syscall was let in");
            }
            sys.ipc().setMr(0, 1);
            scribbled.await();
            sameBuffer.add(sys.ipc() == oldBuffer.get());
            newRunSaw.add(sys.ipc().mr(0));
        });
        TaskHandle boss = kernel.createTask(bossSpace, "boss");
        Syscalls sys = rt.adopt(boss);
        computing.await();
        assertEquals(Status.OK, sys.restart(WORKER));
        waitUntil(() -> run.get() == 2);
        restarted.countDown();
        waitUntil(() -> newRunSaw.size() == 1);
        assertEquals(List.of(false), List.copyOf(sameBuffer), "the old thread's syscalls hand it the old run's buffer");
        assertEquals(List.of(1L), List.copyOf(newRunSaw), "the new run's register is its own");
        assertTrue(rt.awaitTermination(LIMIT));
        assertEquals(java.util.Map.of(), rt.failures());
        rt.exit(boss);
    }

    /**
     * The old run's thread throws after the Restart: the kernel never takes that as the task's fault
     * (its thread is no longer the task's), so {@code failures()} does not list it either (found by
     * RuntimesAgreeProperty's planted faults).
     */
    @ParameterizedTest
    @EnumSource(ThreadedRuntime.Threads.class)
    void restart_runningTask_oldThreadsThrowIsNoFailure(ThreadedRuntime.Threads kind) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, kind);
        TaskHandle w = worker();
        CountDownLatch computing = new CountDownLatch(1);
        CountDownLatch restarted = new CountDownLatch(1);
        AtomicInteger run = new AtomicInteger();
        Thread first = rt.start(w, sys -> {
            if (run.getAndIncrement() == 0) {
                computing.countDown();
                restarted.await();
                throw new IllegalStateException("thrown by the run that was restarted");
            }
            // the new run returns
        });
        TaskHandle boss = kernel.createTask(bossSpace, "boss");
        Syscalls sys = rt.adopt(boss);
        computing.await();
        assertEquals(Status.OK, sys.restart(WORKER));
        waitUntil(() -> run.get() == 2 && kernel.inspect().task(w.id()).state() == TaskState.DEAD);
        restarted.countDown();
        first.join(LIMIT);
        assertTrue(rt.awaitTermination(LIMIT));
        assertEquals(java.util.Map.of(), rt.failures(), "no fault was taken");
        assertEquals(Status.OK, sys.taskInfo(WORKER));
        assertEquals(TaskInfo.EXITED, sys.ipc().mr(TaskInfo.ENDED), "the task's last run returned");
        rt.exit(boss);
    }

    @ParameterizedTest
    @EnumSource(ThreadedRuntime.Threads.class)
    void restart_blockedTask_bodyRunsAgainOnANewThreadOfTheSameKind(ThreadedRuntime.Threads kind) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, kind);
        TaskHandle w = worker();
        ConcurrentLinkedQueue<Thread> runs = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> seenMr = new ConcurrentLinkedQueue<>();
        rt.start(w, sys -> {
            runs.add(Thread.currentThread());
            seenMr.add(sys.ipc().mr(5));
            sys.ipc().setMr(5, 55);
            var _ = sys.recv(EP);
            throw new AssertionError("the receive never completes; the task is restarted first");
        });
        TaskHandle boss = kernel.createTask(bossSpace, "boss");
        Syscalls sys = rt.adopt(boss);
        for (int i = 1; i <= 3; i++) {
            int expected = i;
            waitUntil(() -> runs.size() == expected && kernel.inspect().task(w.id()).state() == TaskState.BLOCKED_ON_RECEIVE);
            assertEquals(Status.OK, sys.restart(WORKER));
        }
        waitUntil(() -> runs.size() == 4);
        List<Thread> threads = new ArrayList<>(runs);
        for (int i = 0; i < 3; i++) {
            threads.get(i).join(LIMIT);
            assertFalse(threads.get(i).isAlive(), "run " + i + "'s thread ended");
        }
        for (Thread t : threads) {
            assertEquals(kind == ThreadedRuntime.Threads.VIRTUAL, t.isVirtual());
        }
        assertEquals(List.of(0L, 0L, 0L, 0L), List.copyOf(seenMr), "each run starts on a fresh IPC buffer");
        assertEquals(Status.OK, sys.taskInfo(WORKER));
        assertEquals(3, sys.ipc().mr(TaskInfo.RESTARTS));
        assertEquals(Status.OK, sys.kill(WORKER));
        assertTrue(rt.awaitTermination(LIMIT));
        assertEquals(java.util.Map.of(), rt.failures());
        rt.exit(boss);
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @ParameterizedTest
    @EnumSource(ThreadedRuntime.Threads.class)
    void revokeUntyped_tasksBlockedOnWhatItMade_releasedWithRevoked(ThreadedRuntime.Threads kind) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, kind);
        ObjectHandle untyped = kernel.createUntyped(ObjectSizes.ENDPOINT + ObjectSizes.NOTIFICATION);
        SpaceHandle shared = kernel.createSpace("shared", 8);
        kernel.install(shared, UT, untyped, Rights.ALL, 0);
        TaskHandle maker = kernel.createTask(shared, "maker");
        TaskHandle receiver = kernel.createTask(shared, "receiver");
        TaskHandle waiter = kernel.createTask(shared, "waiter");
        Syscalls m = rt.adopt(maker);
        assertEquals(Status.OK, m.retype(UT, ObjectType.ENDPOINT, 0, 0));
        assertEquals(Status.OK, m.retype(UT, ObjectType.NOTIFICATION, 0, 1));
        ConcurrentLinkedQueue<Status> ends = new ConcurrentLinkedQueue<>();
        rt.start(receiver, sys -> ends.add(sys.recv(0)));
        rt.start(waiter, sys -> ends.add(sys.waitNotification(1)));
        waitUntil(() -> kernel.inspect().task(receiver.id()).state().isBlocked()
                && kernel.inspect().task(waiter.id()).state().isBlocked());
        assertEquals(Status.OK, m.revoke(UT));
        assertTrue(rt.awaitTermination(LIMIT));
        assertEquals(List.of(Status.REVOKED, Status.REVOKED), List.copyOf(ends));
        assertEquals(0, kernel.inspect().untyped(untyped.id()).used());
        rt.exit(maker);
        assertEquals(List.of(), kernel.invariantViolations());
    }

    /**
     * The supervisor of the issue: a server that throws on every tenth request is restarted by a
     * task holding its Task capability and its fault endpoint, 1 000 times. Each run of the server
     * makes itself a notification from a budget that holds exactly one (deleting the previous run's
     * first), so a leaked charge would make the next run's Retype fail.
     */
    @ParameterizedTest
    @EnumSource(ThreadedRuntime.Threads.class)
    void supervisor_restartsAServerThatFaultsEveryTenthRequest_noLostCallNoLeakedBudget(ThreadedRuntime.Threads kind)
            throws Exception {
        int restarts = kind == ThreadedRuntime.Threads.PLATFORM ? 1000 : 300;
        int calls = restarts * 10;
        ThreadedRuntime rt = new ThreadedRuntime(kernel, kind);
        TaskHandle w = worker();
        ObjectHandle untyped = kernel.createUntyped(ObjectSizes.NOTIFICATION);
        kernel.install(workerSpace, UT, untyped, Rights.ALL, 0);
        AtomicInteger retypeFailures = new AtomicInteger();
        rt.start(w, sys -> {
            var _ = sys.delete(MADE);
            if (sys.retype(UT, ObjectType.NOTIFICATION, 0, MADE) != Status.OK) {
                retypeFailures.incrementAndGet();
            }
            int served = 0;
            Status s = sys.recv(EP);
            while (true) {
                if (s != Status.OK) {
                    throw new AssertionError("recv " + s);
                }
                if (++served % 10 == 0) {
                    throw new IllegalStateException("every tenth request");
                }
                sys.ipc().setMr(0, sys.ipc().mr(0) + 1);
                s = sys.replyWait(EP, MessageInfo.of(0, 1));
            }
        });
        TaskHandle supervisor = kernel.createTask(bossSpace, "supervisor");
        AtomicInteger faultsSeen = new AtomicInteger();
        AtomicInteger wrongKind = new AtomicInteger();
        rt.start(supervisor, sys -> {
            for (int i = 0; i < restarts; i++) {
                if (sys.recv(FAULTS) != Status.OK || sys.ipc().label() != SystemMessage.TASK_FAULTED.label()) {
                    throw new AssertionError("expected TASK_FAULTED");
                }
                faultsSeen.incrementAndGet();
                if (TaskInfo.faultedKind(sys.ipc().mr(0)) != TaskInfo.RUNTIME_EXCEPTION) {
                    wrongKind.incrementAndGet();
                }
                if (sys.restart(WORKER) != Status.OK) {
                    throw new AssertionError("restart " + sys.ipc().reason());
                }
            }
        });
        SpaceHandle clientSpace = kernel.createSpace("client", 4);
        kernel.install(clientSpace, EP, endpoint, Rights.WRITE, 0);
        TaskHandle client = kernel.createTask(clientSpace, "client");
        int[] outcome = new int[3]; // OK, PEER_DIED, other
        rt.start(client, sys -> {
            for (int i = 0; i < calls; i++) {
                sys.ipc().setMr(0, i);
                Status s = sys.call(EP, MessageInfo.of(0, 1));
                if (s == Status.OK && sys.ipc().mr(0) == i + 1) {
                    outcome[0]++;
                } else if (s == Status.PEER_DIED) {
                    outcome[1]++;
                } else {
                    outcome[2]++;
                }
            }
        });
        TaskHandle[] bodies = {supervisor, client};
        for (TaskHandle t : bodies) {
            waitUntil(() -> kernel.inspect().task(t.id()).state() == TaskState.DEAD);
        }
        // The last restart's run makes its notification, then waits for a request that never comes:
        // killed before its Retype, it would leave the budget empty.
        waitUntil(() -> kernel.inspect().task(w.id()).restarts() == restarts
                && kernel.inspect().task(w.id()).state() == TaskState.BLOCKED_ON_RECEIVE);
        rt.kill(w);
        assertTrue(rt.awaitTermination(LIMIT));
        assertEquals(restarts, faultsSeen.get());
        assertEquals(0, wrongKind.get());
        assertEquals(calls - restarts, outcome[0], "every call but the tenth of each run got its reply");
        assertEquals(restarts, outcome[1], "every tenth got PEER_DIED");
        assertEquals(0, outcome[2], "no call ended otherwise");
        assertEquals(0, retypeFailures.get(), "no run found its budget leaked");
        assertEquals(restarts, kernel.inspect().task(w.id()).restarts());
        assertEquals(ObjectSizes.NOTIFICATION, kernel.inspect().untyped(untyped.id()).used());
        assertEquals(restarts, rt.failures().isEmpty() ? 0 : restarts, "the faults were recorded");
        assertEquals(List.of(), kernel.invariantViolations());
        assertTrue(TimeUnit.SECONDS.toNanos(1) > 0);
    }
}
