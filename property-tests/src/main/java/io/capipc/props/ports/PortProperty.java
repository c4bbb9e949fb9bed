package io.capipc.props.ports;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.Shrinker;
import io.capipc.props.harness.Tally;
import io.capipc.props.ports.PortAction.AsyncCall;
import io.capipc.props.ports.PortAction.AsyncSend;
import io.capipc.props.ports.PortAction.Bind;
import io.capipc.props.ports.PortAction.CancelBadgedSends;
import io.capipc.props.ports.PortAction.Copy;
import io.capipc.props.ports.PortAction.Delete;
import io.capipc.props.ports.PortAction.Exit;
import io.capipc.props.ports.PortAction.Mint;
import io.capipc.props.ports.PortAction.PortCall;
import io.capipc.props.ports.PortAction.PortInfo;
import io.capipc.props.ports.PortAction.Recv;
import io.capipc.props.ports.PortAction.Reply;
import io.capipc.props.ports.PortAction.Revoke;
import io.capipc.props.ports.PortAction.Send;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
            "port destroyed with entries in use", "server left a cancelled async context",
            "Recv dropped a held AsyncCall and took an answer at once", "async message carried a capability",
            "capability arrived unwrapped from a port", "port destroyed by its own message's capability",
            "CallerInfo of an AsyncCall's context", "CallerInfo of a Call through the port",
            "async message carried two capabilities");

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
        // CallerInfo by a server now and then, on dice of its own, so the other choices stay as they were
        SplittableRandom asks = new SplittableRandom(seed ^ 0xCA11_E21FL);
        List<PortAction> out = new ArrayList<>();
        long[] mr = {1};
        while (out.size() < steps) {
            if (rnd.nextInt(100) < 35) {
                out.addAll(template(rnd, mr));
            } else {
                out.add(action(rnd, mr));
            }
            if (asks.nextInt(5) == 0) {
                out.add(new PortAction.CallerInfo(PortWorld.SERVERS[asks.nextInt(2)]));
            }
        }
        return withSecondCapabilities(out.subList(0, steps), new SplittableRandom(seed ^ 0x2CA9_5EC0L));
    }

    /**
     * One message in three that carries a capability carries a second, copied (the clients' endpoint
     * capability, which arrives unwrapped, the spare, the other port or its reply endpoint, now and
     * then a slot out of range), on dice of its own so every other choice stays as it was.
     */
    private static List<PortAction> withSecondCapabilities(List<PortAction> actions, SplittableRandom dice) {
        List<PortAction> out = new ArrayList<>();
        for (PortAction a : actions) {
            int second = dice.nextInt(3) == 0 ? secondCap(dice, a) : -1;
            out.add(second < 0 ? a : switch (a) {
                case AsyncSend x -> new AsyncSend(x.task(), x.port(), x.label(), x.len(), x.mr(), x.cap(), x.move(), second);
                case AsyncCall x -> new AsyncCall(x.task(), x.port(), x.label(), x.len(), x.mr(), x.cap(), x.move(), second);
                default -> a;
            });
        }
        return List.copyOf(out);
    }

    /** A second slot for {@code a}'s message, other than its first; -1 if it carries none or is no async send. */
    private static int secondCap(SplittableRandom dice, PortAction a) {
        int first = a instanceof AsyncSend x ? x.cap() : a instanceof AsyncCall x ? x.cap() : -1;
        int port = a instanceof AsyncSend x ? x.port() : a instanceof AsyncCall x ? x.port() : -1;
        if (first < 0 || first >= PortWorld.SLOTS) {
            return -1;
        }
        int other = port == PortWorld.PORT_SLOTS[0] ? PortWorld.PORT_SLOTS[1] : PortWorld.PORT_SLOTS[0];
        int[] copied = {PortWorld.CLIENT_EP, PortWorld.CLIENT_EP, PortWorld.SPARE_EP, other, replySlotOf(other), PortWorld.SLOTS};
        int c = copied[dice.nextInt(copied.length)];
        return c == first ? -1 : c;
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
        int[] cap = carried(rnd, p);
        return new AsyncSend(c, p, label(rnd), 1 + rnd.nextInt(2), mr[0]++, cap[0], cap[1] == 1);
    }

    private static PortAction asyncCall(SplittableRandom rnd, long[] mr, int c, int p) {
        int[] cap = carried(rnd, p);
        return new AsyncCall(c, p, label(rnd), 1 + rnd.nextInt(2), mr[0]++, cap[0], cap[1] == 1);
    }

    /** A label; one time in forty negative, which the kernel must refuse before anything else. */
    private static int label(SplittableRandom rnd) {
        int label = rnd.nextInt(160);
        return label < 4 ? -1 : label % 4;
    }

    /**
     * The capability an async message carries, one time in eight ({slot, move}; slot -1: none): moved,
     * one of the ports (often the one it goes through) or the spare endpoint capability; copied, also
     * the clients' endpoint capability (which arrives unwrapped) or the other port's reply endpoint.
     */
    private static int[] carried(SplittableRandom rnd, int p) {
        if (rnd.nextInt(8) != 0) {
            return new int[] {-1, 0};
        }
        int other = p == PortWorld.PORT_SLOTS[0] ? PortWorld.PORT_SLOTS[1] : PortWorld.PORT_SLOTS[0];
        if (rnd.nextBoolean()) {
            int[] moved = {p, p, other, PortWorld.SPARE_EP};
            return new int[] {moved[rnd.nextInt(moved.length)], 1};
        }
        int[] copied = {p, other, PortWorld.SPARE_EP, PortWorld.CLIENT_EP, replySlotOf(other), PortWorld.SLOTS};
        return new int[] {copied[rnd.nextInt(copied.length)], 0}; // SLOTS: out of range, refused
    }

    private static PortAction reply(SplittableRandom rnd, long[] mr, int s) {
        return new Reply(s, rnd.nextInt(4), 1 + rnd.nextInt(2), mr[0]++);
    }

    /**
     * A client receives on the port's reply endpoint: blocking only where the template knows an
     * answer is coming, since nothing else frees a client blocked there and a run whose clients are
     * all stuck tests nothing more.
     */
    private static PortAction clientRecv(int c, int p, boolean blocking) {
        int reply = p == PortWorld.PORT_SLOTS[0] ? PortWorld.REPLY_SLOTS[0] : PortWorld.REPLY_SLOTS[1];
        return new Recv(c, reply, blocking);
    }

    private static PortAction action(SplittableRandom rnd, long[] mr) {
        int w = rnd.nextInt(100);
        int c = client(rnd);
        int p = port(rnd);
        int s = server(rnd);
        if (w < 8) {
            return bind(rnd, c, p);
        } else if (w < 24) {
            return asyncSend(rnd, mr, c, p);
        } else if (w < 34) {
            return asyncCall(rnd, mr, c, p);
        } else if (w < 38) {
            return new PortCall(c, p, rnd.nextInt(4), 1 + rnd.nextInt(2), mr[0]++);
        } else if (w < 42) {
            return new Send(PortWorld.SENDER, PortWorld.REPLY_SLOTS[rnd.nextInt(2)], 0, 1, mr[0]++, false);
        } else if (w < 44) {
            return new Send(PortWorld.SENDER, PortWorld.SYNC, rnd.nextInt(4), 1 + rnd.nextInt(2), mr[0]++, true);
        } else if (w < 60) {
            return new Recv(s, PortWorld.ENDPOINT, rnd.nextInt(4) > 0);
        } else if (w < 69) {
            return reply(rnd, mr, s);
        } else if (w < 77) {
            return clientRecv(c, p, false);
        } else if (w < 79) {
            return new PortInfo(rnd.nextInt(3) == 0 ? PortWorld.SENDER : c, p); // the sender is told of no loss otherwise
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
        } else if (w < 99) {
            return rnd.nextBoolean() ? new Mint(s, PortWorld.ENDPOINT, PortWorld.CLIENT_EP, Rights.ALL, PortWorld.CLIENT_BADGE)
                    : new Mint(s, PortWorld.ENDPOINT, PortWorld.SYNC, Rights.WRITE, PortWorld.SYNC_BADGE);
        } else {
            return new Exit(PortWorld.SERVERS[1]);
        }
    }

    /**
     * The client moves its only capability to the port into a message through that port: the port goes
     * once the message is delivered (to a server already waiting, or taken from the queue) or dropped
     * (Revoke of the client's endpoint capability, CancelBadgedSends), and a Call's server is left a
     * cancelled context (docs/semantics.md §5.5, "Destruction"; the decode fuzz target's finding 5).
     */
    private static List<PortAction> ownLastCapability(SplittableRandom rnd, long[] mr, int c, int p, int s) {
        List<PortAction> out = new ArrayList<>();
        boolean call = rnd.nextBoolean();
        int how = rnd.nextInt(4);
        if (how == 0) {
            out.add(new Recv(s, PortWorld.ENDPOINT, true));
        }
        out.add(call ? new AsyncCall(c, p, 1, 1, mr[0]++, p, true) : new AsyncSend(c, p, 1, 1, mr[0]++, p, true));
        switch (how) {
            case 1 -> out.add(new Recv(s, PortWorld.ENDPOINT, true));
            case 2 -> out.add(new Revoke(c, PortWorld.CLIENT_EP));
            case 3 -> out.add(new CancelBadgedSends(s, PortWorld.CLIENT_EP));
            default -> { }
        }
        if (call) {
            out.add(reply(rnd, mr, s));
        }
        out.add(clientRecv(c, p, false));
        return out;
    }

    /**
     * Bind through the clients' capability or its copy, capacity 1 to 3; one time in ten through the
     * synchronous sender's (WRITE only: its port cannot carry capabilities) and four in ten refused:
     * capacity 0 or over the maximum (or exactly the maximum, into an occupied slot), a port's slot
     * where the endpoint should be, the reply endpoint or the destination out of range, the reply
     * endpoint's slot not an endpoint, or the synchronous sender's capability (no READ) as the reply endpoint.
     */
    private static PortAction bind(SplittableRandom rnd, int c, int p) {
        int capacity = 1 + rnd.nextInt(3);
        int ep = rnd.nextInt(4) == 0 ? PortWorld.SPARE_EP : PortWorld.CLIENT_EP;
        int other = p == PortWorld.PORT_SLOTS[0] ? PortWorld.PORT_SLOTS[1] : PortWorld.PORT_SLOTS[0];
        int reply = replySlotOf(p);
        int dst = p;
        switch (rnd.nextInt(20)) {
            case 0, 1 -> ep = PortWorld.SYNC;
            case 2 -> capacity = 0;
            case 3 -> capacity = io.capipc.api.Syscalls.MAX_PORT_CAPACITY + 1;
            case 4 -> ep = other;
            case 5 -> reply = rnd.nextBoolean() ? -1 : PortWorld.SLOTS;
            case 6 -> dst = rnd.nextBoolean() ? -1 : PortWorld.SLOTS;
            case 7 -> reply = other;
            case 8 -> reply = PortWorld.SYNC;
            case 9 -> {
                capacity = io.capipc.api.Syscalls.MAX_PORT_CAPACITY;
                dst = PortWorld.ENDPOINT;
            }
            default -> { }
        }
        return new Bind(c, ep, reply, capacity, dst);
    }

    /** Messages queued on the port, then a Call through it, taken by the server among a synchronous sender's. */
    private static List<PortAction> callThroughThePort(SplittableRandom rnd, long[] mr, int c, int p, int s) {
        List<PortAction> out = new ArrayList<>();
        if (rnd.nextBoolean()) {
            out.add(new Recv(s, PortWorld.ENDPOINT, true));
        }
        out.add(asyncSend(rnd, mr, c, p));
        out.add(asyncSend(rnd, mr, c, p));
        out.add(new PortCall(c, p, 1, 1, mr[0]++));
        for (int i = 0; i < 3; i++) {
            out.add(new Recv(s, PortWorld.ENDPOINT, true));
            if (rnd.nextInt(3) == 0) {
                out.add(new Send(PortWorld.SENDER, PortWorld.SYNC, 2, 1, mr[0]++, true));
            }
        }
        out.add(reply(rnd, mr, s));
        return out;
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
        switch (k) {
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
                out.add(clientRecv(c, p, false));
            }
            case 7 -> {
                int v = rnd.nextInt(4);
                if (v == 2) {
                    out.addAll(ownLastCapability(rnd, mr, c, p, s));
                } else if (v < 2) {
                    // A port answered on the endpoint it calls: its client takes its own AsyncCall as a
                    // Call, then a Recv drops it, whose NO_REPLY error is queued right there.
                    out.set(1, new Bind(c, replySlotOf(p), cap, p));
                    out.add(asyncCall(rnd, mr, c, p));
                    out.add(clientRecv(c, p, true));
                    out.add(clientRecv(c, p, rnd.nextBoolean()));
                    out.add(clientRecv(c, p, false));
                } else {
                    out.addAll(callThroughThePort(rnd, mr, c, p, s));
                }
            }
            case 1 -> out.addAll(callThroughThePort(rnd, mr, c, p, s));
            case 2 -> {
                out.add(asyncCall(rnd, mr, c, p));
                out.add(new Recv(s, PortWorld.ENDPOINT, true));
                out.add(rnd.nextBoolean() || s == PortWorld.SERVERS[0] ? new Recv(s, PortWorld.ENDPOINT, rnd.nextBoolean()) : new Exit(s));
                out.add(clientRecv(c, p, rnd.nextBoolean()));
            }
            case 3 -> {
                int other = c == PortWorld.CLIENTS[0] ? PortWorld.CLIENTS[1] : PortWorld.CLIENTS[0];
                out.add(clientRecv(other, p, true));
                out.add(asyncCall(rnd, mr, c, p));
                out.add(asyncCall(rnd, mr, c, p));
                out.add(new Recv(s, PortWorld.ENDPOINT, true));
                out.add(reply(rnd, mr, s));
                out.add(new Recv(s, PortWorld.ENDPOINT, rnd.nextBoolean()));
                out.add(reply(rnd, mr, s));
                out.add(clientRecv(c, p, rnd.nextBoolean()));
            }
            case 4 -> {
                out.add(asyncSend(rnd, mr, c, p));
                out.add(new Send(PortWorld.SENDER, PortWorld.SYNC, 2, 1, mr[0]++, true));
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
        PortLedger l = new PortLedger(w);
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
                            problem = expected == o ? PortRefinement.compare(w, m, l, after) : "status: model " + expected + ", kernel " + o;
                            if (problem == null && a instanceof PortAction.CallerInfo && o == Outcome.OK) {
                                problem = callerInfo(w, m, a.task(), before, coverage);
                            }
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
                if (problem == null && checks.contains(Check.REFINEMENT)) {
                    problem = w.tracer.mismatch();
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

    /** What CallerInfo told server {@code t}: its context's badge and label, and no buffers (async and port Calls carry none). */
    private static @Nullable String callerInfo(PortWorld w, AsyncRules m, int t, KernelView before, Tally coverage) {
        IpcBuffer ipc = w.d.ipc(w.tasks[t]);
        int caller = before.task(w.tasks[t].id()).holdsContextOf();
        boolean async = java.util.Arrays.stream(w.tasks).noneMatch(x -> x.id() == caller);
        coverage.count(async ? "CallerInfo of an AsyncCall's context" : "CallerInfo of a Call through the port");
        return ipc.callerBadge() == m.callerBadge(t) && ipc.callerLabel() == m.callerLabel(t) && ipc.callerSendSize() == 0
                && ipc.callerRecvSize() == 0 ? null
                : "CallerInfo told t" + t + " badge " + ipc.callerBadge() + ", label " + ipc.callerLabel() + ", sizes "
                        + ipc.callerSendSize() + "/" + ipc.callerRecvSize() + "; the model: badge " + m.callerBadge(t) + ", label "
                        + m.callerLabel(t) + ", no buffers";
    }

    private static int replySlotOf(int portSlot) {
        return PortWorld.replySlotOf(portSlot);
    }

    /** The info word of an async message: a negative label makes one the kernel refuses (INVALID_ARGUMENT). */
    private static long info(int label, int len, int cap, int cap2) {
        int caps = cap < 0 ? 0 : cap2 < 0 ? 1 : 2;
        return label < 0 ? MessageInfo.pack(label, len, caps, false) : MessageInfo.of(label, len, caps);
    }

    private static TaskHandle registers(PortWorld w, int t, long mr) {
        IpcBuffer ipc = w.d.ipc(w.tasks[t]);
        for (int i = 0; i < 64; i++) {
            ipc.setMr(i, mr * 100 + i);
        }
        return w.tasks[t];
    }

    /** The registers, as {@link #registers}, and the capabilities the message carries, if any (the second copied). */
    private static TaskHandle carrying(PortWorld w, int t, long mr, int cap, boolean move, int cap2) {
        IpcBuffer ipc = w.d.ipc(w.tasks[t]);
        ipc.setCap(0, Math.max(cap, 0));
        ipc.setMove(0, move);
        ipc.setCap(1, Math.max(cap2, 0));
        ipc.setMove(1, false);
        return registers(w, t, mr);
    }

    private static Outcome kernel(PortWorld w, PortAction a) {
        TaskHandle t = w.tasks[a.task()];
        return switch (a) {
            case Bind b -> w.d.bind(t, b.ep(), b.reply(), b.capacity(), b.dst());
            case AsyncSend s -> w.d.asyncSend(carrying(w, s.task(), s.mr(), s.cap(), s.move(), s.cap2()), s.port(),
                    info(s.label(), s.len(), s.cap(), s.cap2()));
            case AsyncCall s -> w.d.asyncCall(carrying(w, s.task(), s.mr(), s.cap(), s.move(), s.cap2()), s.port(),
                    info(s.label(), s.len(), s.cap(), s.cap2()));
            case PortCall s -> w.d.call(registers(w, s.task(), s.mr()), s.port(), MessageInfo.of(s.label(), s.len()));
            case Send s -> s.blocking() ? w.d.send(registers(w, s.task(), s.mr()), s.slot(), MessageInfo.of(s.label(), s.len()))
                    : w.d.nbSend(registers(w, s.task(), s.mr()), s.slot(), MessageInfo.of(s.label(), s.len()));
            case Recv r -> r.blocking() ? w.d.recv(t, r.slot()) : w.d.nbRecv(t, r.slot());
            case Reply r -> w.d.reply(registers(w, r.task(), r.mr()), MessageInfo.of(r.label(), r.len()));
            case Exit e -> w.d.exit(t);
            case PortInfo p -> w.d.portInfo(t, p.port());
            case PortAction.CallerInfo c -> w.d.callerInfo(t);
            case Copy c -> w.d.copy(t, c.src(), c.dst(), Rights.ALL);
            case Mint c -> w.d.mint(t, c.src(), c.dst(), c.rights(), c.badge());
            case Delete d -> w.d.delete(t, d.slot());
            case Revoke r -> w.d.revoke(t, r.slot());
            case CancelBadgedSends c -> w.d.cancelBadgedSends(t, c.slot());
        };
    }

    private static @Nullable Status model(AsyncRules m, PortAction a) {
        int t = a.task();
        Status st = switch (a) {
            case Bind b -> m.bind(t, b.ep(), b.reply(), b.capacity(), b.dst());
            case AsyncSend s -> {
                m.setRegisters(t, s.mr());
                yield m.asyncSend(t, s.port(), info(s.label(), s.len(), s.cap(), s.cap2()), false, s.cap(), s.move(), s.cap2());
            }
            case AsyncCall s -> {
                m.setRegisters(t, s.mr());
                yield m.asyncSend(t, s.port(), info(s.label(), s.len(), s.cap(), s.cap2()), true, s.cap(), s.move(), s.cap2());
            }
            case PortCall s -> {
                m.setRegisters(t, s.mr());
                yield m.portCall(t, s.port(), MessageInfo.of(s.label(), s.len()));
            }
            case Send s -> {
                m.setRegisters(t, s.mr());
                yield m.send(t, s.slot(), MessageInfo.of(s.label(), s.len()), s.blocking());
            }
            case Recv r -> m.recv(t, r.slot(), r.blocking());
            case Reply r -> {
                m.setRegisters(t, r.mr());
                yield m.reply(t, MessageInfo.of(r.label(), r.len()));
            }
            case Exit e -> m.exit(t);
            case PortInfo p -> m.portInfo(t, p.port());
            case PortAction.CallerInfo c -> m.callerInfo(t);
            case Copy c -> m.copy(c.src(), c.dst());
            case Mint c -> m.mint(c.src(), c.dst(), c.rights(), c.badge());
            case Delete d -> m.delete(d.slot());
            case Revoke r -> m.revoke(r.slot());
            case CancelBadgedSends c -> m.cancelBadgedSends(c.slot());
        };
        if (st != null) {
            m.tasks.get(t).status = st;
        }
        return st;
    }

    /** Every check. */
    public static Set<Check> all() {
        return EnumSet.allOf(Check.class);
    }
}
