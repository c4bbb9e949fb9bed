package io.capipc.props.harness;

import io.capipc.api.MessageInfo;
import java.util.List;

/**
 * One step of a generated run: a syscall by one task, with every argument it needs, so a run is a
 * plain list that can be printed, shrunk and replayed. Registers and buffers are derived from
 * {@code mr}: before a send, the task's register i holds {@code mr * 100 + i}, and its send buffer
 * byte i holds {@code (byte) (mr + i)}.
 *
 * <p>The blocking syscalls (Send, Call, Recv, ReplyWait, Wait) carry a timeout in nanoseconds (docs/semantics.md
 * §6): {@link #FOREVER} waits for ever, 0 times out at once if the syscall would block, a
 * negative one is INVALID_ARGUMENT. {@link Driver} actions are not syscalls: the deterministic
 * driver moves the virtual clock, interrupts or kills a task from outside.
 */
public sealed interface Action {
    /** A timeout that never expires (docs/semantics.md §6: the timeout is absent); the model shares nothing with the kernel, not even this. */
    long FOREVER = Long.MAX_VALUE;

    /** The acting task's index; for a {@link Driver} action, the task acted on (-1: none). */
    int task();

    /** Not a syscall: the driver acts on the world, whatever state the task acted on is in. */
    sealed interface Driver extends Action {}

    /** The virtual clock moves forward {@code nanos}; blocked syscalls whose deadline came end with TIMEOUT. */
    record Advance(long nanos) implements Driver {
        @Override
        public int task() {
            return -1;
        }
    }

    /** The Java interrupt of the task's thread: a blocked syscall ends with INTERRUPTED; else nothing. */
    record Interrupt(int task) implements Driver {}

    /** The task is killed wherever it is (DeterministicDriver.kill). */
    record Kill(int task) implements Driver {}

    /**
     * A hostile thread of the task's Space rewrites its IPC buffer's capability slots and receive
     * slots (4 each) while the task may be blocked (docs/semantics.md §7, read once): what the task's
     * pending syscall sends or receives must not change.
     */
    record Tamper(int task, List<Integer> caps, List<Integer> receive) implements Driver {}

    /** Not a syscall: the task sets its IPC buffer's capability slots and receive slots (4 each). */
    record SetCaps(int task, List<Integer> caps, List<Integer> receive) implements Action {}

    record Send(int task, int slot, long info, long mr, long timeout) implements Action {
        public Send(int task, int slot, long info, long mr) {
            this(task, slot, info, mr, FOREVER);
        }
    }

    record NBSend(int task, int slot, long info, long mr) implements Action {}

    /**
     * A Call whose send and receive buffers are segments of the given sizes. A negative size is a
     * segment the kernel must refuse ({@link #NULL_SEGMENT} and the rest; only refusal templates make
     * them), and a list of {@link #NULL_ARRAY} alone is a null array.
     */
    record Call(int task, int slot, long info, long mr, List<Integer> send, List<Integer> recv, long timeout)
            implements Action {
        public static final int NULL_SEGMENT = -1;
        public static final int CLOSED_SEGMENT = -2;
        public static final int CONFINED_SEGMENT = -3;
        /** A read-only segment: refused in the receive buffer (it would be written), never generated in the send one. */
        public static final int READ_ONLY_SEGMENT = -4;
        public static final int NULL_ARRAY = -9;

        public Call(int task, int slot, long info, long mr, List<Integer> send, List<Integer> recv) {
            this(task, slot, info, mr, send, recv, FOREVER);
        }
    }

    record Recv(int task, int slot, long timeout) implements Action {
        public Recv(int task, int slot) {
            this(task, slot, FOREVER);
        }
    }

    record NBRecv(int task, int slot) implements Action {}

    record Reply(int task, long info, long mr) implements Action {}

    record ReplyWait(int task, int slot, long info, long mr, long timeout) implements Action {
        public ReplyWait(int task, int slot, long info, long mr) {
            this(task, slot, info, mr, FOREVER);
        }
    }

    record Forward(int task, int slot, long info, long mr) implements Action {}

    /** Read into the task's scratch buffer, {@code len} bytes of it. */
    record Read(int task, long offset, int len) implements Action {}

    /** Write {@code len} bytes of the task's scratch buffer, first filled with {@code fill + i}. */
    record Write(int task, long offset, int len, int fill) implements Action {}

    record CallerInfo(int task) implements Action {}

    record Signal(int task, int slot) implements Action {}

    record Wait(int task, int slot, long timeout) implements Action {
        public Wait(int task, int slot) {
            this(task, slot, FOREVER);
        }
    }

    record Poll(int task, int slot) implements Action {}

    record Bind(int task, int slot) implements Action {}

    record Unbind(int task) implements Action {}

    record Copy(int task, int src, int dst, int rights) implements Action {}

    record Mint(int task, int src, int dst, int rights, long badge) implements Action {}

    record Move(int task, int src, int dst) implements Action {}

    record Mutate(int task, int src, int dst, int rights, long badge) implements Action {}

    record Delete(int task, int slot) implements Action {}

    record Revoke(int task, int slot) implements Action {}

    record CancelBadgedSends(int task, int slot) implements Action {}

    record Exit(int task) implements Action {}

    /**
     * A handle argument (docs/semantics.md §5.2): the {@code nth} handle a Suspend returned in this run
     * ({@code nth} >= 0; one not issued yet names nothing), or, with {@code nth} -1, {@code raw}
     * as given: a forged handle. Naming a handle by its place keeps a shrunk run meaningful.
     */
    record Handle(int nth, long raw) {
        @Override
        public String toString() {
            return nth >= 0 ? "handle #" + nth : "forged handle 0x" + Long.toHexString(raw);
        }
    }

    record Suspend(int task) implements Action {}

    record Resume(int task, Handle handle) implements Action {}

    record ReplyHandle(int task, Handle handle, long info, long mr) implements Action {}

    record ForwardHandle(int task, Handle handle, int slot, long info, long mr) implements Action {}

    record ReadHandle(int task, Handle handle, long offset, int len) implements Action {}

    record WriteHandle(int task, Handle handle, long offset, int len, int fill) implements Action {}

    record CallerInfoHandle(int task, Handle handle) implements Action {}

    /** Chooses the system messages the endpoint in {@code slot} receives (a mask of 1 << label). */
    record SystemMessages(int task, int slot, int mask) implements Action {}

    /** The task's body throws (the driver's {@code fault}): it ends, and its fault endpoint hears of it. */
    record Fault(int task) implements Action {}

    /** The Kill syscall (docs/semantics.md §13) through the Task capability in {@code slot}. */
    record KillTask(int task, int slot) implements Action {}

    /** The Restart syscall (§13) through the Task capability in {@code slot}. */
    record RestartTask(int task, int slot) implements Action {}

    /** The TaskInfo syscall (§13) through the Task capability in {@code slot}. */
    record TaskInfo(int task, int slot) implements Action {}

    /** The Retype syscall (§13): one object of {@code type} from the untyped in {@code slot}, its capability into {@code dst}. */
    record Retype(int task, int slot, io.capipc.api.ObjectType type, long param, int dst) implements Action {}

    /** The action in syscall notation, e.g. {@code t1: Call(slot 0, label=2 len=1, send=[3, 0], recv=[8])}. */
    static String show(Action a) {
        String body = switch (a) {
            case SetCaps c -> "(sets caps " + c.caps() + ", receive slots " + c.receive() + ")";
            case Send s -> "Send(slot " + s.slot() + ", " + info(s.info()) + ", mr=" + s.mr() + timeout(s.timeout()) + ")";
            case NBSend s -> "NBSend(slot " + s.slot() + ", " + info(s.info()) + ", mr=" + s.mr() + ")";
            case Call c -> "Call(slot " + c.slot() + ", " + info(c.info()) + ", mr=" + c.mr() + ", send=" + c.send() + ", recv=" + c.recv() + timeout(c.timeout()) + ")";
            case Recv r -> "Recv(slot " + r.slot() + timeout(r.timeout()) + ")";
            case NBRecv r -> "NBRecv(slot " + r.slot() + ")";
            case Reply r -> "Reply(" + info(r.info()) + ", mr=" + r.mr() + ")";
            case ReplyWait r -> "ReplyWait(slot " + r.slot() + ", " + info(r.info()) + ", mr=" + r.mr() + timeout(r.timeout()) + ")";
            case Forward f -> "Forward(slot " + f.slot() + ", " + info(f.info()) + ", mr=" + f.mr() + ")";
            case Read r -> "Read(offset " + r.offset() + ", " + r.len() + " B)";
            case Write w -> "Write(offset " + w.offset() + ", " + w.len() + " B, fill " + w.fill() + ")";
            case CallerInfo c -> "CallerInfo()";
            case Signal n -> "Signal(slot " + n.slot() + ")";
            case Wait n -> "Wait(slot " + n.slot() + timeout(n.timeout()) + ")";
            case Poll n -> "Poll(slot " + n.slot() + ")";
            case Bind n -> "BindNotification(slot " + n.slot() + ")";
            case Unbind n -> "UnbindNotification()";
            case Copy c -> "Copy(slot " + c.src() + " -> slot " + c.dst() + ", rights " + c.rights() + ")";
            case Mint m -> "Mint(slot " + m.src() + " -> slot " + m.dst() + ", rights " + m.rights() + ", badge " + m.badge() + ")";
            case Move m -> "Move(slot " + m.src() + " -> slot " + m.dst() + ")";
            case Mutate m -> "Mutate(slot " + m.src() + " -> slot " + m.dst() + ", rights " + m.rights() + ", badge " + m.badge() + ")";
            case Delete d -> "Delete(slot " + d.slot() + ")";
            case Revoke r -> "Revoke(slot " + r.slot() + ")";
            case CancelBadgedSends c -> "CancelBadgedSends(slot " + c.slot() + ")";
            case Exit e -> "Exit()";
            case Suspend c -> "Suspend()";
            case Resume c -> "Resume(" + c.handle() + ")";
            case ReplyHandle r -> "Reply(" + r.handle() + ", " + info(r.info()) + ", mr=" + r.mr() + ")";
            case ForwardHandle f -> "Forward(" + f.handle() + ", slot " + f.slot() + ", " + info(f.info()) + ", mr=" + f.mr() + ")";
            case ReadHandle r -> "Read(" + r.handle() + ", offset " + r.offset() + ", " + r.len() + " B)";
            case WriteHandle w -> "Write(" + w.handle() + ", offset " + w.offset() + ", " + w.len() + " B, fill " + w.fill() + ")";
            case CallerInfoHandle c -> "CallerInfo(" + c.handle() + ")";
            case SystemMessages m -> "SystemMessages(slot " + m.slot() + ", mask " + m.mask() + ")";
            case Fault f -> "(body throws)";
            case KillTask k -> "Kill(slot " + k.slot() + ")";
            case RestartTask r -> "Restart(slot " + r.slot() + ")";
            case TaskInfo i -> "TaskInfo(slot " + i.slot() + ")";
            case Retype r -> "Retype(slot " + r.slot() + ", " + r.type() + ", " + r.param() + " -> slot " + r.dst() + ")";
            case Advance d -> "advance the clock " + d.nanos() + " ns";
            case Interrupt i -> "interrupt t" + i.task();
            case Kill k -> "kill t" + k.task();
            case Tamper m -> "rewrite t" + m.task() + "'s IPC buffer: caps " + m.caps() + ", receive slots " + m.receive();
        };
        return a instanceof Driver ? "driver: " + body : "t" + a.task() + ": " + body;
    }

    /** The timeout of a blocking syscall (Send, Call, Recv, ReplyWait, Wait); FOREVER for any other action. */
    static long timeoutOf(Action a) {
        return switch (a) {
            case Send s -> s.timeout();
            case Call c -> c.timeout();
            case Recv r -> r.timeout();
            case ReplyWait r -> r.timeout();
            case Wait w -> w.timeout();
            default -> FOREVER;
        };
    }

    /** Nothing for FOREVER (the default), else {@code , timeout N ns}. */
    private static String timeout(long timeout) {
        return timeout == FOREVER ? "" : ", timeout " + timeout + " ns";
    }

    private static String info(long info) {
        if (MessageInfo.isSendable(info)) {
            int caps = MessageInfo.caps(info);
            return "label=" + MessageInfo.label(info) + " len=" + MessageInfo.length(info) + (caps > 0 ? " caps=" + caps : "");
        }
        return "info=0x" + Long.toHexString(info) + " (" + MessageInfo.toString(info) + ")";
    }
}
