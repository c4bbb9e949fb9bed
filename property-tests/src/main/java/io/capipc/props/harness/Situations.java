package io.capipc.props.harness;

import io.capipc.api.Handles;
import io.capipc.api.MessageInfo;
import io.capipc.api.Reason;
import io.capipc.props.model.Model;
import io.capipc.props.model.Model.Ref;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the {@link Coverage} counters share: the name of each syscall, a run's history (which syscall
 * each blocked task is blocked in, each caller's Call), the derivation tree read off the model, the
 * capabilities queued messages name; and the counters of every refusal and every ending of every
 * syscall, which the refinement property requires. The other counters are in
 * {@link CapabilitySituations} and {@link MessageSituations}.
 */
public final class Situations {
    private Situations() {}

    /** The syscall {@code a} makes, as docs/syscalls.md names it: {@code Reply(h)} is Reply by handle. */
    public static String syscall(Action a) {
        return switch (a) {
            case Action.ReplyHandle x -> "Reply(h)";
            case Action.ForwardHandle x -> "Forward(h)";
            case Action.ReadHandle x -> "Read(h)";
            case Action.WriteHandle x -> "Write(h)";
            case Action.CallerInfoHandle x -> "CallerInfo(h)";
            case Action.Bind x -> "BindNotification";
            case Action.Unbind x -> "UnbindNotification";
            case Action.KillTask x -> "Kill";
            case Action.RestartTask x -> "Restart";
            case Action.TaskInfo x -> "TaskInfo";
            default -> a.getClass().getSimpleName();
        };
    }

    /**
     * What a run did so far that a step alone does not show: the syscall each blocked task is blocked
     * in, and each task's last Call (its buffers' segments, which a server's Read and Write address).
     * A counter that needs it keeps one and calls {@link #after} at the end of each step.
     */
    static final class History {
        private final Map<Integer, Action> blockedIn = new HashMap<>();
        private final Map<Integer, Action.Call> calls = new HashMap<>();

        /** The syscall {@code t} is blocked in, or null. */
        Action blockedIn(int t) {
            return blockedIn.get(t);
        }

        /** {@code t}'s last Call that got under way, or null. */
        Action.Call call(int t) {
            return calls.get(t);
        }

        void after(Check.StepRecord s) {
            for (World.Resumed r : s.resumed()) {
                blockedIn.remove(r.task());
            }
            Action a = s.action();
            blockedIn.remove(Kills.killed(s));
            if (!(a instanceof Action.Driver) && s.kernelStatus() == null) {
                blockedIn.put(a.task(), a);
                if (a instanceof Action.Call c) {
                    calls.put(c.task(), c);
                }
            }
        }
    }

    // ---- The derivation tree, read off the model.

    /** Each capability's children, from the parent links. */
    static Map<Ref, List<Ref>> children(Model m) {
        Map<Ref, List<Ref>> out = new HashMap<>();
        m.caps().forEach((r, c) -> {
            if (c.parent() != null) {
                out.computeIfAbsent(c.parent(), k -> new ArrayList<>()).add(r);
            }
        });
        return out;
    }

    /** Every descendant of {@code root}. */
    static Set<Ref> descendants(Map<Ref, List<Ref>> children, Ref root) {
        Set<Ref> out = new HashSet<>();
        List<Ref> todo = new ArrayList<>(children.getOrDefault(root, List.of()));
        while (!todo.isEmpty()) {
            Ref r = todo.remove(todo.size() - 1);
            if (out.add(r)) {
                todo.addAll(children.getOrDefault(r, List.of()));
            }
        }
        return out;
    }

    /** How many levels of descendants {@code root} has (0: none, 1: children only, 2: grandchildren, ...). */
    static int height(Map<Ref, List<Ref>> children, Ref root) {
        int h = 0;
        for (Ref c : children.getOrDefault(root, List.of())) {
            h = Math.max(h, 1 + height(children, c));
        }
        return h;
    }

    /** The capabilities the messages of queued senders name (docs/semantics.md §2, capabilities in flight), by the slot that holds each. */
    static Set<Ref> inFlight(Model m) {
        Set<Ref> out = new HashSet<>();
        for (int t = 0; t < m.tasks().size(); t++) {
            Model.MTask task = m.task(t);
            if (task.state() == Model.State.BLOCKED_ON_SEND) {
                int n = MessageInfo.caps(task.sendInfo());
                for (int i = 0; i < n; i++) {
                    Ref r = new Ref(m.shape().space(t), m.xfer().get(t).sentCaps().get(i));
                    if (m.caps().containsKey(r)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    /** The slots queued senders sent through. */
    static Set<Ref> sentThrough(Model m) {
        return new HashSet<>(m.sendVia().values());
    }

    /** True if some capability in {@code m} names {@code object}: it exists. */
    static boolean exists(Model m, int object) {
        return m.caps().values().stream().anyMatch(c -> c.object() == object);
    }

    /** The value a handle argument has in {@code m} (the model's history of issued handles). */
    static long handle(Model m, Action.Handle h) {
        return h.nth() < 0 ? h.raw() : m.handle(h.nth());
    }

    /** The entry {@code h} names in {@code t}'s Space in {@code m} as it is, or null. */
    static Model.Entry entry(Model m, int t, Action.Handle h) {
        long v = handle(m, h);
        Model.Entry e = m.entryAt(m.shape().space(t), Handles.slot(v));
        return e != null && e.handle() == v ? e : null;
    }

    // ---- Every refusal, every ending.

    /**
     * Counts each refusal as "syscall: REASON", the reason the kernel left in the IPC buffer
     * (docs/semantics.md §7: the first check that failed).
     */
    public static Supplier<Coverage.Counter> refusals() {
        return () -> (s, cov) -> {
            Action a = s.action();
            if (a instanceof Action.Driver || a instanceof Action.SetCaps || s.kernelStatus() == null) {
                return;
            }
            Reason r = s.world().ipc(a.task()).reason();
            if (r != Reason.NONE) {
                cov.reached(syscall(a) + ": " + r);
            }
        };
    }

    /**
     * Counts each syscall's ending other than a refusal as "syscall -> STATUS": at once, or when the
     * blocked syscall completes, for the syscall it was blocked in.
     */
    public static Supplier<Coverage.Counter> endings() {
        return () -> {
            History history = new History();
            return (s, cov) -> {
                for (World.Resumed r : s.resumed()) {
                    Action in = history.blockedIn(r.task());
                    if (in != null) {
                        cov.reached(syscall(in) + " -> " + r.status());
                    }
                }
                Action a = s.action();
                boolean refused = s.kernelStatus() != null && !(a instanceof Action.Driver)
                        && s.world().ipc(a.task()).reason() != Reason.NONE;
                if (!(a instanceof Action.Driver) && !(a instanceof Action.SetCaps) && s.kernelStatus() != null && !refused) {
                    cov.reached(syscall(a) + " -> " + s.kernelStatus());
                }
                history.after(s);
            };
        };
    }
}
