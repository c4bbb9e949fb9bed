package io.capipc.props;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.capipc.api.MessageInfo;
import io.capipc.props.harness.Action;
import io.capipc.props.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a fuzzer's bytes into a run of the property harness: each action's kind and every argument
 * come from the input, so the fuzzer steers the run. Arguments are mostly near the edges the kernel
 * checks (slots -1 .. slots, small offsets and lengths, small labels) and sometimes any value at all
 * (info words, offsets, rights, badges, masks, timeouts, handles): every argument a task passes is
 * an allegation (SPEC section 7). The clock moves at most 10 us a step, so it never nears the end of
 * time (the generator's rule too). Register values ({@code mr}) are never negative: the model writes a
 * task's id, which it does not know, as the stand-in -1000 - t (Model.taskWord), so a message of
 * -1000 would read as task 0's id (the first finding of the fuzzer, kept in the corpus).
 */
final class FuzzActions {
    private final FuzzedDataProvider data;
    private final Shape shape;

    private FuzzActions(FuzzedDataProvider data, Shape shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Up to {@code max} actions, fewer if the input runs out. */
    static List<Action> decode(FuzzedDataProvider data, Shape shape, int max) {
        FuzzActions f = new FuzzActions(data, shape);
        List<Action> actions = new ArrayList<>();
        while (actions.size() < max && data.remainingBytes() > 0) {
            actions.add(f.action());
        }
        return actions;
    }

    private Action action() {
        int t = data.consumeInt(0, shape.tasks() - 1);
        return switch (data.consumeInt(0, 39)) {
            case 0 -> new Action.Advance(data.consumeLong(0, 10_000));
            case 1 -> new Action.Interrupt(t);
            case 2 -> new Action.Kill(t);
            case 3 -> new Action.Tamper(t, slots(4), slots(4));
            case 4 -> new Action.SetCaps(t, slots(4), slots(4));
            case 5, 6 -> new Action.Send(t, slot(), info(), mr(), timeout());
            case 7 -> new Action.NBSend(t, slot(), info(), mr());
            case 8, 9, 10 -> new Action.Call(t, slot(), info(), mr(), sizes(), sizes(), timeout());
            case 11, 12 -> new Action.Recv(t, slot(), timeout());
            case 13 -> new Action.NBRecv(t, slot());
            case 14, 15 -> new Action.Reply(t, info(), mr());
            case 16, 17 -> new Action.ReplyWait(t, slot(), info(), mr(), timeout());
            case 18 -> new Action.Forward(t, slot(), info(), mr());
            case 19 -> new Action.Read(t, offset(), data.consumeInt(0, Shape.AREA));
            case 20 -> new Action.Write(t, offset(), data.consumeInt(0, Shape.AREA), data.consumeInt(0, 255));
            case 21 -> new Action.CallerInfo(t);
            case 22 -> new Action.Signal(t, slot());
            case 23 -> new Action.Wait(t, slot(), timeout());
            case 24 -> new Action.Poll(t, slot());
            case 25 -> data.consumeBoolean() ? new Action.Bind(t, slot()) : new Action.Unbind(t);
            case 26 -> new Action.Copy(t, slot(), slot(), rights());
            case 27 -> new Action.Mint(t, slot(), slot(), rights(), badge());
            case 28 -> data.consumeBoolean() ? new Action.Move(t, slot(), slot())
                    : new Action.Mutate(t, slot(), slot(), rights(), badge());
            case 29 -> new Action.Delete(t, slot());
            case 30 -> data.consumeBoolean() ? new Action.Revoke(t, slot()) : new Action.CancelBadgedSends(t, slot());
            case 31 -> new Action.Suspend(t);
            case 32 -> new Action.Resume(t, handle());
            case 33 -> new Action.ReplyHandle(t, handle(), info(), mr());
            case 34 -> new Action.ForwardHandle(t, handle(), slot(), info(), mr());
            case 35 -> data.consumeBoolean() ? new Action.ReadHandle(t, handle(), offset(), data.consumeInt(0, Shape.AREA))
                    : new Action.WriteHandle(t, handle(), offset(), data.consumeInt(0, Shape.AREA), data.consumeInt(0, 255));
            case 36 -> new Action.CallerInfoHandle(t, handle());
            case 37 -> new Action.SystemMessages(t, slot(), data.consumeBoolean() ? 0b1110 : data.consumeInt());
            case 38 -> new Action.Exit(t);
            default -> new Action.Fault(t);
        };
    }

    /** A message's register seed: any value the harness can tell from the model's stand-ins. */
    private long mr() {
        return data.consumeLong(0, Long.MAX_VALUE / 128);
    }

    private int slot() {
        return data.consumeBoolean() ? data.consumeInt(-1, shape.slots()) : data.consumeInt();
    }

    private List<Integer> slots(int n) {
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(slot());
        }
        return List.copyOf(s);
    }

    private long info() {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> data.consumeLong();
            case 1 -> MessageInfo.pack(data.consumeInt(), data.consumeInt(0, 127), data.consumeInt(0, 7), data.consumeBoolean());
            default -> MessageInfo.pack(data.consumeInt(0, 3), data.consumeInt(0, 4), data.consumeInt(0, 2), false);
        };
    }

    private long timeout() {
        return switch (data.consumeInt(0, 4)) {
            case 0 -> data.consumeLong();
            case 1 -> 0;
            case 2 -> data.consumeLong(1, 1_000);
            default -> Action.FOREVER;
        };
    }

    private long offset() {
        return data.consumeBoolean() ? data.consumeLong(-1, 2L * Shape.AREA) : data.consumeLong();
    }

    private int rights() {
        return data.consumeBoolean() ? data.consumeInt(0, 8) : data.consumeInt();
    }

    private long badge() {
        return data.consumeBoolean() ? data.consumeLong(0, 6) : data.consumeLong();
    }

    private Action.Handle handle() {
        return data.consumeBoolean() ? new Action.Handle(data.consumeInt(0, 7), 0) : new Action.Handle(-1, data.consumeLong());
    }

    /** Segment sizes of a buffer: at most {@link Shape#AREA} bytes in all, up to 9 segments (one too many). */
    private List<Integer> sizes() {
        int n = data.consumeInt(0, 9);
        List<Integer> sizes = new ArrayList<>();
        int left = Shape.AREA;
        for (int i = 0; i < n; i++) {
            int s = data.consumeInt(0, left);
            sizes.add(s);
            left -= s;
        }
        return List.copyOf(sizes);
    }
}
