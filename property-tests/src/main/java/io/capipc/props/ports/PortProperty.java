package io.capipc.props.ports;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.KernelView.EntryView;
import io.capipc.kernel.inspect.KernelView.PortView;
import io.capipc.kernel.inspect.KernelView.SlotView;
import io.capipc.kernel.inspect.KernelView.TaskView;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.Shrinker;
import io.capipc.props.harness.Tally;
import io.capipc.props.ports.AsyncRules.Agent;
import io.capipc.props.ports.AsyncRules.Cap;
import io.capipc.props.ports.AsyncRules.Node;
import io.capipc.props.ports.PortAction.AsyncCall;
import io.capipc.props.ports.PortAction.AsyncSend;
import io.capipc.props.ports.PortAction.Bind;
import io.capipc.props.ports.PortAction.CancelBadgedSends;
import io.capipc.props.ports.PortAction.Copy;
import io.capipc.props.ports.PortAction.Delete;
import io.capipc.props.ports.PortAction.Exit;
import io.capipc.props.ports.PortAction.PortCall;
import io.capipc.props.ports.PortAction.PortInfo;
import io.capipc.props.ports.PortAction.Recv;
import io.capipc.props.ports.PortAction.Reply;
import io.capipc.props.ports.PortAction.Revoke;
import io.capipc.props.ports.PortAction.Send;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Async ports (docs/semantics.md §5.5) as one stateful property: seeded runs of Bind, AsyncSend,
 * AsyncCall, Calls through ports, synchronous Sends on the same endpoint, servers receiving,
 * replying, receiving again without replying and exiting, clients receiving answers, PortInfo, and
 * the faults that lose messages (Revoke of the client's endpoint capability or of the endpoint's
 * root, CancelBadgedSends of the port's badge, Delete of a port, Revoke of a reply endpoint), on the
 * kernel and on {@link AsyncRules} side by side.
 *
 * <p>Each run checks any of four {@link Check}s after every step. {@link Check#REFINEMENT}: every
 * status, every task's state, status, info word, badge, registers, tag and loss count, every
 * endpoint's queue (an entry's carrier named by its port and index), every port's loss count, state
 * and entries (phase, tag, carrier state), and every capability in the world's Space and in the
 * ports' own, agree with the model. The other three look at the kernel alone: {@link Check#CALLS}
 * (guarantee 4 over AsyncCall: tags never repeat, each is answered at most once, and while a tag is
 * unanswered an entry of its port still holds it, unless the port or its reply endpoint capability
 * is gone); {@link Check#ORDER} (guarantee 6: a port's messages reach servers in the order sent, and
 * a Call through the port that returns OK was preceded by the delivery of everything the port sent
 * before it); {@link Check#LOSSES} (guarantee 7: AsyncSend and AsyncCall never block; every message
 * a port accepted is delivered, still queued or counted lost, the delivered ones are the first ones
 * sent, and after a loss the port accepts nothing more, so losses are a suffix).
 *
 * <p>Runs: {@code capipc.props.asyncRuns} (default {@link #RUNS}; {@code capipc.props.runs} when set),
 * {@code capipc.props.steps} (default 60), {@code capipc.props.base}, {@code capipc.props.seed}.
 */
public final class PortProperty {
    private PortProperty() {}

    /** Cases per search by default: enough for every situation minimum and every async bug. */
    public static final int RUNS = 600;

    /** What a run checks. */
    public enum Check { REFINEMENT, CALLS, ORDER, LOSSES }

    /** A shrunk failure. */
    public record Report(long seed, String message, int step, List<PortAction> trace) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("PortProperty failed for seed " + seed + ": " + message + "\n");
            sb.append("minimal trace (").append(trace.size()).append(" actions):\n");
            for (int i = 0; i < trace.size(); i++) {
                sb.append(String.format("  %3d  %s%s%n", i, PortAction.show(trace.get(i)), i == step ? "   <-- here" : ""));
            }
            return sb.append("replay: -Dcapipc.props.seed=").append(seed).toString();
        }
    }

    record Failure(int step, String message, boolean threw) {}

    /** Every situation a run counts, each of which some test requires a minimum of (see the Guarantee tests' async variants). */
    public static final List<String> SITUATIONS = List.of(
            "async send delivered to a waiting server", "async message taken from the queue",
            "async call answered by a reply", "async call answered NO_REPLY", "async call answered PEER_DIED",
            "async call answered REVOKED", "answer handed to a waiting client", "port full (WOULD_BLOCK)",
            "loss by Revoke of the client's capability", "loss by Revoke of the endpoint's root", "loss by CancelBadgedSends",
            "loss of more than one message", "refused after a loss (REVOKED)", "barrier Call returned OK after queued messages",
            "sync Send taken with an async message queued behind it", "AsyncCall refused: reply endpoint gone",
            "port destroyed with entries in use", "server left a cancelled async context");

    /** Runs the property with {@code checks} over {@link #RUNS} cases; the first failure, shrunk. */
    public static Optional<Report> find(InjectedBugs bugs, Tally coverage, Set<Check> checks) {
        return find(bugs, coverage, checks, RUNS);
    }

    /**
     * Runs the property with {@code checks} over {@code cases} cases, or as many as
     * {@code capipc.props.asyncRuns} or else {@code capipc.props.runs} says; the first failure, shrunk.
     */
    public static Optional<Report> find(InjectedBugs bugs, Tally coverage, Set<Check> checks, int cases) {
        Long only = Long.getLong("capipc.props.seed");
        Integer suite = Integer.getInteger("capipc.props.runs");
        int runs = only != null ? 1 : Integer.getInteger("capipc.props.asyncRuns", suite != null ? suite : cases);
        long base = only != null ? only : Long.getLong("capipc.props.base", 1L);
        int steps = Integer.getInteger("capipc.props.steps", 60);
        for (int r = 0; r < runs; r++) {
            long seed = base + r;
            List<PortAction> actions = generate(seed, steps);
            Failure f = run(actions, bugs, coverage, checks);
            if (counts(f, bugs)) {
                List<PortAction> minimal = Shrinker.dropChunks(actions, as -> counts(run(as, bugs, new Tally(), checks), bugs));
                Failure last = Objects.requireNonNull(run(minimal, bugs, new Tally(), checks));
                return Optional.of(new Report(seed, last.message(), last.step(), minimal));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a search of {@code cases} cases runs in full (not one replayed seed, not fewer cases or
     * steps): only then must situations reach their minimums.
     */
    public static boolean fullRun(int cases) {
        return Property.fullRun() && Integer.getInteger("capipc.props.asyncRuns", cases) >= cases;
    }

    private static boolean counts(@Nullable Failure f, InjectedBugs bugs) {
        return f != null && !(f.threw() && bugs != InjectedBugs.NONE);
    }

    // ---- generation

    static List<PortAction> generate(long seed, int steps) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<PortAction> out = new ArrayList<>();
        long[] mr = {1};
        while (out.size() < steps) {
            if (rnd.nextInt(100) < 35) {
                out.addAll(template(rnd, mr));
            } else {
                out.add(action(rnd, mr));
            }
        }
        return List.copyOf(out.subList(0, steps));
    }

    private static int client(SplittableRandom rnd) {
        return PortWorld.CLIENTS[rnd.nextInt(2)];
    }

    private static int server(SplittableRandom rnd) {
        return PortWorld.SERVERS[rnd.nextInt(2)];
    }

    private static int port(SplittableRandom rnd) {
        return PortWorld.PORT_SLOTS[rnd.nextInt(2)];
    }

    private static PortAction asyncSend(SplittableRandom rnd, long[] mr, int c, int p) {
        return new AsyncSend(c, p, rnd.nextInt(4), 1 + rnd.nextInt(2), mr[0]++);
    }

    private static PortAction asyncCall(SplittableRandom rnd, long[] mr, int c, int p) {
        return new AsyncCall(c, p, rnd.nextInt(4), 1 + rnd.nextInt(2), mr[0]++);
    }

    private static PortAction reply(SplittableRandom rnd, long[] mr, int s) {
        return new Reply(s, rnd.nextInt(4), 1 + rnd.nextInt(2), mr[0]++);
    }

    private static PortAction clientRecv(SplittableRandom rnd, int c, int p) {
        int reply = p == PortWorld.PORT_SLOTS[0] ? PortWorld.REPLY_SLOTS[0] : PortWorld.REPLY_SLOTS[1];
        return new Recv(c, reply, rnd.nextInt(3) > 0);
    }

    private static PortAction action(SplittableRandom rnd, long[] mr) {
        int w = rnd.nextInt(100);
        int c = client(rnd);
        int p = port(rnd);
        int s = server(rnd);
        if (w < 8) {
            return new Bind(c, rnd.nextInt(4) == 0 ? PortWorld.SPARE_EP : PortWorld.CLIENT_EP, 1 + rnd.nextInt(3), p);
        } else if (w < 26) {
            return asyncSend(rnd, mr, c, p);
        } else if (w < 36) {
            return asyncCall(rnd, mr, c, p);
        } else if (w < 40) {
            return new PortCall(c, p, rnd.nextInt(4), 1 + rnd.nextInt(2), mr[0]++);
        } else if (w < 44) {
            return new Send(PortWorld.SENDER, rnd.nextInt(4), 1 + rnd.nextInt(2), mr[0]++);
        } else if (w < 60) {
            return new Recv(s, PortWorld.ENDPOINT, rnd.nextInt(4) > 0);
        } else if (w < 69) {
            return reply(rnd, mr, s);
        } else if (w < 77) {
            return clientRecv(rnd, c, p);
        } else if (w < 79) {
            return new PortInfo(c, p);
        } else if (w < 82) {
            return new Copy(c, PortWorld.CLIENT_EP, PortWorld.SPARE_EP);
        } else if (w < 87) {
            int[] slots = {PortWorld.SPARE_EP, p, p, PortWorld.CLIENT_EP};
            return new Delete(c, slots[rnd.nextInt(slots.length)]);
        } else if (w < 93) {
            int[] slots = {PortWorld.CLIENT_EP, PortWorld.CLIENT_EP, PortWorld.SPARE_EP, PortWorld.REPLY_SLOTS[rnd.nextInt(2)],
                    PortWorld.ENDPOINT};
            return new Revoke(rnd.nextInt(5) == 0 ? s : c, slots[rnd.nextInt(slots.length)]);
        } else if (w < 98) {
            return new CancelBadgedSends(s, PortWorld.CLIENT_EP);
        } else {
            return new Exit(s);
        }
    }

    /**
     * Short scenarios random actions reach too rarely: a port filled, then messages lost to one of the
     * faults; a barrier Call behind queued messages; an AsyncCall left unanswered (the server receives
     * again) or whose server exits; async messages interleaved with a synchronous sender; a port
     * deleted with entries in use.
     */
    private static List<PortAction> template(SplittableRandom rnd, long[] mr) {
        int c = client(rnd);
        int p = port(rnd);
        int s = server(rnd);
        int cap = 1 + rnd.nextInt(3);
        List<PortAction> out = new ArrayList<>();
        out.add(new Delete(c, p));
        out.add(new Bind(c, rnd.nextBoolean() ? PortWorld.CLIENT_EP : PortWorld.SPARE_EP, cap, p));
        int k = rnd.nextInt(8);
        switch (k == 7 ? 1 : k) {
            case 0 -> {
                for (int i = 0; i <= cap; i++) {
                    out.add(rnd.nextBoolean() ? asyncSend(rnd, mr, c, p) : asyncCall(rnd, mr, c, p));
                }
                out.add(switch (rnd.nextInt(3)) {
                    case 0 -> new Revoke(c, PortWorld.CLIENT_EP);
                    case 1 -> new CancelBadgedSends(s, PortWorld.CLIENT_EP);
                    default -> new Revoke(s, PortWorld.ENDPOINT);
                });
                out.add(asyncSend(rnd, mr, c, p));
                out.add(clientRecv(rnd, c, p));
            }
            case 1 -> {
                if (rnd.nextBoolean()) {
                    out.add(new Recv(s, PortWorld.ENDPOINT, true));
                }
                out.add(asyncSend(rnd, mr, c, p));
                out.add(asyncSend(rnd, mr, c, p));
                out.add(new PortCall(c, p, 1, 1, mr[0]++));
                for (int i = 0; i < 3; i++) {
                    out.add(new Recv(s, PortWorld.ENDPOINT, true));
                    if (rnd.nextInt(3) == 0) {
                        out.add(new Send(PortWorld.SENDER, 2, 1, mr[0]++));
                    }
                }
                out.add(reply(rnd, mr, s));
            }
            case 2 -> {
                out.add(asyncCall(rnd, mr, c, p));
                out.add(new Recv(s, PortWorld.ENDPOINT, true));
                out.add(rnd.nextBoolean() ? new Recv(s, PortWorld.ENDPOINT, rnd.nextBoolean()) : new Exit(s));
                out.add(clientRecv(rnd, c, p));
            }
            case 3 -> {
                int other = c == PortWorld.CLIENTS[0] ? PortWorld.CLIENTS[1] : PortWorld.CLIENTS[0];
                out.add(clientRecv(rnd, other, p));
                out.add(asyncCall(rnd, mr, c, p));
                out.add(asyncCall(rnd, mr, c, p));
                out.add(new Recv(s, PortWorld.ENDPOINT, true));
                out.add(reply(rnd, mr, s));
                out.add(new Recv(s, PortWorld.ENDPOINT, rnd.nextBoolean()));
                out.add(reply(rnd, mr, s));
                out.add(clientRecv(rnd, c, p));
            }
            case 4 -> {
                out.add(asyncSend(rnd, mr, c, p));
                out.add(new Send(PortWorld.SENDER, 2, 1, mr[0]++));
                out.add(asyncSend(rnd, mr, c, p));
                out.add(new Recv(s, PortWorld.ENDPOINT, true));
                out.add(new Recv(s, PortWorld.ENDPOINT, true));
            }
            case 5 -> {
                out.add(asyncCall(rnd, mr, c, p));
                out.add(asyncSend(rnd, mr, c, p));
                out.add(new Recv(s, PortWorld.ENDPOINT, true));
                out.add(new Delete(c, p));
                out.add(reply(rnd, mr, s));
            }
            default -> {
                out.add(asyncCall(rnd, mr, c, p));
                out.add(new Revoke(c, PortWorld.REPLY_SLOTS[p == PortWorld.PORT_SLOTS[0] ? 0 : 1]));
                out.add(asyncCall(rnd, mr, c, p));
                out.add(new Recv(s, PortWorld.ENDPOINT, true));
                out.add(reply(rnd, mr, s));
            }
        }
        return out;
    }

    // ---- running

    /** Runs {@code actions} on a fresh kernel and model; the first failure, or null. */
    static @Nullable Failure run(List<PortAction> actions, InjectedBugs bugs, Tally coverage, Set<Check> checks) {
        PortWorld w = new PortWorld(bugs);
        AsyncRules m = new AsyncRules();
        Ledger l = new Ledger(w);
        boolean modelOk = true;
        for (int i = 0; i < actions.size(); i++) {
            PortAction a = actions.get(i);
            try {
                KernelView before = w.kernel.inspect();
                boolean kernelRunning = before.task(w.tasks[a.task()].id()).state() == TaskState.RUNNING;
                boolean modelRunning = !modelOk || m.tasks.get(a.task()).state == AsyncRules.State.RUNNING;
                if (!kernelRunning || !modelRunning) {
                    if (checks.contains(Check.REFINEMENT) && kernelRunning != modelRunning) {
                        return new Failure(i, "t" + a.task() + " running: model " + modelRunning + ", kernel " + kernelRunning, false);
                    }
                    continue;
                }
                Outcome o = kernel(w, a);
                KernelView after = w.kernel.inspect();
                l.bound(a, o, after);
                String problem = null;
                if (modelOk) {
                    try {
                        @Nullable Status st = model(m, a);
                        if (checks.contains(Check.REFINEMENT)) {
                            Outcome expected = st == null ? Outcome.BLOCKED : Outcome.of(st);
                            problem = expected == o ? compare(w, m, l, after) : "status: model " + expected + ", kernel " + o;
                        }
                    } catch (RuntimeException | AssertionError e) {
                        if (checks.contains(Check.REFINEMENT)) {
                            throw e;
                        }
                        modelOk = false;
                    }
                }
                if (problem == null) {
                    problem = l.observe(a, o, before, after, coverage, checks);
                }
                if (problem == null && bugs == InjectedBugs.NONE) {
                    List<String> broken = w.kernel.invariantViolations();
                    problem = broken.isEmpty() ? null : "kernel invariants: " + broken;
                }
                if (problem != null) {
                    return new Failure(i, problem, false);
                }
            } catch (RuntimeException | AssertionError e) {
                return new Failure(i, "the kernel threw " + e, true);
            }
        }
        return null;
    }

    private static int replySlotOf(int portSlot) {
        return portSlot == PortWorld.PORT_SLOTS[0] ? PortWorld.REPLY_SLOTS[0] : PortWorld.REPLY_SLOTS[1];
    }

    private static TaskHandle registers(PortWorld w, int t, long mr) {
        IpcBuffer ipc = w.d.ipc(w.tasks[t]);
        for (int i = 0; i < 64; i++) {
            ipc.setMr(i, mr * 100 + i);
        }
        return w.tasks[t];
    }

    private static Outcome kernel(PortWorld w, PortAction a) {
        TaskHandle t = w.tasks[a.task()];
        return switch (a) {
            case Bind b -> w.d.bind(t, b.ep(), replySlotOf(b.dst()), b.capacity(), b.dst());
            case AsyncSend s -> w.d.asyncSend(registers(w, s.task(), s.mr()), s.port(), MessageInfo.of(s.label(), s.len()));
            case AsyncCall s -> w.d.asyncCall(registers(w, s.task(), s.mr()), s.port(), MessageInfo.of(s.label(), s.len()));
            case PortCall s -> w.d.call(registers(w, s.task(), s.mr()), s.port(), MessageInfo.of(s.label(), s.len()));
            case Send s -> w.d.send(registers(w, s.task(), s.mr()), PortWorld.SYNC, MessageInfo.of(s.label(), s.len()));
            case Recv r -> r.blocking() ? w.d.recv(t, r.slot()) : w.d.nbRecv(t, r.slot());
            case Reply r -> w.d.reply(registers(w, r.task(), r.mr()), MessageInfo.of(r.label(), r.len()));
            case Exit e -> w.d.exit(t);
            case PortInfo p -> w.d.portInfo(t, p.port());
            case Copy c -> w.d.copy(t, c.src(), c.dst(), Rights.ALL);
            case Delete d -> w.d.delete(t, d.slot());
            case Revoke r -> w.d.revoke(t, r.slot());
            case CancelBadgedSends c -> w.d.cancelBadgedSends(t, c.slot());
        };
    }

    private static @Nullable Status model(AsyncRules m, PortAction a) {
        int t = a.task();
        Status st = switch (a) {
            case Bind b -> m.bind(t, b.ep(), b.capacity(), b.dst());
            case AsyncSend s -> {
                m.setRegisters(t, s.mr());
                yield m.asyncSend(t, s.port(), MessageInfo.of(s.label(), s.len()), false);
            }
            case AsyncCall s -> {
                m.setRegisters(t, s.mr());
                yield m.asyncSend(t, s.port(), MessageInfo.of(s.label(), s.len()), true);
            }
            case PortCall s -> {
                m.setRegisters(t, s.mr());
                yield m.portCall(t, s.port(), MessageInfo.of(s.label(), s.len()));
            }
            case Send s -> {
                m.setRegisters(t, s.mr());
                yield m.send(t, PortWorld.SYNC, MessageInfo.of(s.label(), s.len()));
            }
            case Recv r -> m.recv(t, r.slot(), r.blocking());
            case Reply r -> {
                m.setRegisters(t, r.mr());
                yield m.reply(t, MessageInfo.of(r.label(), r.len()));
            }
            case Exit e -> m.exit(t);
            case PortInfo p -> m.portInfo(t, p.port());
            case Copy c -> m.copy(c.src(), c.dst());
            case Delete d -> m.delete(d.slot());
            case Revoke r -> m.revoke(r.slot());
            case CancelBadgedSends c -> m.cancelBadgedSends(c.slot());
        };
        if (st != null) {
            m.tasks.get(t).status = st;
        }
        return st;
    }

    // ---- refinement: the kernel in the model's terms

    private static @Nullable String compare(PortWorld w, AsyncRules m, Ledger l, KernelView v) {
        List<String> out = new ArrayList<>();
        Map<Integer, Integer> who = l.agents(v);
        for (int t = 0; t < PortWorld.TASKS; t++) {
            Agent a = m.tasks.get(t);
            TaskView k = v.task(w.tasks[t].id());
            IpcBuffer ipc = w.d.ipc(w.tasks[t]);
            String p = "t" + t + " ";
            same(p + "state", a.state.name(), k.state().name(), out);
            same(p + "blocked on", a.blockedOn, l.object(k.blockedOn()), out);
            same(p + "status", a.status, ipc.status(), out);
            same(p + "info", MessageInfo.toString(a.info), MessageInfo.toString(ipc.info()), out);
            same(p + "badge", a.badge, ipc.badge(), out);
            same(p + "MR0, MR1", List.of(a.mr0, a.mr1), List.of(ipc.mr(0), ipc.mr(1)), out);
            same(p + "tag", a.tag, ipc.tag(), out);
            same(p + "lost", a.lost, ipc.lost(), out);
            int holds = k.holdsContextOf() < 0 ? AsyncRules.NONE : who.getOrDefault(k.holdsContextOf(), -99);
            same(p + "holds (context of, cancelled)", List.of(a.holds >= 0 ? a.holds : AsyncRules.NONE, a.holds == AsyncRules.CANCELLED),
                    List.of(holds, k.holdsCancelled()), out);
        }
        for (int e = 0; e < m.eps.size(); e++) {
            AsyncRules.Ep ep = m.eps.get(e);
            KernelView.EndpointView ev = v.endpoint(w.endpoints[e].id());
            List<Integer> queued = ev.queued().stream().map(id -> who.getOrDefault(id, -99)).toList();
            same("endpoint " + e, ep.kind + ep.queue + (ep.destroyed ? " destroyed" : ""),
                    ev.queue().name() + queued + (ev.destroyed() ? " destroyed" : ""), out);
        }
        for (int p = 0; p < m.ports.size(); p++) {
            AsyncRules.Port port = m.ports.get(p);
            PortView pv = l.port(v, p);
            if (pv == null) {
                if (!port.destroyed) {
                    out.add("port " + p + ": the kernel has no such port");
                }
                continue;
            }
            same("port " + p + " lost", port.lost, pv.lost(), out);
            same("port " + p + " destroyed", port.destroyed, pv.destroyed(), out);
            if (!port.destroyed) {
                same("port " + p + " revoked", m.revoked(p), pv.revoked(), out);
                List<String> entries = new ArrayList<>();
                List<String> kernelEntries = new ArrayList<>();
                for (int i = 0; i < port.entries.size(); i++) {
                    AsyncRules.Entry en = port.entries.get(i);
                    Agent c = Objects.requireNonNull(m.carriers.get(AsyncRules.carrier(p, i)));
                    entries.add(en.phase + " tag " + en.tag + " " + c.state + " on " + c.blockedOn);
                    EntryView ke = pv.entries().get(i);
                    kernelEntries.add(ke.phase() + " tag " + ke.tag() + " " + ke.state() + " on " + l.object(ke.blockedOn()));
                }
                same("port " + p + " entries", entries, kernelEntries, out);
                same("port " + p + " slots", portSlots(m, p), kernelSlots(l, pv.slots(), v), out);
            }
        }
        Map<Integer, String> model = new HashMap<>();
        for (Map.Entry<Node, Cap> e : m.caps.entrySet()) {
            if (e.getKey().space() == 0) {
                model.put(e.getKey().slot(), show(e.getValue()));
            }
        }
        KernelView.SpaceView sv = v.space(w.space.id());
        same("capabilities", model, kernelSlots(l, sv.slots(), v), out);
        return out.isEmpty() ? null : String.join("; ", out);
    }

    private static Map<Integer, String> portSlots(AsyncRules m, int p) {
        Map<Integer, String> out = new HashMap<>();
        for (int s = 0; s < 2; s++) {
            Cap c = m.caps.get(new Node(1 + p, s));
            if (c != null) {
                out.put(s, show(c));
            }
        }
        return out;
    }

    private static String show(Cap c) {
        Node parent = c.parent();
        return "obj " + c.obj() + " rights " + c.rights() + " badge " + c.badge() + " parent " + (parent == null ? "-" : parent.slot());
    }

    private static Map<Integer, String> kernelSlots(Ledger l, List<SlotView> slots, KernelView v) {
        Map<Integer, String> out = new HashMap<>();
        for (SlotView s : slots) {
            if (s.index() >= 2 && s.type() != io.capipc.api.ObjectType.ENDPOINT && s.type() != io.capipc.api.ObjectType.ASYNC_PORT) {
                continue;
            }
            String parent = s.parentSpace() < 0 ? "-" : String.valueOf(s.parentSlot());
            out.put(s.index(), "obj " + l.object(s.objectId()) + " rights " + s.rights() + " badge " + s.badge() + " parent " + parent);
        }
        return out;
    }

    private static void same(String what, Object model, Object kernel, List<String> out) {
        if (!Objects.equals(model, kernel)) {
            out.add(what + ": model " + model + ", kernel " + kernel);
        }
    }

    // ---- the kernel's own record, for the guarantee checks

    /** What the kernel did, as its users and views see it: each port's accepted messages, deliveries and answers. */
    static final class Ledger {
        private final PortWorld w;
        /** Kernel port ids, by the model's port number (the order Binds succeeded). */
        final List<Integer> portIds = new ArrayList<>();
        final List<Log> logs = new ArrayList<>();
        /** The port bound in each port slot now (-1: none). */
        final int[] current = {-1, -1};
        /** A client's Call through a port still pending: the port and how many messages it had accepted before. */
        final Map<Integer, int[]> pendingCalls = new HashMap<>();

        static final class Log {
            final List<Long> sent = new ArrayList<>();
            final List<Long> delivered = new ArrayList<>();
            final Set<Long> tags = new HashSet<>();
            final Set<Long> outstanding = new HashSet<>();
            boolean lossSeen;
        }

        Ledger(PortWorld w) {
            this.w = w;
        }

        /** The model's object number of a kernel object id: endpoints 0..2, ports 10 + p; -1 for none. */
        int object(int id) {
            if (id < 0) {
                return -1;
            }
            for (int e = 0; e < w.endpoints.length; e++) {
                if (w.endpoints[e].id() == id) {
                    return e;
                }
            }
            int p = portIds.indexOf(id);
            return p >= 0 ? 10 + p : -100 - id;
        }

        @Nullable PortView port(KernelView v, int p) {
            for (PortView pv : v.ports()) {
                if (pv.id() == portIds.get(p)) {
                    return pv;
                }
            }
            return null;
        }

        /** Kernel task ids to the model's agents: tasks by number, carriers as {@link AsyncRules#carrier}. */
        Map<Integer, Integer> agents(KernelView v) {
            Map<Integer, Integer> out = new HashMap<>();
            for (int t = 0; t < PortWorld.TASKS; t++) {
                out.put(w.tasks[t].id(), t);
            }
            for (int p = 0; p < portIds.size(); p++) {
                PortView pv = port(v, p);
                if (pv != null) {
                    for (EntryView e : pv.entries()) {
                        out.put(e.carrier(), AsyncRules.carrier(p, e.index()));
                    }
                }
            }
            return out;
        }

        private static int slotIndex(int portSlot) {
            return portSlot == PortWorld.PORT_SLOTS[0] ? 0 : 1;
        }

        /** A Bind that succeeded on the kernel: its port is the model's next. */
        void bound(PortAction a, Outcome o, KernelView after) {
            if (a instanceof Bind b && o == Outcome.OK) {
                int id = after.space(w.space.id()).slots().stream().filter(s -> s.index() == b.dst()).findFirst()
                        .orElseThrow().objectId();
                portIds.add(id);
                logs.add(new Log());
                current[slotIndex(b.dst())] = portIds.size() - 1;
            }
        }

        /** Records one step and checks the guarantees selected; a broken one, or null. */
        @Nullable String observe(PortAction a, Outcome o, KernelView before, KernelView after, Tally cov, Set<Check> checks) {
            List<String> out = new ArrayList<>();
            int t = a.task();
            boolean lossBefore = totalLost(before) > 0;
            switch (a) {
                case AsyncSend s -> sent(s.port(), s.mr(), o, false, t, before, after, cov, checks, out);
                case AsyncCall s -> sent(s.port(), s.mr(), o, true, t, before, after, cov, checks, out);
                case PortCall s -> {
                    int p = current[slotIndex(s.port())];
                    if (p >= 0 && o != Outcome.REVOKED && o != Outcome.INVALID_CAPABILITY) {
                        Log log = logs.get(p);
                        if (checks.contains(Check.LOSSES) && log.lossSeen) {
                            out.add("a Call through port " + p + " was accepted after it lost messages: a gap");
                        }
                        pendingCalls.put(t, new int[] {p, log.sent.size(), log.delivered.size()});
                    }
                }
                case Delete d -> {
                    for (int k = 0; k < 2; k++) {
                        if (d.slot() == PortWorld.PORT_SLOTS[k] && current[k] >= 0) {
                            PortView pv = port(before, current[k]);
                            if (pv != null && pv.entries().stream().anyMatch(e -> !e.phase().equals("FREE"))) {
                                cov.count("port destroyed with entries in use");
                            }
                            current[k] = -1;
                        }
                    }
                }
                default -> { }
            }
            deliveries(a, o, before, after, cov, checks, out);
            answers(a, o, before, after, cov, checks, out);
            barrier(before, after, cov, checks, out);
            losses(a, before, after, lossBefore, cov, checks, out);
            for (int s : PortWorld.SERVERS) {
                if (a instanceof Delete && after.task(w.tasks[s].id()).holdsCancelled() && !before.task(w.tasks[s].id()).holdsCancelled()) {
                    cov.count("server left a cancelled async context");
                }
            }
            return out.isEmpty() ? null : String.join("; ", out);
        }

        private void sent(int portSlot, long mr, Outcome o, boolean call, int t, KernelView before, KernelView after, Tally cov,
                          Set<Check> checks, List<String> out) {
            int p = current[slotIndex(portSlot)];
            IpcBuffer ipc = w.d.ipc(w.tasks[t]);
            if (checks.contains(Check.LOSSES) && (o == Outcome.BLOCKED || after.task(w.tasks[t].id()).state() != TaskState.RUNNING)) {
                out.add((call ? "AsyncCall" : "AsyncSend") + " blocked its sender (" + o + ")");
            }
            if (o == Outcome.WOULD_BLOCK) {
                cov.count("port full (WOULD_BLOCK)");
            }
            if (o == Outcome.REVOKED && p >= 0) {
                PortView pv = port(before, p);
                if (pv != null && pv.lost() > 0) {
                    cov.count("refused after a loss (REVOKED)");
                } else if (call && pv != null && !pv.revoked() && pv.replyEndpoint() < 0) {
                    cov.count("AsyncCall refused: reply endpoint gone");
                }
            }
            if (p < 0 || o != Outcome.OK) {
                return;
            }
            Log log = logs.get(p);
            if (checks.contains(Check.LOSSES) && log.lossSeen) {
                out.add("port " + p + " accepted message mr=" + mr + " after it lost messages: a gap");
            }
            log.sent.add(mr);
            if (call) {
                long tag = ipc.tag();
                if (checks.contains(Check.CALLS) && !log.tags.add(tag)) {
                    out.add("port " + p + " repeated tag " + tag);
                }
                log.outstanding.add(tag);
            }
        }

        /** Which port sent the message with registers seeded {@code mr}, or -1. */
        private int senderOf(long mr) {
            for (int p = 0; p < logs.size(); p++) {
                if (logs.get(p).sent.contains(mr)) {
                    return p;
                }
            }
            return -1;
        }

        /** Tasks that received during this step: the actor's Recv that returned OK, and receivers woken with OK. */
        private List<Integer> receivers(PortAction a, Outcome o, KernelView before, KernelView after) {
            List<Integer> out = new ArrayList<>();
            for (int t = 0; t < PortWorld.TASKS; t++) {
                TaskView b = before.task(w.tasks[t].id());
                TaskView k = after.task(w.tasks[t].id());
                boolean own = a.task() == t && a instanceof Recv && o == Outcome.OK;
                boolean woken = b.state() == TaskState.BLOCKED_ON_RECEIVE && k.state() == TaskState.RUNNING
                        && w.d.ipc(w.tasks[t]).status() == Status.OK;
                if (own || woken) {
                    out.add(t);
                }
            }
            return out;
        }

        private void deliveries(PortAction a, Outcome o, KernelView before, KernelView after, Tally cov, Set<Check> checks,
                                List<String> out) {
            for (int t : receivers(a, o, before, after)) {
                if (!PortWorld.isServer(t)) {
                    continue;
                }
                IpcBuffer ipc = w.d.ipc(w.tasks[t]);
                long info = ipc.info();
                long mr = ipc.mr(0) / 100;
                if (!MessageInfo.isAsync(info)) {
                    if (ipc.badge() == PortWorld.SYNC_BADGE && queuedCarrier(before, true)) {
                        cov.count("sync Send taken with an async message queued behind it");
                    }
                    continue;
                }
                int p = senderOf(mr);
                if (p < 0) {
                    if (checks.contains(Check.ORDER) || checks.contains(Check.LOSSES)) {
                        out.add("t" + t + " received an async message nobody sent (MR0 " + ipc.mr(0) + ")");
                    }
                    continue;
                }
                Log log = logs.get(p);
                cov.count(a.task() == t ? "async message taken from the queue" : "async send delivered to a waiting server");
                if (checks.contains(Check.ORDER) && log.delivered.contains(mr)) {
                    out.add("port " + p + "'s message mr=" + mr + " delivered twice");
                }
                int index = log.sent.indexOf(mr);
                if (checks.contains(Check.ORDER) && !log.delivered.isEmpty() && log.sent.indexOf(log.delivered.getLast()) > index) {
                    out.add("port " + p + " delivered mr=" + mr + " after mr=" + log.delivered.getLast() + ", sent later");
                }
                log.delivered.add(mr);
            }
        }

        /** True if a carrier waits in the endpoint's queue, behind a task when {@code behindATask}. */
        private boolean queuedCarrier(KernelView v, boolean behindATask) {
            Map<Integer, Integer> who = agents(v);
            boolean task = !behindATask;
            for (int id : v.endpoint(w.endpoints[0].id()).queued()) {
                Integer x = who.get(id);
                if (x != null && !AsyncRules.isCarrier(x)) {
                    task = true;
                } else if (x != null && task) {
                    return true;
                }
            }
            return false;
        }

        private void answers(PortAction a, Outcome o, KernelView before, KernelView after, Tally cov, Set<Check> checks,
                             List<String> out) {
            for (int t : receivers(a, o, before, after)) {
                if (PortWorld.isServer(t) || t == PortWorld.SENDER) {
                    continue;
                }
                IpcBuffer ipc = w.d.ipc(w.tasks[t]);
                long info = ipc.info();
                if (MessageInfo.kind(info) != Kind.REPLY || !MessageInfo.isAsync(info)) {
                    continue;
                }
                int replyObj = a.task() == t && a instanceof Recv r ? object(slotObject(before, r.slot()))
                        : object(before.task(w.tasks[t].id()).blockedOn());
                int p = replyObj >= 1 && replyObj <= 2 ? current[replyObj - 1] : -1;
                if (a.task() != t) {
                    cov.count("answer handed to a waiting client");
                }
                long tag = ipc.badge();
                String what = MessageInfo.isSystem(info) ? Status.values()[MessageInfo.label(info)].name() : "a reply";
                cov.count("async call answered " + (MessageInfo.isSystem(info) ? what : "by a reply"));
                if (checks.contains(Check.CALLS) && (p < 0 || !logs.get(p).outstanding.remove(tag))) {
                    out.add("t" + t + " received " + what + " for tag " + tag + " of port " + p + ", which had no unanswered AsyncCall with it");
                }
            }
            if (!checks.contains(Check.CALLS)) {
                return;
            }
            Set<Integer> holders = new HashSet<>();
            after.tasks().forEach(k -> holders.add(k.holdsContextOf()));
            for (int p = 0; p < logs.size(); p++) {
                PortView pv = port(after, p);
                for (EntryView e : pv == null ? List.<EntryView>of() : pv.entries()) {
                    if (e.state() == TaskState.BLOCKED_ON_REPLY && !holders.contains(e.carrier())) {
                        out.add("port " + p + "'s AsyncCall tag " + e.tag() + " waits for a reply from a context nobody holds");
                    }
                }
            }
            for (int p = 0; p < logs.size(); p++) {
                PortView pv = port(after, p);
                if (pv == null || pv.destroyed() || pv.replyEndpoint() < 0) {
                    logs.get(p).outstanding.clear();
                    continue;
                }
                for (long tag : logs.get(p).outstanding) {
                    boolean held = pv.entries().stream().anyMatch(e -> !e.phase().equals("FREE") && e.tag() == tag);
                    if (!held) {
                        out.add("port " + p + "'s AsyncCall tag " + tag + " ended without a reply or an error message");
                    }
                }
            }
        }

        private int slotObject(KernelView v, int slot) {
            return v.space(w.space.id()).slots().stream().filter(s -> s.index() == slot).mapToInt(SlotView::objectId).findFirst()
                    .orElse(-1);
        }

        private void barrier(KernelView before, KernelView after, Tally cov, Set<Check> checks, List<String> out) {
            for (Map.Entry<Integer, int[]> e : List.copyOf(pendingCalls.entrySet())) {
                int t = e.getKey();
                if (after.task(w.tasks[t].id()).state() != TaskState.RUNNING) {
                    continue;
                }
                pendingCalls.remove(t);
                if (w.d.ipc(w.tasks[t]).status() != Status.OK) {
                    continue;
                }
                Log log = logs.get(e.getValue()[0]);
                int earlier = e.getValue()[1];
                if (earlier > e.getValue()[2]) {
                    cov.count("barrier Call returned OK after queued messages");
                }
                for (long mr : log.sent.subList(0, earlier)) {
                    if (checks.contains(Check.ORDER) && !log.delivered.contains(mr)) {
                        out.add("t" + t + "'s Call through port " + e.getValue()[0] + " returned OK before mr=" + mr
                                + ", sent earlier, was delivered");
                    }
                }
            }
        }

        private static long totalLost(KernelView v) {
            return v.ports().stream().mapToLong(PortView::lost).sum();
        }

        private void losses(PortAction a, KernelView before, KernelView after, boolean lossBefore, Tally cov, Set<Check> checks,
                            List<String> out) {
            for (int p = 0; p < logs.size(); p++) {
                PortView pb = port(before, p);
                PortView pv = port(after, p);
                Log log = logs.get(p);
                if (pv == null || pv.destroyed()) {
                    continue;
                }
                long was = pb == null ? 0 : pb.lost();
                if (pv.lost() > was) {
                    String how = switch (a) {
                        case Revoke r when r.slot() == PortWorld.ENDPOINT -> "loss by Revoke of the endpoint's root";
                        case Revoke r -> "loss by Revoke of the client's capability";
                        case CancelBadgedSends c -> "loss by CancelBadgedSends";
                        default -> "loss by " + a.getClass().getSimpleName();
                    };
                    cov.count(how);
                    if (pv.lost() - was > 1) {
                        cov.count("loss of more than one message");
                    }
                }
                if (pv.lost() > 0) {
                    log.lossSeen = true;
                }
                if (!checks.contains(Check.LOSSES)) {
                    continue;
                }
                int endpoint = w.endpoints[0].id();
                long queued = pv.entries().stream()
                        .filter(e -> e.state() == TaskState.BLOCKED_ON_SEND && e.blockedOn() == endpoint).count();
                int d = log.delivered.size();
                if (log.sent.size() != d + queued + pv.lost()) {
                    out.add("port " + p + " accepted " + log.sent.size() + " messages but delivered " + d + ", has " + queued
                            + " queued and counts " + pv.lost() + " lost");
                }
                if (!log.sent.subList(0, Math.min(d, log.sent.size())).containsAll(log.delivered)) {
                    out.add("port " + p + " delivered " + log.delivered + " of " + log.sent + ": not the first ones sent");
                }
            }
        }
    }

    /** Every check. */
    public static Set<Check> all() {
        return EnumSet.allOf(Check.class);
    }
}
