package io.capipc.props.harness;

import io.capipc.api.MessageInfo;
import io.capipc.api.Reason;
import io.capipc.props.model.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * What the refinement checks beyond the model's state and statuses: the driver's answers (below), and
 * the refusal reason of a syscall whose timeout or info word is out of range (docs/semantics.md §7:
 * argument ranges first, the timeout before the info word; the reason names the check that failed).
 * The model predicts statuses, not reasons, so without this a kernel that named the wrong field of a
 * bad info word would pass every property. Only words with exactly one bad field are judged (that is
 * what {@link Generator#badInfo} makes), so the check does not depend on the order of the fields'
 * checks, which the docs do not fix. Forward with capabilities is left out: it has its own reason.
 * And a message syscall refused for a right names the one it needs: WRITE to send, READ to receive.
 */
final class Answers {
    private Answers() {}

    /** The violation, or null: {@code a} was refused with {@code reason} and the arguments say otherwise. */
    static String reason(Action a, Reason reason) {
        Reason expected = reason == Reason.NEEDS_READ || reason == Reason.NEEDS_WRITE ? right(a) : expected(a);
        if (expected == null || expected == reason) {
            return null;
        }
        return a + " left reason " + reason + ", its arguments call for " + expected;
    }

    /** The right a message syscall needs on its endpoint, as a reason; null for other syscalls. */
    private static Reason right(Action a) {
        return switch (a) {
            case Action.Send _, Action.NBSend _, Action.Call _, Action.Forward _, Action.ForwardHandle _ -> Reason.NEEDS_WRITE;
            case Action.Recv _, Action.NBRecv _, Action.ReplyWait _ -> Reason.NEEDS_READ;
            default -> null;
        };
    }

    /** The reason {@code a}'s timeout or info word calls for, or null if they do not decide it. */
    static Reason expected(Action a) {
        long info;
        switch (a) {
            case Action.Send x -> info = x.info();
            case Action.NBSend x -> info = x.info();
            case Action.Call x -> info = x.info();
            case Action.Reply x -> info = x.info();
            case Action.ReplyWait x -> info = x.info();
            case Action.ReplyHandle x -> info = x.info();
            case Action.Forward x -> info = x.info();
            case Action.ForwardHandle x -> info = x.info();
            default -> {
                return null;
            }
        }
        if (Action.timeoutOf(a) < 0) {
            return Reason.TIMEOUT_NEGATIVE;
        }
        boolean forward = a instanceof Action.Forward || a instanceof Action.ForwardHandle;
        if (MessageInfo.isSendable(info) && a instanceof Action.Call c) {
            return buffers(c);
        }
        if (MessageInfo.isSendable(info) || forward && MessageInfo.caps(info) != 0) {
            return null;
        }
        List<Reason> bad = new ArrayList<>();
        if (MessageInfo.label(info) < 0) {
            bad.add(Reason.LABEL_NEGATIVE);
        }
        if (MessageInfo.length(info) > MessageInfo.MAX_LENGTH) {
            bad.add(Reason.LENGTH_OVER_64);
        }
        if (MessageInfo.caps(info) > MessageInfo.MAX_CAPS) {
            bad.add(Reason.CAPS_OVER_4);
        }
        if (MessageInfo.isSystem(info)) {
            bad.add(Reason.SYSTEM_FLAG);
        }
        if (info != MessageInfo.pack(MessageInfo.label(info), MessageInfo.length(info), MessageInfo.caps(info), MessageInfo.isSystem(info))) {
            bad.add(Reason.KIND_OR_RESERVED_BITS);
        }
        return bad.size() == 1 ? bad.get(0) : null;
    }

    /**
     * A Call's buffers, checked after its info word (docs/semantics.md §7): the segment counts, then
     * each send segment, then each receive segment, in order; null if they are fine.
     */
    private static Reason buffers(Action.Call c) {
        if (c.send().equals(List.of(Action.Call.NULL_ARRAY)) || c.recv().equals(List.of(Action.Call.NULL_ARRAY))) {
            return Reason.BUFFER_NULL;
        }
        if (c.send().size() > 8 || c.recv().size() > 8) {
            return Reason.SEGMENTS_OVER_8;
        }
        List<Integer> all = new ArrayList<>(c.send());
        all.addAll(c.recv());
        for (int size : all) {
            switch (size) {
                case Action.Call.NULL_SEGMENT -> {
                    return Reason.BUFFER_NULL;
                }
                case Action.Call.CLOSED_SEGMENT -> {
                    return Reason.SEGMENT_CLOSED;
                }
                case Action.Call.CONFINED_SEGMENT -> {
                    return Reason.SEGMENT_CONFINED;
                }
                case Action.Call.READ_ONLY_SEGMENT -> {
                    return Reason.RECEIVE_SEGMENT_READ_ONLY;
                }
                default -> { }
            }
        }
        return null;
    }

    /**
     * The driver's own answer against the model before the step: Interrupt says whether the task was
     * blocked, Advance how many blocked syscalls reached their deadline (docs/semantics.md §6). Null if
     * it agrees, or for another action.
     */
    static String driver(Action a, Model before, int answer) {
        int expected;
        if (a instanceof Action.Interrupt i) {
            expected = blocked(before, i.task()) ? 1 : 0;
        } else if (a instanceof Action.Advance v) {
            expected = 0;
            for (int t = 0; t < before.tasks().size(); t++) {
                if (blocked(before, t) && before.deadlines().get(t) <= before.now() + v.nanos()) {
                    expected++;
                }
            }
        } else {
            return null;
        }
        return expected == answer ? null
                : "the driver answered " + answer + " to " + a + ", the model expects " + expected
                        + (a instanceof Action.Interrupt ? " (1: the task was blocked)" : " (syscalls that reached their deadline)");
    }

    private static boolean blocked(Model m, int t) {
        Model.State s = m.task(t).state();
        return s != Model.State.RUNNING && s != Model.State.DEAD;
    }
}
