package io.capipc.props.harness;

import io.capipc.api.MessageInfo;
import io.capipc.props.model.Model;
import io.capipc.props.model.Model.Ref;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Scenario templates: the situations a property means nothing without, which single random actions
 * reach too rarely, built on purpose over several steps. A template is a list of intents, each the
 * action it wants next given the model, or null once it no longer applies (a task it needs is
 * blocked, a slot was taken, a queue changed), which ends the template; the run goes on at random.
 * Every intent is an ordinary action, so a run made of them is printed, shrunk and replayed as any
 * other.
 *
 * <ul>
 *   <li>{@link #deepTree}: a chain of four derivations across two Spaces (two Copies, a capability
 *       sent to a waiting receiver, one more Copy), then often a message naming its leaf queued and
 *       the chain cut above it by Revoke or Delete, or the whole tree revoked or deleted.
 *   <li>{@link #inFlight}: in a Space two tasks share, one derives a capability, queues a message
 *       naming it, and the other revokes, deletes or moves it or an ancestor while it waits.
 *   <li>{@link #destroy}: an object someone waits on (senders, callers, receivers, notification
 *       waiters, a bound task) loses all its capabilities, by Revoke where the tree allows it.
 *   <li>{@link #badgeChurn}: a task mints badged capabilities from an unbadged one into every free
 *       slot of its Space and deletes them again, so an endpoint's live badges come and go many at
 *       a time (started by the generator itself, in the worlds with wide badge tables, with dice of
 *       its own: the other templates' choices stay as they were).
 * </ul>
 */
public final class Scenarios {
    /** One step of a template: the action wanted next, or null when the template no longer applies. */
    interface Intent extends Function<Model, Action> {}

    private final Generator g;
    private final ContextScenarios contexts;

    Scenarios(Generator g) {
        this.g = g;
        this.contexts = new ContextScenarios(g, this);
    }

    /** How often each template is picked first, in the order of {@link #start}'s switch. */
    private static final int[] WEIGHTS = {22, 18, 15, 17, 8, 10, 10};

    /** A template to start now, or an empty list: one picked by {@link #WEIGHTS}, else the first after it that applies. */
    List<Intent> start(Model m, List<Integer> running) {
        int roll = g.rnd.nextInt(100);
        int first = 0;
        while (roll >= WEIGHTS[first]) {
            roll -= WEIGHTS[first++];
        }
        int step = 1 + g.rnd.nextInt(6);
        for (int i = 0; i < WEIGHTS.length; i++) {
            int which = (first + i * step) % WEIGHTS.length;
            List<Intent> plan = switch (which) {
                case 0 -> deepTree(m, running);
                case 1 -> inFlight(m, running);
                case 2 -> destroy(m, running);
                case 3 -> contexts.suspendAndLose(m, running);
                case 4 -> contexts.forwardChain(m, running);
                case 5 -> contexts.grantReply(m, running);
                default -> contexts.notification(m, running);
            };
            if (!plan.isEmpty()) {
                return plan;
            }
        }
        return List.of();
    }

    /** One step that makes a situation likelier than chance does, or null (see {@link ContextScenarios#single}). */
    Action single(Model m, int t, List<Integer> live) {
        return contexts.single(m, t, live);
    }

    // ---- A deep tree across Spaces.

    /**
     * Task a copies an endpoint capability c0 twice in its Space (c0 -> e1 -> e2) and sends e2 through
     * endpoint E to task b of another Space, waiting in Recv with receive slot f, which copies it on
     * (f -> h): four levels below c0. Then, most often, either b queues a message naming h and a cuts
     * the chain above it (Revoke c0, Delete e1 or e2), or a revokes or deletes c0's whole tree.
     */
    List<Intent> deepTree(Model m, List<Integer> running) {
        for (int a : shuffled(running)) {
            for (int b : shuffled(running)) {
                int sa = g.shape.space(a);
                int sb = g.shape.space(b);
                List<Integer> ea = empty(m, sa);
                List<Integer> eb = empty(m, sb);
                if (sa == sb || ea.size() < 2 || eb.size() < 2) {
                    continue;
                }
                for (int ep = 0; ep < g.shape.endpoints(); ep++) {
                    if (m.endpoints().get(ep).kind() != Model.Kind.IDLE || !m.notices().get(ep).isEmpty()) {
                        continue;
                    }
                    int x = capWith(m, sa, ep, Model.WRITE | Model.GRANT);
                    int y = capWith(m, sb, ep, Model.READ);
                    int c0 = other(m, sa, ep);
                    if (x >= 0 && y >= 0 && c0 >= 0) {
                        return deepTree(m, a, b, ep, x, y, c0, ea, eb);
                    }
                }
            }
        }
        return List.of();
    }

    private List<Intent> deepTree(Model m, int a, int b, int ep, int x, int y, int c0, List<Integer> ea, List<Integer> eb) {
        int e1 = ea.get(0);
        int e2 = ea.get(1);
        int f = eb.get(0);
        int h = eb.get(1);
        List<Intent> plan = new ArrayList<>();
        plan.add(n -> new Action.Copy(a, c0, e1, 7));
        plan.add(n -> new Action.Copy(a, e1, e2, 7));
        plan.add(n -> new Action.SetCaps(b, n.xfer().get(b).caps(), List.of(f, -1, -1, -1)));
        plan.add(n -> new Action.Recv(b, y));
        if (g.rnd.nextBoolean()) {
            plan.add(n -> new Action.Tamper(b, contexts.rewrite(), contexts.rewrite()));
        }
        plan.add(n -> waitsFirst(n, b, ep) && n.caps().containsKey(new Ref(g.shape.space(a), e2))
                ? new Action.SetCaps(a, withFirst(n.xfer().get(a).caps(), e2), n.xfer().get(a).receive()) : null);
        plan.add(n -> new Action.Send(a, x, MessageInfo.of(g.rnd.nextInt(4), 1, 1), g.mr(a)));
        plan.add(n -> n.caps().containsKey(new Ref(g.shape.space(b), f)) ? new Action.Copy(b, f, h, 7) : null);
        int roll = g.rnd.nextInt(100);
        if (roll < 45) {
            // b queues a message naming h (four levels below c0); a cuts the chain above it.
            plan.add(n -> queueable(n, b) >= 0 && n.caps().containsKey(new Ref(g.shape.space(b), h))
                    ? new Action.SetCaps(b, withFirst(n.xfer().get(b).caps(), h), n.xfer().get(b).receive()) : null);
            plan.add(n -> queued(n, b, g.rnd.nextBoolean()));
            int cut = g.rnd.nextInt(4);
            plan.add(n -> cut == 0 ? new Action.Revoke(a, c0) : cut == 1 ? new Action.Delete(a, e1)
                    : cut == 2 ? new Action.Revoke(a, e1) : new Action.Delete(a, e2));
        } else if (roll < 85) {
            plan.add(n -> g.rnd.nextInt(3) > 0 ? new Action.Revoke(a, c0) : new Action.Delete(a, c0));
        }
        return plan;
    }

    // ---- Badges coming and going.

    /**
     * Task t holds an unbadged endpoint capability c0: six to eleven times, it mints from c0 into a
     * free slot of its Space with a badge among 16, or (one time in three, or when no slot is free)
     * deletes one of the badged capabilities to that endpoint. Each new badge takes one of the
     * endpoint's records, each last deletion gives it back (or queues its BADGE_DISCONNECTED), so
     * the endpoint's table of live badges is filled, probed and emptied in many orders; a full table
     * refuses the Mint (NO_SPACE).
     */
    List<Intent> badgeChurn(Model m, List<Integer> running, SplittableRandom dice) {
        for (int t : running) {
            int space = g.shape.space(t);
            int c0 = unbadged(m, space, dice);
            if (c0 < 0 || empty(m, space).isEmpty()) {
                continue;
            }
            int ep = m.caps().get(new Ref(space, c0)).object();
            List<Intent> plan = new ArrayList<>();
            for (int i = 6 + dice.nextInt(6); i > 0; i--) {
                plan.add(n -> churn(n, t, space, c0, ep, dice));
            }
            return plan;
        }
        return List.of();
    }

    private Action churn(Model n, int t, int space, int c0, int ep, SplittableRandom dice) {
        Model.Cap root = n.caps().get(new Ref(space, c0));
        if (root == null || root.object() != ep || root.badge() != 0) {
            return null;
        }
        List<Integer> empties = empty(n, space);
        List<Integer> badged = new ArrayList<>();
        for (int i = 0; i < g.shape.slots(); i++) {
            Model.Cap c = n.caps().get(new Ref(space, i));
            if (c != null && c.object() == ep && c.badge() != 0) {
                badged.add(i);
            }
        }
        if (!empties.isEmpty() && (badged.isEmpty() || dice.nextInt(3) > 0)) {
            return new Action.Mint(t, c0, empties.get(dice.nextInt(empties.size())), 7, 1 + dice.nextInt(16));
        }
        return badged.isEmpty() ? null : new Action.Delete(t, badged.get(dice.nextInt(badged.size())));
    }

    /** A slot of {@code space} holding an unbadged endpoint capability, or -1. */
    private int unbadged(Model m, int space, SplittableRandom dice) {
        List<Integer> fit = new ArrayList<>();
        for (int i = 0; i < g.shape.slots(); i++) {
            Model.Cap c = m.caps().get(new Ref(space, i));
            if (c != null && c.object() < g.shape.endpoints() && c.badge() == 0) {
                fit.add(i);
            }
        }
        return fit.isEmpty() ? -1 : fit.get(dice.nextInt(fit.size()));
    }

    // ---- Capabilities in flight, in a shared Space.

    /**
     * Tasks s and u share a Space. s derives c0 -> e1 (and often e1 -> e2), queues a Send or Call naming
     * the leaf through an endpoint nobody receives on, and u revokes c0 or e1, deletes an ancestor or
     * the leaf itself, moves the leaf, or deletes the slot s sent through.
     */
    List<Intent> inFlight(Model m, List<Integer> running) {
        for (int s : shuffled(running)) {
            for (int u : running) {
                int space = g.shape.space(s);
                List<Integer> empties = empty(m, space);
                int c0 = capWith(m, space, -1, 0);
                if (u == s || g.shape.space(u) != space || empties.size() < 2 || c0 < 0 || queueable(m, s) < 0) {
                    continue;
                }
                return inFlight(s, u, c0, empties);
            }
        }
        return List.of();
    }

    private List<Intent> inFlight(int s, int u, int c0, List<Integer> empties) {
        int e1 = empties.get(0);
        int e2 = empties.get(1);
        int spare = empties.get(empties.size() - 1);
        boolean deep = empties.size() >= 3 && g.rnd.nextBoolean();
        int leaf = deep ? e2 : e1;
        List<Intent> plan = new ArrayList<>();
        plan.add(n -> new Action.Copy(s, c0, e1, 7));
        if (deep) {
            plan.add(n -> new Action.Copy(s, e1, e2, 7));
        }
        plan.add(n -> new Action.SetCaps(s, withFirst(n.xfer().get(s).caps(), leaf), n.xfer().get(s).receive()));
        boolean through = deep && g.rnd.nextBoolean();
        plan.add(n -> through && throughLeafParent(n, s, e1) ? queuedThrough(n, s, e1) : queued(n, s, g.rnd.nextInt(3) == 0));
        int cut = g.rnd.nextInt(through ? 5 : 9);
        plan.add(n -> through ? switch (cut) {
            case 0 -> new Action.Revoke(u, c0);
            case 1 -> new Action.Delete(u, c0);
            case 2 -> new Action.Delete(u, e1);
            case 3 -> new Action.Revoke(u, e1);
            default -> new Action.Move(u, e1, spare);
        } : switch (cut) {
            case 0, 1 -> new Action.Revoke(u, c0);
            case 2 -> new Action.Delete(u, e1);
            case 3 -> new Action.Delete(u, leaf);
            case 4 -> new Action.Revoke(u, e1);
            case 5 -> new Action.Move(u, leaf, spare);
            case 6 -> n.sendVia().containsKey(s) ? new Action.Delete(u, n.sendVia().get(s).slot()) : null;
            case 7 -> n.sendVia().containsKey(s) && !n.caps().containsKey(new Ref(g.shape.space(u), spare))
                    ? new Action.Move(u, n.sendVia().get(s).slot(), spare) : new Action.Revoke(u, c0);
            default -> new Action.Delete(u, c0);
        });
        return plan;
    }

    /**
     * Task t's Send (or Call) with one capability, through an endpoint capability with WRITE and GRANT
     * whose endpoint has no receiver waiting, so that it queues; null if it has none.
     */
    private Action queued(Model m, int t, boolean call) {
        int slot = queueable(m, t);
        if (slot < 0) {
            return null;
        }
        long info = MessageInfo.of(g.rnd.nextInt(4), 1 + g.rnd.nextInt(3), 1);
        return call ? new Action.Call(t, slot, info, g.mr(t), g.sizes(), g.sizes(), Action.FOREVER)
                : new Action.Send(t, slot, info, g.mr(t));
    }

    /** True if t's capability in {@code slot} (the parent of the leaf it will name) can carry a message that queues. */
    private boolean throughLeafParent(Model m, int t, int slot) {
        Model.Cap c = m.caps().get(new Ref(g.shape.space(t), slot));
        return c != null && c.object() < g.shape.endpoints() && (c.rights() & 6) == 6 && m.endpoints().get(c.object()).kind() != Model.Kind.RECEIVERS;
    }

    /** Task t's Send naming one capability through its derived capability in {@code slot}, so that Revoke of its parent releases it. */
    private Action queuedThrough(Model m, int t, int slot) {
        return new Action.Send(t, slot, MessageInfo.of(g.rnd.nextInt(4), 1 + g.rnd.nextInt(3), 1), g.mr(t));
    }

    /** A slot of t's Space with WRITE and GRANT on an endpoint no receiver waits on, or -1. */
    int queueable(Model m, int t) {
        int space = g.shape.space(t);
        for (int i = 0; i < g.shape.slots(); i++) {
            Model.Cap c = m.caps().get(new Ref(space, i));
            if (c != null && c.object() < g.shape.endpoints() && (c.rights() & 6) == 6
                    && m.endpoints().get(c.object()).kind() != Model.Kind.RECEIVERS) {
                return i;
            }
        }
        return -1;
    }

    // ---- Objects destroyed under their waiters.

    /**
     * An object with someone waiting on it (queued senders or callers, waiting receivers, system
     * messages queued; a notification's waiters or bound task) whose every capability running tasks
     * can reach, themselves or through an ancestor: they delete them all, revoking where one Revoke
     * reaches capabilities in other Spaces, and the slots queued senders sent through last.
     */
    List<Intent> destroy(Model m, List<Integer> running) {
        List<Integer> candidates = new ArrayList<>();
        boolean answeringFirst = g.rnd.nextBoolean();
        for (int o = 0; o <= g.shape.endpoints(); o++) {
            int object = o;
            boolean answering = m.tasks().stream().anyMatch(x -> x.state() == Model.State.BLOCKED_ON_REPLY && x.call() != null
                    && x.call().on() == object);
            boolean waited = o < g.shape.endpoints() ? !m.endpoints().get(o).waiting().isEmpty() || !m.notices().get(o).isEmpty() || answering
                    : !m.ntfn().waiters().isEmpty() || m.ntfn().bound() >= 0;
            if (waited && Situations.exists(m, o) && reachable(m, o, running)) {
                if (answering && answeringFirst) {
                    return destroying(o);
                }
                candidates.add(o);
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        return destroying(candidates.get(g.rnd.nextInt(candidates.size())));
    }

    /** The intents that delete every capability to {@code o} that running tasks can reach (see {@link #destroy}). */
    List<Intent> destroying(int o) {
        List<Intent> plan = new ArrayList<>();
        for (int i = 0; i < 3 * g.shape.slots(); i++) {
            plan.add(n -> nextDeletion(n, o));
        }
        return plan;
    }

    /** True if every capability naming {@code o} is in, or descends from one in, the Space of a running task. */
    boolean reachable(Model m, int o, List<Integer> running) {
        Set<Integer> spaces = new java.util.HashSet<>();
        running.forEach(t -> spaces.add(g.shape.space(t)));
        for (Map.Entry<Ref, Model.Cap> e : m.caps().entrySet()) {
            if (e.getValue().object() != o) {
                continue;
            }
            boolean ok = false;
            for (Ref r = e.getKey(); r != null && !ok; r = m.caps().get(r).parent()) {
                ok = spaces.contains(r.space());
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The next step of {@link #destroy}: a Revoke reaching capabilities to {@code o} elsewhere, else a Delete; null when none is left. */
    private Action nextDeletion(Model m, int o) {
        if (!Situations.exists(m, o)) {
            return null;
        }
        Map<Ref, List<Ref>> children = Situations.children(m);
        Set<Ref> via = Situations.sentThrough(m);
        Action delete = null;
        Action last = null;
        for (int t = 0; t < g.shape.tasks(); t++) {
            if (m.task(t).state() != Model.State.RUNNING) {
                continue;
            }
            int space = g.shape.space(t);
            for (int i = 0; i < g.shape.slots(); i++) {
                Ref r = new Ref(space, i);
                Model.Cap c = m.caps().get(r);
                if (c == null) {
                    continue;
                }
                boolean reaches = Situations.descendants(children, r).stream()
                        .anyMatch(d -> m.caps().get(d).object() == o && d.space() != space);
                if (reaches) {
                    return new Action.Revoke(t, i);
                }
                if (c.object() == o && !via.contains(r)) {
                    delete = delete == null ? new Action.Delete(t, i) : delete;
                } else if (c.object() == o) {
                    last = last == null ? new Action.Delete(t, i) : last;
                }
            }
        }
        return delete != null ? delete : last;
    }

    // ---- Helpers.

    /** Task t blocked in Recv on endpoint {@code ep}, at the head of its queue. */
    static boolean waitsFirst(Model m, int t, int ep) {
        Model.Queue q = m.endpoints().get(ep);
        return m.task(t).state() == Model.State.BLOCKED_ON_RECEIVE && q.kind() == Model.Kind.RECEIVERS && q.waiting().get(0) == t;
    }

    /** The empty slots of {@code space}, lowest first. */
    List<Integer> empty(Model m, int space) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < g.shape.slots(); i++) {
            if (!m.caps().containsKey(new Ref(space, i))) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * A slot of {@code space} with a capability to another object than endpoint {@code ep} (not a reply
     * capability): sent through {@code ep}, it is placed in a receive slot, not unwrapped. -1 if none.
     */
    private int other(Model m, int space, int ep) {
        List<Integer> fit = new ArrayList<>();
        for (int i = 0; i < g.shape.slots(); i++) {
            Model.Cap c = m.caps().get(new Ref(space, i));
            if (c != null && c.object() != ep && c.object() != g.shape.replyObject()) {
                fit.add(i);
            }
        }
        return fit.isEmpty() ? -1 : fit.get(g.rnd.nextInt(fit.size()));
    }

    /**
     * A slot of t's Space an endpoint syscall needing {@code right} refuses, each way as often as there
     * is one: out of range, empty, holding no endpoint, holding an endpoint capability without the right.
     */
    int refusingSlot(Model m, int t, int right) {
        int space = g.shape.space(t);
        List<List<Integer>> ways = new ArrayList<>(List.of(List.of(-1, g.shape.slots()), new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
        for (int i = 0; i < g.shape.slots(); i++) {
            Model.Cap c = m.caps().get(new Ref(space, i));
            int way = c == null ? 1 : c.object() >= g.shape.endpoints() ? 2 : (c.rights() & right) == 0 ? 3 : -1;
            if (way > 0) {
                ways.get(way).add(i);
            }
        }
        ways.removeIf(List::isEmpty);
        List<Integer> way = ways.get(g.rnd.nextInt(ways.size()));
        return way.get(g.rnd.nextInt(way.size()));
    }

    /** A slot of {@code space} with a capability to endpoint {@code ep} (-1: any endpoint) with {@code rights}, or -1. */
    int capWith(Model m, int space, int ep, int rights) {
        List<Integer> fit = new ArrayList<>();
        for (int i = 0; i < g.shape.slots(); i++) {
            Model.Cap c = m.caps().get(new Ref(space, i));
            if (c != null && c.object() < g.shape.endpoints() && (ep < 0 || c.object() == ep) && (c.rights() & rights) == rights) {
                fit.add(i);
            }
        }
        return fit.isEmpty() ? -1 : fit.get(g.rnd.nextInt(fit.size()));
    }

    static List<Integer> withFirst(List<Integer> slots, int first) {
        List<Integer> out = new ArrayList<>(slots);
        out.set(0, first);
        return List.copyOf(out);
    }

    List<Integer> shuffled(List<Integer> xs) {
        List<Integer> out = new ArrayList<>(xs);
        for (int i = out.size() - 1; i > 0; i--) {
            java.util.Collections.swap(out, i, g.rnd.nextInt(i + 1));
        }
        return out;
    }
}
