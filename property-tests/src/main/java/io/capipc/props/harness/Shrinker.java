package io.capipc.props.harness;

import io.capipc.api.MessageInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shrinks a failing run: first drops actions (halves, then quarters, down to single actions, as in
 * delta debugging), then simplifies the arguments of those left (timeouts and clock advances
 * included). A candidate is kept only if it still fails. Dropping an action can make a later one's
 * task not RUNNING; the runner then skips it, so every candidate is a valid run.
 */
public final class Shrinker {
    private Shrinker() {}

    /** Drops, then simplifies, and again while that changes anything: a simpler action may make another one needless. */
    public static List<Action> shrink(List<Action> failing, Predicate<List<Action>> fails) {
        List<Action> best = failing;
        List<Action> last;
        do {
            last = best;
            best = simplify(dropChunks(best, fails), fails);
        } while (!best.equals(last));
        return best;
    }

    /**
     * Delta debugging's first half, for any list of steps: drops halves, then quarters, down to
     * single steps, keeping a candidate only while {@code fails} still holds for it.
     */
    public static <T> List<T> dropChunks(List<T> start, Predicate<List<T>> fails) {
        List<T> best = start;
        for (int chunk = Math.max(1, best.size() / 2); chunk >= 1; chunk /= 2) {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (int from = 0; from < best.size(); from += chunk) {
                    List<T> candidate = new ArrayList<>(best.subList(0, from));
                    candidate.addAll(best.subList(Math.min(best.size(), from + chunk), best.size()));
                    if (fails.test(candidate)) {
                        best = candidate;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return best;
    }

    /**
     * Replaces each action by its first simpler variant that still fails, then simplifies that one
     * again, until none of its variants fails (each variant is strictly simpler, so this ends).
     */
    private static List<Action> simplify(List<Action> start, Predicate<List<Action>> fails) {
        List<Action> best = new ArrayList<>(start);
        for (int i = 0; i < best.size(); i++) {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (Action simpler : simpler(best.get(i))) {
                    List<Action> candidate = new ArrayList<>(best);
                    candidate.set(i, simpler);
                    if (fails.test(candidate)) {
                        best = candidate;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return List.copyOf(best);
    }

    /**
     * Simpler variants of one action: shorter messages, fewer and smaller segments, smaller offsets;
     * a timeout becomes none (FOREVER), then 0, then half as long (a negative one is the point and
     * stays); the clock advances by nothing, then by half as much.
     */
    private static List<Action> simpler(Action a) {
        List<Action> out = new ArrayList<>();
        switch (a) {
            case Action.SetCaps c -> { }
            case Action.Send s -> {
                out.add(new Action.Send(s.task(), s.slot(), shorter(s.info()), s.mr(), s.timeout()));
                for (long t : simplerTimeouts(s.timeout())) {
                    out.add(new Action.Send(s.task(), s.slot(), s.info(), s.mr(), t));
                }
            }
            case Action.NBSend s -> out.add(new Action.NBSend(s.task(), s.slot(), shorter(s.info()), s.mr()));
            case Action.Call c -> {
                out.add(new Action.Call(c.task(), c.slot(), shorter(c.info()), c.mr(), c.send(), c.recv(), c.timeout()));
                out.add(new Action.Call(c.task(), c.slot(), c.info(), c.mr(), List.of(), c.recv(), c.timeout()));
                out.add(new Action.Call(c.task(), c.slot(), c.info(), c.mr(), c.send(), List.of(), c.timeout()));
                for (long t : simplerTimeouts(c.timeout())) {
                    out.add(new Action.Call(c.task(), c.slot(), c.info(), c.mr(), c.send(), c.recv(), t));
                }
            }
            case Action.Reply r -> out.add(new Action.Reply(r.task(), shorter(r.info()), r.mr()));
            case Action.ReplyWait r -> {
                out.add(new Action.ReplyWait(r.task(), r.slot(), shorter(r.info()), r.mr(), r.timeout()));
                for (long t : simplerTimeouts(r.timeout())) {
                    out.add(new Action.ReplyWait(r.task(), r.slot(), r.info(), r.mr(), t));
                }
            }
            case Action.Forward f -> out.add(new Action.Forward(f.task(), f.slot(), shorter(f.info()), f.mr()));
            case Action.Read r -> out.add(new Action.Read(r.task(), Math.min(r.offset(), 0), r.len()));
            case Action.Write w -> out.add(new Action.Write(w.task(), Math.min(w.offset(), 0), w.len(), w.fill()));
            case Action.Recv r -> {
                for (long t : simplerTimeouts(r.timeout())) {
                    out.add(new Action.Recv(r.task(), r.slot(), t));
                }
            }
            case Action.NBRecv r -> { }
            case Action.CallerInfo c -> { }
            case Action.Signal n -> { }
            case Action.Wait n -> {
                for (long t : simplerTimeouts(n.timeout())) {
                    out.add(new Action.Wait(n.task(), n.slot(), t));
                }
            }
            case Action.Poll n -> { }
            case Action.Bind n -> { }
            case Action.Unbind n -> { }
            case Action.Copy c -> { }
            case Action.Mint m -> out.add(new Action.Mint(m.task(), m.src(), m.dst(), m.rights(), 0));
            case Action.Move m -> { }
            case Action.Mutate m -> out.add(new Action.Mutate(m.task(), m.src(), m.dst(), m.rights(), 0));
            case Action.Delete d -> { }
            case Action.Revoke r -> { }
            case Action.CancelBadgedSends c -> { }
            case Action.Exit e -> { }
            case Action.Suspend c -> { }
            case Action.Resume c -> { }
            case Action.ReplyHandle r -> out.add(new Action.ReplyHandle(r.task(), r.handle(), shorter(r.info()), r.mr()));
            case Action.ForwardHandle f -> out.add(new Action.ForwardHandle(f.task(), f.handle(), f.slot(), shorter(f.info()), f.mr()));
            case Action.ReadHandle r -> out.add(new Action.ReadHandle(r.task(), r.handle(), Math.min(r.offset(), 0), r.len()));
            case Action.WriteHandle w -> out.add(new Action.WriteHandle(w.task(), w.handle(), Math.min(w.offset(), 0), w.len(), w.fill()));
            case Action.CallerInfoHandle c -> { }
            case Action.SystemMessages m -> { }
            case Action.Fault f -> { }
            case Action.KillTask k -> { }
            case Action.RestartTask r -> { }
            case Action.TaskInfo i -> { }
            case Action.Retype r -> { }
            case Action.Advance v -> {
                if (v.nanos() > 0) {
                    out.add(new Action.Advance(0));
                    out.add(new Action.Advance(v.nanos() / 2));
                }
            }
            case Action.Interrupt i -> { }
            case Action.Kill k -> { }
            case Action.Tamper m -> { }
        }
        out.removeIf(a::equals);
        return out;
    }

    /** Simpler timeouts than {@code t}, simplest first: none, 0, half; a negative one is left alone (it is the point). */
    private static List<Long> simplerTimeouts(long t) {
        if (t == Action.FOREVER || t < 0) {
            return List.of();
        }
        return t == 0 ? List.of(Action.FOREVER) : List.of(Action.FOREVER, 0L, t / 2);
    }

    /** A legal word keeps its label with length 0; an illegal one is left alone (it is the point). */
    private static long shorter(long info) {
        return MessageInfo.isSendable(info) ? MessageInfo.of(MessageInfo.label(info), 0) : info;
    }
}
