package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.ThreadedRuntime;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every syscall of the threaded runtime's {@code Syscalls}, made by the test thread itself as an
 * adopted task: the non-blocking ones on their own, the blocking ones against a started server.
 */
class TaskSyscallsTest {
    private static final int EP = 0;
    private static final int NTFN = 1;
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final Kernel kernel = new Kernel();
    private final ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
    private final ObjectHandle endpoint = kernel.createEndpoint();
    private final ObjectHandle notification = kernel.createNotification();
    private TaskHandle me;

    private TaskHandle task(String name, int epRights, long badge) {
        SpaceHandle space = kernel.createSpace(name, 8);
        kernel.install(space, EP, endpoint, epRights, badge);
        kernel.install(space, NTFN, notification, Rights.ALL, 0b10);
        return kernel.createTask(space, name);
    }

    private Syscalls adoptMe() {
        me = task("me", Rights.ALL, 0);
        return rt.adopt(me);
    }

    private KernelView.SlotView slot(TaskHandle t, int index) {
        return kernel.inspect().space(t.space().id()).slots().stream()
                .filter(v -> v.index() == index).findFirst().orElse(null);
    }

    @AfterEach
    void exitAdopted() throws InterruptedException {
        if (me != null && kernel.inspect().task(me.id()).state() == TaskState.RUNNING) {
            rt.exit(me);
        }
        assertTrue(rt.awaitTermination(LIMIT));
        assertEquals(Map.of(), rt.failures());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void ipc_adoptedTask_isTheSameBufferEachTime() {
        Syscalls sys = adoptMe();
        assertSame(sys.ipc(), sys.ipc());
    }

    @Test
    void nonBlockingMessageSyscalls_nobodyThere_returnTheirStatuses() {
        Syscalls sys = adoptMe();
        assertEquals(Status.WOULD_BLOCK, sys.nbSend(EP, MessageInfo.of(1, 0)));
        assertEquals(Status.WOULD_BLOCK, sys.nbRecv(EP));
        assertEquals(Status.OK, sys.reply(MessageInfo.of(0, 0)));
        assertEquals(Status.NO_CALLER, sys.forward(EP, MessageInfo.of(0, 0)));
        assertEquals(Status.NO_CALLER, sys.callerInfo());
        assertEquals(Status.NO_CALLER, sys.read(0, MemorySegment.ofArray(new byte[2])));
        assertEquals(Status.NO_CALLER, sys.write(0, MemorySegment.ofArray(new byte[2])));
        assertEquals(Status.INVALID_ARGUMENT, sys.read(0, null));
        assertEquals(Status.INVALID_ARGUMENT, sys.write(0, null));
        assertEquals(Status.INVALID_ARGUMENT, sys.nbSend(99, MessageInfo.of(1, 0)));
        assertEquals(Status.INVALID_CAPABILITY, sys.nbRecv(5));
    }

    @Test
    void notificationSyscalls_signalPollBindUnbind_statusesAndWord() {
        Syscalls sys = adoptMe();
        assertEquals(Status.WOULD_BLOCK, sys.poll(NTFN));
        assertEquals(Status.OK, sys.signal(NTFN));
        assertEquals(Status.OK, sys.poll(NTFN));
        assertEquals(Kind.NOTIFICATION, sys.ipc().kind());
        assertEquals(0b10, sys.ipc().badge());
        assertEquals(Status.OK, sys.bindNotification(NTFN));
        assertEquals(me.id(), kernel.inspect().notification(notification.id()).bound());
        assertEquals(Status.INVALID_ARGUMENT, sys.bindNotification(NTFN));
        assertEquals(Status.OK, sys.unbindNotification());
        assertEquals(-1, kernel.inspect().notification(notification.id()).bound());
        assertEquals(Status.INVALID_ARGUMENT, sys.unbindNotification());
        assertEquals(Status.OK, sys.signal(NTFN));
        assertEquals(Status.OK, sys.waitNotification(NTFN), "pending: Wait returns at once");
        assertEquals(0b10, sys.ipc().badge());
    }

    @Test
    void capabilitySyscalls_copyMintMoveMutateDeleteRevoke_statusesAndSlots() {
        Syscalls sys = adoptMe();
        assertEquals(Status.OK, sys.copy(EP, 2, Rights.READ));
        assertEquals(Rights.READ, slot(me, 2).rights());
        assertEquals(Status.SLOT_OCCUPIED, sys.copy(EP, 2, Rights.READ));
        assertEquals(Status.OK, sys.mint(EP, 3, Rights.ALL, 9));
        assertEquals(9, slot(me, 3).badge());
        assertEquals(Status.OK, sys.move(3, 4));
        assertNull(slot(me, 3));
        assertEquals(9, slot(me, 4).badge());
        assertEquals(Status.OK, sys.cancelBadgedSends(4));
        assertEquals(Status.INVALID_ARGUMENT, sys.cancelBadgedSends(EP), "badge 0");
        assertEquals(Status.OK, sys.mutate(4, 5, Rights.WRITE, 0));
        assertEquals(Rights.WRITE, slot(me, 5).rights());
        assertEquals(Status.OK, sys.delete(5));
        assertNull(slot(me, 5));
        assertEquals(Status.OK, sys.copy(EP, 6, Rights.WRITE));
        assertEquals(Status.OK, sys.revoke(EP));
        assertNull(slot(me, 2));
        assertNull(slot(me, 6));
        assertEquals(endpoint.id(), slot(me, EP).objectId());
        assertEquals(Status.INVALID_ARGUMENT, sys.revoke(99));
        assertEquals(Status.INVALID_ARGUMENT, sys.delete(99));
        assertEquals(Status.INVALID_ARGUMENT, sys.move(99, 2));
        assertEquals(Status.INVALID_ARGUMENT, sys.mutate(99, 2, Rights.ALL, 0));
        assertEquals(Status.INVALID_ARGUMENT, sys.mint(99, 2, Rights.ALL, 0));
    }

    @Test
    void timedBlockingSyscalls_nobodyAnswers_timeoutAndTaskRunsAgain() {
        Syscalls sys = adoptMe();
        long twoMillis = Duration.ofMillis(2).toNanos();
        assertEquals(Status.TIMEOUT, sys.recv(EP, twoMillis));
        assertEquals(Status.TIMEOUT, sys.send(EP, MessageInfo.of(1, 0), twoMillis));
        assertEquals(Status.TIMEOUT, sys.replyWait(EP, MessageInfo.of(0, 0), twoMillis));
        assertEquals(Status.TIMEOUT, sys.waitNotification(NTFN, twoMillis));
        assertEquals(Status.TIMEOUT, sys.call(EP, MessageInfo.of(1, 0), new MemorySegment[0], new MemorySegment[0], twoMillis));
        assertEquals(Status.TIMEOUT, sys.recv(EP, 0), "a zero timeout polls");
        assertEquals(TaskState.RUNNING, kernel.inspect().task(me.id()).state());
        assertEquals(List.of(), kernel.inspect().endpoint(endpoint.id()).queued());
    }

    @Test
    void nbSendThenCall_serverWaiting_delivered() throws Exception {
        TaskHandle server = task("server", Rights.ALL, 0);
        long[] got = new long[3];
        rt.start(server, sys -> {
            assertEquals(Status.OK, sys.recv(EP));
            got[0] = sys.ipc().mr(0);
            assertEquals(Status.OK, sys.recv(EP));
            got[1] = sys.ipc().mr(0);
            sys.ipc().setMr(0, sys.ipc().mr(0) + 100);
            assertEquals(Status.OK, sys.reply(MessageInfo.of(0, 1)));
        });
        Syscalls sys = adoptMe();
        awaitState(server, TaskState.BLOCKED_ON_RECEIVE);
        sys.ipc().setMr(0, 7);
        assertEquals(Status.OK, sys.nbSend(EP, MessageInfo.of(1, 1)));
        awaitState(server, TaskState.BLOCKED_ON_RECEIVE);
        sys.ipc().setMr(0, 8);
        assertEquals(Status.OK, sys.call(EP, MessageInfo.of(2, 1)));
        assertEquals(108, sys.ipc().mr(0));
        assertTrue(rt.awaitTermination(LIMIT));
        assertEquals(7, got[0]);
        assertEquals(8, got[1]);
    }

    @Test
    void blockingSyscalls_againstStartedServer_completeWithTheServersAnswers() throws Exception {
        TaskHandle server = task("server", Rights.ALL, 0);
        Thread thread = rt.start(server, sys -> {
            assertEquals(Status.OK, sys.recv(EP));
            while (sys.ipc().kind() == Kind.CALL) {
                assertEquals(Status.OK, sys.callerInfo());
                if (sys.ipc().callerSendSize() > 0) {
                    MemorySegment in = MemorySegment.ofArray(new byte[(int) sys.ipc().callerSendSize()]);
                    assertEquals(Status.OK, sys.read(0, in));
                    assertEquals(Status.OK, sys.write(0, in));
                }
                sys.ipc().setMr(0, sys.ipc().mr(0) + 1);
                assertEquals(Status.OK, sys.replyWait(EP, MessageInfo.of(0, 1)));
            }
            assertEquals(Kind.SEND, sys.ipc().kind());
        });
        assertNotNull(thread);
        assertEquals("server", thread.getName());
        Syscalls sys = adoptMe();
        sys.ipc().setMr(0, 1);
        assertEquals(Status.OK, sys.call(EP, MessageInfo.of(1, 1)));
        assertEquals(2, sys.ipc().mr(0));
        byte[] out = new byte[3];
        assertEquals(Status.OK, sys.call(EP, MessageInfo.of(1, 1), MemorySegment.ofArray(new byte[] {1, 2, 3}),
                MemorySegment.ofArray(out)));
        assertEquals(3, sys.ipc().mr(0));
        assertArrayEquals(new byte[] {1, 2, 3}, out);
        byte[] out2 = new byte[2];
        assertEquals(Status.OK, sys.call(EP, MessageInfo.of(1, 1), new MemorySegment[] {MemorySegment.ofArray(new byte[] {4, 5})},
                new MemorySegment[] {MemorySegment.ofArray(out2)}));
        assertArrayEquals(new byte[] {4, 5}, out2);
        assertEquals(Status.INVALID_ARGUMENT, sys.call(EP, MessageInfo.of(1, 1), MemorySegment.ofArray(new byte[1]),
                MemorySegment.ofArray(new byte[1]).asReadOnly()), "a read-only receive segment is refused at once");
        assertEquals(Status.OK, sys.send(EP, MessageInfo.of(9, 0)));
        thread.join(LIMIT);
        assertEquals(TaskState.DEAD, kernel.inspect().task(server.id()).state());
    }

    @Test
    void recvAndWaitNotification_otherTaskCompletes_returnOk() throws Exception {
        Syscalls sys = adoptMe();
        TaskHandle peer = task("peer", Rights.ALL, 0x77);
        rt.start(peer, p -> {
            awaitState(me, TaskState.BLOCKED_ON_RECEIVE);
            p.ipc().setMr(0, 31);
            assertEquals(Status.OK, p.send(EP, MessageInfo.of(1, 1)));
            awaitState(me, TaskState.BLOCKED_ON_NOTIFICATION);
            assertEquals(Status.OK, p.signal(NTFN));
        });
        assertEquals(Status.OK, sys.recv(EP));
        assertEquals(31, sys.ipc().mr(0));
        assertEquals(0x77, sys.ipc().badge());
        assertEquals(Status.OK, sys.waitNotification(NTFN));
        assertEquals(0b10, sys.ipc().badge());
        assertEquals(Kind.NOTIFICATION, sys.ipc().kind());
    }

    @Test
    void adopt_taskIdsPastTheParkerArray_parkersGrowAndEarlierOnesStillWake() throws Exception {
        TaskHandle server = task("server", Rights.ALL, 0);
        assertTrue(server.id() < 16);
        rt.start(server, sys -> {
            assertEquals(Status.OK, sys.recv(EP));
            for (int i = 0; i < 2; i++) {
                sys.ipc().setMr(0, sys.ipc().mr(0) * 10);
                assertEquals(Status.OK, sys.replyWait(EP, MessageInfo.of(0, 1)));
            }
            sys.ipc().setMr(0, sys.ipc().mr(0) * 10);
            assertEquals(Status.OK, sys.reply(MessageInfo.of(0, 1)));
        });
        awaitState(server, TaskState.BLOCKED_ON_RECEIVE);
        burnIdsUntil(14);
        SpaceHandle space16 = kernel.createSpace("sixteen", 2);
        kernel.install(space16, EP, endpoint, Rights.WRITE, 16);
        me = kernel.createTask(space16, "sixteen");
        assertEquals(16, me.id(), "the first id that does not fit in 16 parkers");
        Syscalls sys = rt.adopt(me);
        sys.ipc().setMr(0, 4);
        assertEquals(Status.OK, sys.call(EP, MessageInfo.of(0, 1)), "the server's parker survived the growth");
        assertEquals(40, sys.ipc().mr(0));
        burnIdsUntil(69);
        SpaceHandle space70 = kernel.createSpace("seventy", 2);
        kernel.install(space70, EP, endpoint, Rights.WRITE, 70);
        TaskHandle far = kernel.createTask(space70, "seventy");
        assertEquals(71, far.id(), "more than twice the grown array's length");
        long[] got = new long[1];
        rt.start(far, f -> {
            f.ipc().setMr(0, 5);
            assertEquals(Status.OK, f.call(EP, MessageInfo.of(0, 1)));
            got[0] = f.ipc().mr(0);
        });
        awaitState(far, TaskState.DEAD);
        assertEquals(50, got[0]);
        sys.ipc().setMr(0, 6);
        assertEquals(Status.OK, sys.call(EP, MessageInfo.of(0, 1)));
        assertEquals(60, sys.ipc().mr(0));
    }

    // ---- A Call's buffers the server could never reach (SPEC section 7: refused at the Call).

    /**
     * A segment of a confined arena can be touched only by the thread that made it, and a server is
     * another task on another thread: CallerBuffers refuses such a Call before anything happens, even
     * though a server waits, with INVALID_ARGUMENT and SEGMENT_CONFINED in the IPC buffer.
     */
    @Test
    void call_confinedSegmentOnEitherSide_refusedAtTheCallWithSegmentConfined() throws Exception {
        TaskHandle server = task("server", Rights.ALL, 0);
        rt.start(server, s -> {
            assertEquals(Status.OK, s.recv(EP));
            assertEquals(2, s.ipc().label(), "the first Call to arrive is the one with shared segments");
            assertEquals(Status.OK, s.reply(MessageInfo.of(0, 0)));
        });
        Syscalls sys = adoptMe();
        awaitState(server, TaskState.BLOCKED_ON_RECEIVE);
        MemorySegment shared = MemorySegment.ofArray(new byte[8]);
        try (Arena confined = Arena.ofConfined()) {
            MemorySegment mine = confined.allocate(8);
            assertConfinedRefused(sys, server, sys.call(EP, MessageInfo.of(1, 0), mine, shared));
            assertConfinedRefused(sys, server, sys.call(EP, MessageInfo.of(1, 0), shared, mine));
            assertConfinedRefused(sys, server, sys.call(EP, MessageInfo.of(1, 0), new MemorySegment[] {shared, mine},
                    new MemorySegment[0], Duration.ofSeconds(1).toNanos()));
        }
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, kernel.inspect().task(server.id()).state(), "the server saw none of them");
        assertEquals(Status.OK, sys.call(EP, MessageInfo.of(2, 0), shared, shared));
        assertEquals(Reason.NONE, sys.ipc().reason(), "a Call that went through carries no reason");
    }

    /** Refused: the status, its reason, and the caller still running while the server still waits alone. */
    private void assertConfinedRefused(Syscalls sys, TaskHandle server, Status s) {
        assertEquals(Status.INVALID_ARGUMENT, s);
        assertEquals(Reason.SEGMENT_CONFINED, sys.ipc().reason());
        assertEquals(Reason.SEGMENT_CONFINED.status(), sys.ipc().status());
        assertEquals(TaskState.RUNNING, kernel.inspect().task(me.id()).state());
        assertEquals(List.of(server.id()), kernel.inspect().endpoint(endpoint.id()).queued());
    }

    // ---- The timed Call without buffers: one timeout over the queued and the reply phase.

    @Test
    void timedCall_nobodyReceives_timeoutAndNotQueued() {
        Syscalls sys = adoptMe();
        assertEquals(Status.TIMEOUT, sys.call(EP, MessageInfo.of(1, 0), Duration.ofMillis(5).toNanos()));
        assertEquals(Reason.NONE, sys.ipc().reason(), "a timeout is not a refusal");
        assertEquals(Status.TIMEOUT, sys.call(EP, MessageInfo.of(1, 0), 0), "0 times out at once when it would block");
        assertEquals(TaskState.RUNNING, kernel.inspect().task(me.id()).state());
        assertEquals(List.of(), kernel.inspect().endpoint(endpoint.id()).queued());
    }

    @Test
    void timedCall_answeredInTime_okWithTheReply() throws Exception {
        TaskHandle server = task("server", Rights.ALL, 0);
        rt.start(server, s -> {
            assertEquals(Status.OK, s.recv(EP));
            s.ipc().setMr(0, s.ipc().mr(0) * 2);
            assertEquals(Status.OK, s.reply(MessageInfo.of(0, 1)));
        });
        Syscalls sys = adoptMe();
        sys.ipc().setMr(0, 21);
        assertEquals(Status.OK, sys.call(EP, MessageInfo.of(1, 1), LIMIT.toNanos()));
        assertEquals(42, sys.ipc().mr(0));
    }

    /** The deadline also covers the reply phase: a server that took the Call and sat on it is left a cancelled context. */
    @Test
    void timedCall_takenButNotAnswered_timeoutAndTheServersContextCancelled() throws Exception {
        TaskHandle server = task("server", Rights.ALL, 0);
        CountDownLatch clientGaveUp = new CountDownLatch(1);
        rt.start(server, s -> {
            assertEquals(Status.OK, s.recv(EP));
            clientGaveUp.await();
            assertEquals(Status.CANCELLED, s.callerInfo());
            assertEquals(Reason.CALLER_GONE, s.ipc().reason());
            assertEquals(Status.OK, s.reply(MessageInfo.of(0, 0)), "a reply to a caller that has gone is dropped");
        });
        Syscalls sys = adoptMe();
        assertEquals(Status.TIMEOUT, sys.call(EP, MessageInfo.of(1, 0), Duration.ofMillis(50).toNanos()));
        clientGaveUp.countDown();
        assertTrue(rt.awaitTermination(LIMIT));
    }

    @Test
    void timedCall_negativeTimeout_invalidArgumentTimeoutNegativeAndNothingSent() throws Exception {
        TaskHandle server = task("server", Rights.ALL, 0);
        rt.start(server, s -> {
            assertEquals(Status.OK, s.recv(EP));
            assertEquals(2, s.ipc().label(), "the refused Call never arrived");
        });
        Syscalls sys = adoptMe();
        awaitState(server, TaskState.BLOCKED_ON_RECEIVE);
        assertEquals(Status.INVALID_ARGUMENT, sys.call(EP, MessageInfo.of(1, 0), -1));
        assertEquals(Reason.TIMEOUT_NEGATIVE, sys.ipc().reason());
        assertEquals(Status.INVALID_ARGUMENT, sys.call(EP, MessageInfo.of(1, 0), Long.MIN_VALUE));
        assertEquals(Reason.TIMEOUT_NEGATIVE, sys.ipc().reason());
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, kernel.inspect().task(server.id()).state());
        assertEquals(Status.OK, sys.send(EP, MessageInfo.of(2, 0)));
    }

    /** Creates endpoints until the last one created has id {@code last}. */
    private void burnIdsUntil(int last) {
        int id;
        do {
            id = kernel.createEndpoint().id();
        } while (id < last);
        assertEquals(last, id);
    }

    /** Waits until {@code t} is in {@code state}, reading it under the kernel's lock. */
    private void awaitState(TaskHandle t, TaskState state) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (kernel.inspect().task(t.id()).state() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t + " never became " + state);
            }
            Thread.onSpinWait();
        }
    }

    @org.junit.jupiter.api.Test
    void copyNanos_scalesWithBufferBytes_cappedAndNullSafe() {
        java.lang.foreign.MemorySegment mib = java.lang.foreign.MemorySegment.ofArray(new byte[1 << 20]);
        java.lang.foreign.MemorySegment[] one = {mib};
        java.lang.foreign.MemorySegment[] none = {};
        org.junit.jupiter.api.Assertions.assertEquals(0, TaskSyscalls.copyNanos(none, none));
        org.junit.jupiter.api.Assertions.assertEquals((2L << 20) / 4, TaskSyscalls.copyNanos(one, one));
        org.junit.jupiter.api.Assertions.assertEquals(0, TaskSyscalls.copyNanos(null, new java.lang.foreign.MemorySegment[] {null}));
        java.lang.foreign.MemorySegment huge = java.lang.foreign.MemorySegment.ofArray(new long[1 << 21]);
        java.lang.foreign.MemorySegment[] many = {huge, huge};
        org.junit.jupiter.api.Assertions.assertEquals(2_000_000, TaskSyscalls.copyNanos(many, many), "capped");
    }
}
