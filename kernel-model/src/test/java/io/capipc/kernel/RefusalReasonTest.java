package io.capipc.kernel;

import static io.capipc.kernel.Fixture.EP;
import static io.capipc.kernel.Fixture.SLOTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Handles;
import io.capipc.api.IpcBuffer;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.object.CallerBuffers;
import io.capipc.kernel.object.SpaceTestAccess;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@link Reason} a syscall can leave, provoked by a syscall that must be refused for it, on the
 * deterministic driver: the status returned is the reason's {@link Reason#status()}, and the IPC
 * buffer holds both. {@link #provoke} is a switch over Reason without a default, so a Reason added
 * without a way to provoke it here does not compile. The one reason only a race can produce,
 * CLOSED_DURING_COPY, is provoked on platform threads (see {@link #closedDuringCopy()}).
 */
class RefusalReasonTest {
    /** The actor's slots; {@link Fixture#EP} holds the fixture's endpoint with every right. */
    private static final int READ_ONLY = 1;
    private static final int WRITE_ONLY = 2;
    private static final int NTFN = 3;
    private static final int BADGED = 4;
    private static final int EMPTY = 5;
    private static final int FREE = 6;
    private static final int FREE2 = 7;
    private static final MemorySegment[] NONE = CallerBuffers.NONE;

    /** What the provoking syscall returned, and the status and reason it left in its task's IPC buffer. */
    record Refusal(Outcome outcome, Status status, Reason reason) {
        static Refusal of(Outcome outcome, IpcBuffer ipc) {
            return new Refusal(outcome, ipc.status(), ipc.reason());
        }
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReason_provoked_returnsItsStatusAndLeavesBothInTheIpcBuffer(Reason reason) throws Exception {
        Refusal r = provoke(reason, new World());
        assertEquals(Outcome.of(reason.status()), r.outcome(), "the status returned");
        assertEquals(reason, r.reason(), "the reason left in the IPC buffer");
        assertEquals(reason.status(), r.status(), "the status left in the IPC buffer");
    }

    /** A syscall that must be refused for {@code reason} (NONE: one that is not, after one that was). */
    private static Refusal provoke(Reason reason, World w) throws Exception {
        DeterministicDriver d = w.f.driver;
        TaskHandle a = w.actor;
        return switch (reason) {
            case NONE -> w.refusedThenDone();
            case TIMEOUT_NEGATIVE -> w.by(a, d.recv(a, EP, -1));
            case LABEL_NEGATIVE -> w.by(a, d.send(a, EP, MessageInfo.pack(-1, 0, 0, false)));
            case LENGTH_OVER_64 -> w.by(a, d.send(a, EP, MessageInfo.pack(0, 65, 0, false)));
            case CAPS_OVER_4 -> w.by(a, d.send(a, EP, MessageInfo.pack(0, 0, 5, false)));
            case SYSTEM_FLAG -> w.by(a, d.send(a, EP, MessageInfo.pack(0, 0, 0, true)));
            case KIND_OR_RESERVED_BITS -> w.by(a, d.send(a, EP, MessageInfo.withKind(MessageInfo.of(0, 0), Kind.SEND)));
            case FORWARD_WITH_CAPS -> w.by(a, d.forward(a, EP, MessageInfo.of(0, 0, 1)));
            case SLOT_OUT_OF_RANGE -> w.by(a, d.send(a, SLOTS, MessageInfo.of(0, 0)));
            case TRANSFER_SLOT_OUT_OF_RANGE -> w.sendWithCap(EP, SLOTS);
            case DESTINATION_OUT_OF_RANGE -> w.by(a, d.copy(a, EP, SLOTS, Rights.READ));
            case RIGHTS_UNKNOWN_BITS -> w.by(a, d.copy(a, EP, FREE, 8));
            case MASK_UNKNOWN_BITS -> w.by(a, d.systemMessages(a, EP, 1));
            case BADGE_ALREADY_SET -> w.by(a, d.mint(a, BADGED, FREE, Rights.ALL, 9));
            case MUTATE_WITH_CHILDREN -> w.mutateWithChildren();
            case BADGE_REQUIRED -> w.by(a, d.cancelBadgedSends(a, EP));
            case BUFFER_NULL -> w.by(a, d.call(a, EP, MessageInfo.of(0, 0), null, NONE));
            case SEGMENTS_OVER_8 -> w.by(a, d.call(a, EP, MessageInfo.of(0, 0), heap(9), NONE));
            case SEGMENT_CLOSED -> w.by(a, d.call(a, EP, MessageInfo.of(0, 0), new MemorySegment[] {closed()}, NONE));
            case SEGMENT_CONFINED -> w.callWithConfinedSegment();
            case RECEIVE_SEGMENT_READ_ONLY -> w.by(a, d.call(a, EP, MessageInfo.of(0, 0), NONE, readOnly()));
            case BUFFER_TOO_LARGE -> w.by(a, d.call(a, EP, MessageInfo.of(0, 0), huge(), NONE));
            case OWN_SEGMENT_UNUSABLE -> w.by(a, d.read(a, 0, null));
            case OWN_SEGMENT_READ_ONLY -> w.by(a, d.read(a, 0, readOnly()[0]));
            case CALLER_SEGMENT_CLOSED -> w.readAfterTheCallerClosedItsArena();
            case CLOSED_DURING_COPY -> closedDuringCopy();
            case BOUND_TO_ANOTHER_TASK -> w.pollNotificationBoundToAnother();
            case ALREADY_BOUND -> w.bindTwice();
            case NOTIFICATION_HAS_WAITERS -> w.bindWhileAnotherWaits();
            case NOT_BOUND -> w.by(a, d.unbindNotification(a));
            case ALREADY_HOLDS_CONTEXT -> w.resumeWhileHolding();
            case EMPTY_SLOT -> w.by(a, d.send(a, EMPTY, MessageInfo.of(0, 0)));
            case NOT_AN_ENDPOINT -> w.by(a, d.send(a, NTFN, MessageInfo.of(0, 0)));
            case NOT_A_NOTIFICATION -> w.by(a, d.signal(a, EP));
            case TRANSFER_SLOT_UNUSABLE -> w.sendWithCap(EP, EMPTY);
            case REPLY_CAPABILITY -> w.copyReplyCapability();
            case STALE_HANDLE -> w.by(a, d.resume(a, Handles.of(Handles.width(SLOTS), 1, FREE)));
            case NEEDS_READ -> w.by(a, d.recv(a, WRITE_ONLY));
            case NEEDS_WRITE -> w.by(a, d.send(a, READ_ONLY, MessageInfo.of(0, 0)));
            case NEEDS_GRANT -> w.sendWithCap(WRITE_ONLY, NTFN);
            case NEEDS_GRANT_TO_REPLY -> w.replyWithCapToCallWithoutGrant();
            case NEEDS_ALL_RIGHTS -> w.by(a, d.cancelBadgedSends(a, READ_ONLY));
            case DESTINATION_OCCUPIED -> w.by(a, d.copy(a, EP, READ_ONLY, Rights.READ));
            case NO_CONTEXT -> w.by(a, d.callerInfo(a));
            case CALLER_GONE -> w.callerInfoAfterTheCallerGaveUp();
            case OFFSET_NEGATIVE -> w.readAt(-1);
            case OFFSET_PAST_END -> w.readAt(5);
            case REPLY_POOL_EXHAUSTED -> w.suspendWithoutPool();
            case NO_EMPTY_SLOT -> w.suspendWithoutEmptySlot();
            case GENERATIONS_EXHAUSTED -> w.suspendAfterTheLastGeneration();
            case BADGES_EXHAUSTED -> w.mintOneBadgeTooMany();
            case NOTHING_WAITING -> w.by(a, d.nbRecv(a, EP));
            case CAPACITY_OUT_OF_RANGE -> w.by(a, d.bind(a, EP, EP, 0, FREE));
            case REPLY_ENDPOINT_OUT_OF_RANGE -> w.by(a, d.bind(a, EP, SLOTS, 1, FREE));
            case NOT_AN_ASYNC_PORT -> w.by(a, d.asyncSend(a, EP, MessageInfo.of(0, 0)));
            case REPLY_NOT_AN_ENDPOINT -> w.by(a, d.bind(a, EP, NTFN, 1, FREE));
            case REPLY_NEEDS_READ -> w.by(a, d.bind(a, EP, WRITE_ONLY, 1, FREE));
            case PORT_REVOKED -> w.sendThroughARevokedPort();
            case PORT_FULL -> w.sendThroughAFullPort();
            case NOT_A_REGION -> w.by(a, d.map(a, EP));
            case WINDOW_OUTSIDE -> w.carveOutside();
            case TYPE_NOT_RETYPABLE -> w.by(a, d.retype(a, EP, ObjectType.TASK, 0, FREE));
            case PARAM_OUT_OF_RANGE -> w.by(a, d.retype(a, EP, ObjectType.ENDPOINT, 1, FREE));
            case NOT_AN_UNTYPED -> w.by(a, d.retype(a, EP, ObjectType.ENDPOINT, 0, FREE));
            case NOT_A_TASK -> w.by(a, d.kill(a, EP));
            case BUDGET_EXHAUSTED -> w.retypeOverBudget();
            case RESTART_SELF -> w.restartSelf();
            case NOT_RESTARTABLE -> restartWithoutBody();
        };
    }

    @Test
    void timeoutAfterARefusal_notARefusal_leavesNoReason() {
        World w = new World();
        assertEquals(Outcome.INVALID_ARGUMENT, w.f.driver.send(w.actor, SLOTS, MessageInfo.of(0, 0)));
        assertEquals(Outcome.BLOCKED, w.f.driver.recv(w.actor, READ_ONLY, 10));
        assertEquals(1, w.f.driver.advance(10));
        assertEquals(Status.TIMEOUT, w.f.ipc(w.actor).status());
        assertEquals(Reason.NONE, w.f.ipc(w.actor).reason());
    }

    @Test
    void interruptAfterARefusal_notARefusal_leavesNoReason() {
        World w = new World();
        assertEquals(Outcome.INVALID_CAPABILITY, w.f.driver.send(w.actor, EMPTY, MessageInfo.of(0, 0)));
        assertEquals(Outcome.BLOCKED, w.f.driver.recv(w.actor, READ_ONLY));
        assertTrue(w.f.driver.interrupt(w.actor));
        assertEquals(Status.INTERRUPTED, w.f.ipc(w.actor).status());
        assertEquals(Reason.NONE, w.f.ipc(w.actor).reason());
    }

    // ---- Segments.

    private static MemorySegment[] heap(int n) {
        MemorySegment[] out = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            out[i] = MemorySegment.ofArray(new byte[4]);
        }
        return out;
    }

    @SuppressWarnings("MustBeClosedChecker") // the arena is closed here on purpose
    private static MemorySegment closed() {
        Arena arena = Arena.ofShared();
        MemorySegment s = arena.allocate(4);
        arena.close();
        return s;
    }

    private static MemorySegment[] readOnly() {
        return new MemorySegment[] {MemorySegment.ofArray(new byte[4]).asReadOnly()};
    }

    /** Two segments whose sizes (widened with reinterpret, never touched) overflow a long. */
    private static MemorySegment[] huge() {
        MemorySegment half = MemorySegment.ofAddress(4096).reinterpret(Long.MAX_VALUE / 2 + 1);
        return new MemorySegment[] {half, half};
    }

    /**
     * The fixture (its server's Space has a reply pool of one), a notification, and an actor whose
     * slots hold the fixture's endpoint with all rights (EP), READ only, WRITE only, and all rights
     * badged 7 (BADGED), the notification with all rights (NTFN), and nothing in EMPTY, FREE, FREE2.
     */
    private static final class World {
        final Fixture f = new Fixture(1);
        final DeterministicDriver d = f.driver;
        final ObjectHandle notification = f.kernel.createNotification();
        final TaskHandle actor;

        World() {
            SpaceHandle space = f.kernel.createSpace("actor", SLOTS);
            f.kernel.install(space, EP, f.endpoint, Rights.ALL, 0);
            f.kernel.install(space, READ_ONLY, f.endpoint, Rights.READ, 0);
            f.kernel.install(space, WRITE_ONLY, f.endpoint, Rights.WRITE, 0);
            f.kernel.install(space, NTFN, notification, Rights.ALL, 0);
            f.kernel.install(space, BADGED, f.endpoint, Rights.ALL, 7);
            actor = f.started(f.kernel.createTask(space, "actor"));
        }

        Refusal by(TaskHandle t, Outcome outcome) {
            f.assertConsistent();
            return Refusal.of(outcome, f.ipc(t));
        }

        /** The actor sends through {@code via} with one capability, from slot {@code cap}. */
        Refusal sendWithCap(int via, int cap) {
            f.ipc(actor).setCap(0, cap);
            return by(actor, d.send(actor, via, MessageInfo.of(0, 0, 1)));
        }

        /** A refusal, then a syscall that succeeds: the reason goes back to NONE. */
        Refusal refusedThenDone() {
            assertEquals(Outcome.INVALID_ARGUMENT, d.send(actor, SLOTS, MessageInfo.of(0, 0)));
            assertEquals(Reason.SLOT_OUT_OF_RANGE, f.ipc(actor).reason());
            return by(actor, d.copy(actor, EP, FREE, Rights.READ));
        }

        Refusal mutateWithChildren() {
            assertEquals(Outcome.OK, d.copy(actor, EP, FREE, Rights.ALL));
            return by(actor, d.mutate(actor, EP, FREE2, Rights.READ, 0));
        }

        Refusal callWithConfinedSegment() {
            try (Arena confined = Arena.ofConfined()) {
                return by(actor, d.call(actor, EP, MessageInfo.of(0, 0), new MemorySegment[] {confined.allocate(4)}, NONE));
            }
        }

        /** The fixture's server takes {@code client}'s Call with these buffers, and holds its context. */
        void serverHoldsCall(TaskHandle client, MemorySegment[] send, MemorySegment[] recv) {
            assertEquals(Outcome.BLOCKED, d.recv(f.server, EP));
            assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(1, 0), send, recv));
            assertEquals(client.id(), f.view(f.server).holdsContextOf());
        }

        @SuppressWarnings("MustBeClosedChecker") // the arena is closed mid-test on purpose
        Refusal readAfterTheCallerClosedItsArena() {
            Arena arena = Arena.ofShared();
            serverHoldsCall(f.clientA, new MemorySegment[] {arena.allocate(4)}, NONE);
            arena.close();
            return by(f.server, d.read(f.server, 0, MemorySegment.ofArray(new byte[4])));
        }

        Refusal readAt(long offset) {
            serverHoldsCall(f.clientA, heap(1), NONE);
            return by(f.server, d.read(f.server, offset, MemorySegment.ofArray(new byte[4])));
        }

        Refusal callerInfoAfterTheCallerGaveUp() {
            serverHoldsCall(f.clientA, NONE, NONE);
            assertTrue(d.interrupt(f.clientA));
            return by(f.server, d.callerInfo(f.server));
        }

        /** Another task, whose slot EP holds the notification, with all rights. */
        TaskHandle notificationHolder() {
            return f.task("other", notification, Rights.ALL, 0);
        }

        Refusal pollNotificationBoundToAnother() {
            TaskHandle other = notificationHolder();
            assertEquals(Outcome.OK, d.bindNotification(other, EP));
            return by(actor, d.poll(actor, NTFN));
        }

        Refusal bindTwice() {
            assertEquals(Outcome.OK, d.bindNotification(actor, NTFN));
            return by(actor, d.bindNotification(actor, NTFN));
        }

        Refusal bindWhileAnotherWaits() {
            TaskHandle other = notificationHolder();
            assertEquals(Outcome.BLOCKED, d.waitNotification(other, EP));
            return by(actor, d.bindNotification(actor, NTFN));
        }

        /** The server suspends clientA's context, takes clientB's Call, and tries to resume the first. */
        Refusal resumeWhileHolding() {
            serverHoldsCall(f.clientA, NONE, NONE);
            assertEquals(Outcome.OK, d.suspend(f.server));
            long handle = f.ipc(f.server).handle();
            assertEquals(Outcome.BLOCKED, d.call(f.clientB, EP, MessageInfo.of(2, 0)));
            assertEquals(Outcome.OK, d.recv(f.server, EP));
            return by(f.server, d.resume(f.server, handle));
        }

        Refusal copyReplyCapability() {
            serverHoldsCall(f.clientA, NONE, NONE);
            assertEquals(Outcome.OK, d.suspend(f.server));
            int replySlot = Handles.slot(f.ipc(f.server).handle());
            return by(f.server, d.copy(f.server, replySlot, replySlot + 1, Rights.NONE));
        }

        /** The actor takes clientA's Call through its READ-only capability, then replies with a capability. */
        Refusal replyWithCapToCallWithoutGrant() {
            assertEquals(Outcome.BLOCKED, d.recv(actor, READ_ONLY));
            assertEquals(Outcome.BLOCKED, d.call(f.clientA, EP, MessageInfo.of(1, 0)));
            f.ipc(actor).setCap(0, NTFN);
            return by(actor, d.reply(actor, MessageInfo.of(0, 0, 1)));
        }

        /** The actor's Space has free slots but no reply pool. */
        Refusal suspendWithoutPool() {
            assertEquals(Outcome.BLOCKED, d.recv(actor, READ_ONLY));
            assertEquals(Outcome.BLOCKED, d.call(f.clientA, EP, MessageInfo.of(1, 0)));
            return by(actor, d.suspend(actor));
        }

        /** A server alone in a Space of one slot, which its endpoint capability fills. */
        Refusal suspendWithoutEmptySlot() {
            SpaceHandle full = f.kernel.createSpace("full", 1, 1);
            f.kernel.install(full, EP, f.endpoint, Rights.READ, 0);
            TaskHandle server = f.started(f.kernel.createTask(full, "cramped"));
            assertEquals(Outcome.BLOCKED, d.recv(server, EP));
            assertEquals(Outcome.BLOCKED, d.call(f.clientA, EP, MessageInfo.of(1, 0)));
            return by(server, d.suspend(server));
        }

        Refusal suspendAfterTheLastGeneration() {
            serverHoldsCall(f.clientA, NONE, NONE);
            SpaceTestAccess.useAllGenerations(f.kernel.space(f.serverSpace));
            return by(f.server, d.suspend(f.server));
        }

        /** The actor binds a port of one entry to the fixture's endpoint in FREE, replies on EP. */
        void bindPort() {
            assertEquals(Outcome.OK, d.bind(actor, EP, EP, 1, FREE));
        }

        /** The port's endpoint capability is a child of FREE2's, whose children Revoke deletes. */
        Refusal sendThroughARevokedPort() {
            assertEquals(Outcome.OK, d.copy(actor, EP, FREE2, Rights.ALL));
            assertEquals(Outcome.OK, d.bind(actor, FREE2, EP, 1, FREE));
            assertEquals(Outcome.OK, d.revoke(actor, FREE2));
            return by(actor, d.asyncSend(actor, FREE, MessageInfo.of(0, 0)));
        }

        Refusal sendThroughAFullPort() {
            bindPort();
            assertEquals(Outcome.OK, d.asyncSend(actor, FREE, MessageInfo.of(0, 0)));
            return by(actor, d.asyncSend(actor, FREE, MessageInfo.of(0, 0)));
        }

        /** A window one byte longer than what is left of a 16-byte region past offset 8. */
        Refusal carveOutside() {
            f.kernel.install(actor.space(), FREE, f.kernel.createRegion(16), Rights.ALL, 0);
            return by(actor, d.carve(actor, FREE, 8, 9, Rights.ALL, FREE2));
        }

        /** An untyped of 100 bytes in FREE: an endpoint (512 bytes) does not fit. */
        Refusal retypeOverBudget() {
            f.kernel.install(actor.space(), FREE, f.kernel.createUntyped(100), Rights.ALL, 0);
            return by(actor, d.retype(actor, FREE, ObjectType.ENDPOINT, 0, FREE2));
        }

        /** The actor holds its own Task capability in FREE and restarts itself. */
        Refusal restartSelf() {
            f.kernel.install(actor.space(), FREE, f.kernel.taskObject(actor), Rights.ALL, 0);
            return by(actor, d.restart(actor, FREE));
        }

        /** An endpoint that tracks no badge: minting the first badged capability to it has no room. */
        Refusal mintOneBadgeTooMany() {
            ObjectHandle badgeless = f.kernel.createEndpoint(0);
            f.kernel.install(actor.space(), FREE, badgeless, Rights.ALL, 0);
            return by(actor, d.mint(actor, FREE, FREE2, Rights.ALL, 5));
        }
    }

    // ---- A reason only the threaded runtime gives: it knows no body for an adopted or unstarted task.

    private static Refusal restartWithoutBody() {
        Kernel kernel = new Kernel();
        ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        SpaceHandle space = kernel.createSpace("restarter", 2);
        TaskHandle target = kernel.createTask(space, "never-started");
        TaskHandle restarter = kernel.createTask(space, "restarter");
        kernel.install(space, 0, kernel.taskObject(target), Rights.ALL, 0);
        Syscalls sys = rt.adopt(restarter);
        Status s = sys.restart(0);
        Refusal r = new Refusal(Outcome.of(s), sys.ipc().status(), sys.ipc().reason());
        rt.exit(restarter);
        return r;
    }

    // ---- The one reason only a race produces.

    private static final long COPY_BYTES = 32L << 20;
    private static final int ATTEMPTS = 100;

    /**
     * A server's Read copies a caller's 32 MiB segment while a thread of the caller's Space closes
     * the segment's shared arena. The close lands before the Read's checks (CALLER_SEGMENT_CLOSED),
     * during the copy (CLOSED_DURING_COPY), or after it (OK); the delay before the close is moved
     * toward the copy until one lands in it, which took one or two attempts here. The server keeps
     * that refusal and ends (its caller gets PEER_DIED and stops too).
     */
    private static Refusal closedDuringCopy() throws Exception {
        Kernel kernel = new Kernel();
        ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        ObjectHandle ep = kernel.createEndpoint();
        SpaceHandle clientSpace = kernel.createSpace("client", 2);
        kernel.install(clientSpace, EP, ep, Rights.WRITE, 0);
        SpaceHandle serverSpace = kernel.createSpace("server", 2);
        kernel.install(serverSpace, EP, ep, Rights.READ, 0);
        AtomicReference<Arena> published = new AtomicReference<>();
        rt.start(kernel.createTask(clientSpace, "client"), sys -> callUntilRefused(sys, published));
        List<String> seen = new ArrayList<>();
        AtomicReference<Refusal> refusal = new AtomicReference<>();
        rt.start(kernel.createTask(serverSpace, "server"), sys -> refusal.set(readUntilClosedDuringCopy(sys, published, seen)));
        assertTrue(rt.awaitTermination(Duration.ofMinutes(1)), "the race did not finish");
        assertEquals(Map.of(), rt.failures());
        assertEquals(Reason.CLOSED_DURING_COPY, refusal.get().reason(), "no close landed in the copy: " + seen);
        return refusal.get();
    }

    /** The caller: a Call with a fresh shared arena's segment, again and again, until one is not answered. */
    @SuppressWarnings("MustBeClosedChecker") // the server's side closes each arena, on purpose
    private static void callUntilRefused(Syscalls sys, AtomicReference<Arena> published) {
        Status s;
        do {
            Arena arena = Arena.ofShared();
            published.set(arena);
            s = sys.call(EP, MessageInfo.of(1, 0), new MemorySegment[] {arena.allocate(COPY_BYTES)}, NONE);
        } while (s == Status.OK);
    }

    /** The server: Reads while the caller's arena is being closed, until a close lands in the copy; that refusal. */
    private static Refusal readUntilClosedDuringCopy(Syscalls sys, AtomicReference<Arena> published, List<String> seen) {
        MemorySegment dst = Arena.ofAuto().allocate(COPY_BYTES);
        long delayNanos = 100_000;
        for (int i = 0; i < ATTEMPTS; i++) {
            assertEquals(Status.OK, sys.recv(EP));
            Thread closer = closeAfter(published.get(), delayNanos);
            Refusal read = Refusal.of(Outcome.of(sys.read(0, dst)), sys.ipc());
            Reason r = read.reason();
            seen.add(r + " after " + delayNanos / 1000 + " us");
            if (r == Reason.CLOSED_DURING_COPY) {
                // The JDK may interrupt the copying thread when another closes the arena under it; the
                // kernel must not let a client's close end the server's next blocking syscall.
                if (Thread.currentThread().isInterrupted()) {
                    throw new AssertionError("the caller's close left the server's thread interrupted");
                }
                return read;
            }
            while (closer.isAlive()) {
                Thread.onSpinWait();
            }
            delayNanos = r == Reason.CALLER_SEGMENT_CLOSED ? delayNanos * 2 : delayNanos / 2;
            assertEquals(Status.OK, sys.reply(MessageInfo.of(0, 0)));
        }
        return Refusal.of(Outcome.OK, sys.ipc());
    }

    private static Thread closeAfter(Arena arena, long delayNanos) {
        return Thread.ofPlatform().daemon().start(() -> {
            long end = System.nanoTime() + delayNanos;
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
            arena.close();
        });
    }
}
