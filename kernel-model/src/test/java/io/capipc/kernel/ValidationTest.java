package io.capipc.kernel;

import static io.capipc.kernel.Fixture.EP;
import static io.capipc.kernel.Fixture.SLOTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.DeterministicDriver;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decode before invoke (docs/semantics.md §7): each refusal of the message syscalls returns the status of
 * the first failed check, in the order argument ranges, capability lookups, rights, context state,
 * RANGE, WOULD_BLOCK, and leaves the kernel exactly as it was.
 *
 * <p>The actor holds clientA's caller context and clientB's Send is queued, so a refused syscall that
 * wrongly went ahead would show in the snapshot: a Recv would take clientB's message, a ReplyWait
 * would answer clientA, a Send or Call would queue behind clientB.
 */
class ValidationTest {
    /** Actor slots: EP holds the endpoint with every right. */
    private static final int READ_ONLY = 1;
    private static final int WRITE_ONLY = 2;
    private static final int NOTIFICATION = 3;
    private static final int EMPTY = 4;
    private static final int NO_RIGHTS = 5;
    private static final int NOTIFICATION_NO_RIGHTS = 6;

    /** The message syscalls that name an endpoint, with the right each needs. */
    enum Op {
        SEND(Rights.WRITE, true),
        NB_SEND(Rights.WRITE, true),
        CALL(Rights.WRITE, true),
        RECV(Rights.READ, false),
        NB_RECV(Rights.READ, false),
        REPLY_WAIT(Rights.READ, true);

        final int needs;
        final boolean takesInfo;

        Op(int needs, boolean takesInfo) {
            this.needs = needs;
            this.takesInfo = takesInfo;
        }

        Outcome invoke(DeterministicDriver d, TaskHandle t, int slot, long info) {
            return switch (this) {
                case SEND -> d.send(t, slot, info);
                case NB_SEND -> d.nbSend(t, slot, info);
                case CALL -> d.call(t, slot, info);
                case RECV -> d.recv(t, slot);
                case NB_RECV -> d.nbRecv(t, slot);
                case REPLY_WAIT -> d.replyWait(t, slot, info);
            };
        }

        /** A slot whose endpoint capability lacks the right this syscall needs. */
        int slotMissingRight() {
            return needs == Rights.WRITE ? READ_ONLY : WRITE_ONLY;
        }
    }

    private final Fixture f = new Fixture();
    private final ObjectHandle notification = f.kernel.createNotification();
    private final TaskHandle actor;

    ValidationTest() {
        SpaceHandle space = f.kernel.createSpace("actor", SLOTS);
        f.kernel.install(space, EP, f.endpoint, Rights.ALL, 0);
        f.kernel.install(space, READ_ONLY, f.endpoint, Rights.READ, 0);
        f.kernel.install(space, WRITE_ONLY, f.endpoint, Rights.WRITE, 0);
        f.kernel.install(space, NOTIFICATION, notification, Rights.ALL, 0);
        f.kernel.install(space, NO_RIGHTS, f.endpoint, Rights.NONE, 0);
        f.kernel.install(space, NOTIFICATION_NO_RIGHTS, notification, Rights.NONE, 0);
        actor = f.started(f.kernel.createTask(space, "actor"));

        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, f.driver.recv(actor, EP));
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientB, EP, MessageInfo.of(2, 0)));
        assertEquals(f.clientA.id(), f.view(actor).holdsContextOf());
    }

    /** Info words user code may not send (docs/semantics.md §3). */
    static List<Long> badInfos() {
        return List.of(
                MessageInfo.pack(0, 65, 0, false),
                MessageInfo.pack(0, 127, 0, false),
                MessageInfo.pack(-1, 0, 0, false),
                MessageInfo.pack(Integer.MIN_VALUE, 3, 0, false),
                MessageInfo.pack(0, 0, 0, true),
                MessageInfo.pack(0, 0, 5, false),
                MessageInfo.pack(0, 0, 7, false),
                MessageInfo.withKind(MessageInfo.of(0, 0), Kind.SEND),
                MessageInfo.withKind(MessageInfo.of(0, 0), Kind.CALL),
                MessageInfo.of(0, 0) | (1L << 7),
                MessageInfo.of(0, 0) | (1L << 20));
    }

    static Stream<Arguments> infoOpsAndBadInfos() {
        List<Arguments> out = new ArrayList<>();
        for (Op op : Op.values()) {
            if (op.takesInfo) {
                for (long info : badInfos()) {
                    out.add(Arguments.of(op, MessageInfo.toString(info) + " bits " + Long.toHexString(info), info));
                }
            }
        }
        return out.stream();
    }

    static Stream<Arguments> opsAndOutOfRangeSlots() {
        List<Arguments> out = new ArrayList<>();
        for (Op op : Op.values()) {
            for (int slot : new int[] {-1, SLOTS, SLOTS + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
                out.add(Arguments.of(op, slot));
            }
        }
        return out.stream();
    }

    /** Runs {@code op} and checks the status, that it landed in the IPC buffer, and that nothing changed. */
    private void assertRefused(Status expected, Op op, int slot, long info) {
        KernelView before = f.view();
        Outcome s = op.invoke(f.driver, actor, slot, info);
        assertEquals(Outcome.of(expected), s, op + " through slot " + slot);
        assertEquals(expected, f.ipc(actor).status(), "status in the IPC buffer");
        assertEquals(before, f.view(), op + " refused with " + s + " must change nothing");
        f.assertConsistent();
    }

    @ParameterizedTest(name = "{0} slot {1}")
    @MethodSource("opsAndOutOfRangeSlots")
    void endpointSyscall_slotOutOfRange_invalidArgument(Op op, int slot) {
        assertRefused(Status.INVALID_ARGUMENT, op, slot, MessageInfo.of(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void endpointSyscall_emptySlot_invalidCapability(Op op) {
        assertRefused(Status.INVALID_CAPABILITY, op, EMPTY, MessageInfo.of(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void endpointSyscall_notificationCapability_invalidCapability(Op op) {
        assertRefused(Status.INVALID_CAPABILITY, op, NOTIFICATION, MessageInfo.of(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void endpointSyscall_notificationWithoutRights_invalidCapabilityBeforeRights(Op op) {
        assertRefused(Status.INVALID_CAPABILITY, op, NOTIFICATION_NO_RIGHTS, MessageInfo.of(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void endpointSyscall_missingRight_insufficientRights(Op op) {
        assertRefused(Status.INSUFFICIENT_RIGHTS, op, op.slotMissingRight(), MessageInfo.of(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void endpointSyscall_endpointWithNoRights_insufficientRights(Op op) {
        assertRefused(Status.INSUFFICIENT_RIGHTS, op, NO_RIGHTS, MessageInfo.of(0, 0));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("infoOpsAndBadInfos")
    void endpointSyscall_badInfo_invalidArgument(Op op, String what, long info) {
        assertRefused(Status.INVALID_ARGUMENT, op, EP, info);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("infoOpsAndBadInfos")
    void endpointSyscall_badInfoAndEmptySlot_invalidArgumentFirst(Op op, String what, long info) {
        assertRefused(Status.INVALID_ARGUMENT, op, EMPTY, info);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("infoOpsAndBadInfos")
    void endpointSyscall_badInfoAndMissingRight_invalidArgumentFirst(Op op, String what, long info) {
        assertRefused(Status.INVALID_ARGUMENT, op, op.slotMissingRight(), info);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("infoOpsAndBadInfos")
    void endpointSyscall_badInfoAndNotification_invalidArgumentFirst(Op op, String what, long info) {
        assertRefused(Status.INVALID_ARGUMENT, op, NOTIFICATION, info);
    }

    @Test
    void call_badBuffersAndEmptySlot_invalidArgumentFirst() {
        KernelView before = f.view();
        assertEquals(Outcome.INVALID_ARGUMENT,
                f.driver.call(actor, EMPTY, MessageInfo.of(0, 0), null, new MemorySegment[0]));
        assertEquals(before, f.view());
    }

    @Test
    void reply_badInfoNoContext_invalidArgument() {
        KernelView before = f.view();
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.reply(f.server, MessageInfo.pack(-1, 0, 0, false)));
        assertEquals(before, f.view());
    }

    /** A task whose two slots name an idle endpoint: READ-only in 0, WRITE-only in 1. */
    private TaskHandle loner() {
        ObjectHandle idle = f.kernel.createEndpoint();
        SpaceHandle space = f.kernel.createSpace("loner", SLOTS);
        f.kernel.install(space, 0, idle, Rights.READ, 0);
        f.kernel.install(space, 1, idle, Rights.WRITE, 0);
        return f.started(f.kernel.createTask(space, "loner"));
    }

    @Test
    void nbSend_missingRightAndNoReceiver_insufficientRightsBeforeWouldBlock() {
        TaskHandle t = loner();
        KernelView before = f.view();
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, f.driver.nbSend(t, 0, MessageInfo.of(0, 0)));
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbSend(t, 1, MessageInfo.of(0, 0)));
        assertEquals(before, f.view());
    }

    @Test
    void nbRecv_missingRightAndNothingQueued_insufficientRightsBeforeWouldBlock() {
        TaskHandle t = loner();
        KernelView before = f.view();
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, f.driver.nbRecv(t, 1));
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbRecv(t, 0));
        assertEquals(before, f.view());
    }

    @Test
    void nbSend_badInfoAndNoReceiver_invalidArgumentBeforeWouldBlock() {
        TaskHandle t = loner();
        assertEquals(Outcome.INVALID_ARGUMENT, f.driver.nbSend(t, 1, MessageInfo.pack(0, 65, 0, false)));
    }

    @Test
    void read_readOnlyDstAndNoContext_invalidArgumentBeforeNoCaller() {
        assertEquals(Outcome.INVALID_ARGUMENT,
                f.driver.read(f.server, 0, MemorySegment.ofArray(new byte[2]).asReadOnly()));
    }

    @Test
    void readWrite_noContextAndBadOffset_noCallerBeforeRange() {
        assertEquals(Outcome.NO_CALLER, f.driver.read(f.server, -1, MemorySegment.ofArray(new byte[2])));
        assertEquals(Outcome.NO_CALLER, f.driver.write(f.server, Long.MAX_VALUE, MemorySegment.ofArray(new byte[2])));
    }

    @Test
    void validAfterRefusals_actorStillWorks() {
        for (Op op : Op.values()) {
            op.invoke(f.driver, actor, EMPTY, MessageInfo.pack(-1, 0, 0, false));
        }
        assertEquals(Outcome.OK, f.driver.replyWait(actor, EP, MessageInfo.of(3, 0)));
        assertEquals(Status.OK, f.ipc(f.clientA).status());
        assertEquals(3, f.ipc(f.clientA).label());
        assertEquals(2, f.ipc(actor).label());
        assertEquals(Fixture.BADGE_B, f.ipc(actor).badge());
        f.assertConsistent();
    }
}
