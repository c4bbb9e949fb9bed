package io.capipc.props.harness;

import io.capipc.api.MessageInfo;
import java.util.List;

/**
 * One step of a generated run: a syscall by one task, with every argument it needs, so a run is a
 * plain list that can be printed, shrunk and replayed. Registers and buffers are derived from
 * {@code mr}: before a send, the task's register i holds {@code mr * 100 + i}, and its send buffer
 * byte i holds {@code (byte) (mr + i)}.
 */
public sealed interface Action {
    /** The acting task's index. */
    int task();

    /** Not a syscall: the task sets its IPC buffer's capability slots and receive slots (4 each). */
    record SetCaps(int task, List<Integer> caps, List<Integer> receive) implements Action {}

    record Send(int task, int slot, long info, long mr) implements Action {}

    record NBSend(int task, int slot, long info, long mr) implements Action {}

    /** A Call whose send and receive buffers are segments of the given sizes. */
    record Call(int task, int slot, long info, long mr, List<Integer> send, List<Integer> recv) implements Action {}

    record Recv(int task, int slot) implements Action {}

    record NBRecv(int task, int slot) implements Action {}

    record Reply(int task, long info, long mr) implements Action {}

    record ReplyWait(int task, int slot, long info, long mr) implements Action {}

    record Forward(int task, int slot, long info, long mr) implements Action {}

    /** Read into the task's scratch buffer, {@code len} bytes of it. */
    record Read(int task, long offset, int len) implements Action {}

    /** Write {@code len} bytes of the task's scratch buffer, first filled with {@code fill + i}. */
    record Write(int task, long offset, int len, int fill) implements Action {}

    record CallerInfo(int task) implements Action {}

    record Signal(int task, int slot) implements Action {}

    record Wait(int task, int slot) implements Action {}

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

    /** The action in syscall notation, e.g. {@code t1: Call(slot 0, label=2 len=1, send=[3, 0], recv=[8])}. */
    static String show(Action a) {
        String body = switch (a) {
            case SetCaps c -> "(sets caps " + c.caps() + ", receive slots " + c.receive() + ")";
            case Send s -> "Send(slot " + s.slot() + ", " + info(s.info()) + ", mr=" + s.mr() + ")";
            case NBSend s -> "NBSend(slot " + s.slot() + ", " + info(s.info()) + ", mr=" + s.mr() + ")";
            case Call c -> "Call(slot " + c.slot() + ", " + info(c.info()) + ", mr=" + c.mr() + ", send=" + c.send() + ", recv=" + c.recv() + ")";
            case Recv r -> "Recv(slot " + r.slot() + ")";
            case NBRecv r -> "NBRecv(slot " + r.slot() + ")";
            case Reply r -> "Reply(" + info(r.info()) + ", mr=" + r.mr() + ")";
            case ReplyWait r -> "ReplyWait(slot " + r.slot() + ", " + info(r.info()) + ", mr=" + r.mr() + ")";
            case Forward f -> "Forward(slot " + f.slot() + ", " + info(f.info()) + ", mr=" + f.mr() + ")";
            case Read r -> "Read(offset " + r.offset() + ", " + r.len() + " B)";
            case Write w -> "Write(offset " + w.offset() + ", " + w.len() + " B, fill " + w.fill() + ")";
            case CallerInfo c -> "CallerInfo()";
            case Signal n -> "Signal(slot " + n.slot() + ")";
            case Wait n -> "Wait(slot " + n.slot() + ")";
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
        };
        return "t" + a.task() + ": " + body;
    }

    private static String info(long info) {
        if (MessageInfo.isSendable(info)) {
            int caps = MessageInfo.caps(info);
            return "label=" + MessageInfo.label(info) + " len=" + MessageInfo.length(info) + (caps > 0 ? " caps=" + caps : "");
        }
        return "info=0x" + Long.toHexString(info) + " (" + MessageInfo.toString(info) + ")";
    }
}
