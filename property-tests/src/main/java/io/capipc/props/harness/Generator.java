package io.capipc.props.harness;

import io.capipc.api.Handles;
import io.capipc.api.MessageInfo;
import io.capipc.props.model.Model;
import io.capipc.props.model.Shape;
import io.capipc.props.model.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a world and a run from a seed, deterministically: the same seed always gives the same
 * case, which is what makes a failure replayable. Generation follows the model, so every action is
 * made by a task that is RUNNING at that point; arguments are mostly valid, sometimes not, so both
 * the transitions and the refusals are exercised. Now and then the driver acts instead: it advances
 * the virtual clock, interrupts a task or kills one; when every live task is blocked it always does,
 * so a run goes on while timeouts or interrupts can free someone.
 */
public final class Generator {
    /** A generated case. */
    public record Case(long seed, Shape shape, List<Action> actions) {}

    /**
     * Knobs a property may turn.
     *
     * @param steps the number of actions
     * @param minLength the least message length (1 or more lets a property tell messages apart)
     */
    public record Config(int steps, int minLength) {
        public static Config of(int steps) {
            return new Config(steps, 0);
        }
    }

    final SplittableRandom rnd;
    private final Config config;
    private final long[] sequence;
    /** Per task: its last action answered a Call (Reply, ReplyWait, Reply by handle). */
    private final boolean[] answered = new boolean[4];
    /** Per task: its last Call, whose segments a server's Read and Write aim at. */
    private final Action.Call[] calls = new Action.Call[4];
    /** The scenario template under way: its remaining intents. */
    private final java.util.ArrayDeque<Scenarios.Intent> plan = new java.util.ArrayDeque<>();
    private final Scenarios scenarios = new Scenarios(this);
    private final Refusals refusals = new Refusals(this, scenarios);
    Shape shape;

    /**
     * Task control's own dice (docs/semantics.md §13: Task capabilities at boot, Kill, Restart and
     * TaskInfo), apart from {@link #rnd}, so that adding them left every other choice of a seed's
     * case as it was whenever they are not rolled.
     */
    private final SplittableRandom ctl;

    /**
     * One world in four has room for 5 to 8 badges per endpoint instead of 2 or 3, and its Mints and
     * Mutates pick badges among 16 instead of 6: enough live badges for the endpoint's table of them
     * to collide, probe and shift on deletion (the badge churn template fills it). From dice of its
     * own, so the other worlds are as they were.
     */
    private final boolean wideBadges;
    private final int wideBadgeLimit;
    private final SplittableRandom badgeDice;
    /** Whether a buffer has exactly the most segments a Call takes (8); dice of their own, as the others. */
    private final SplittableRandom segmentDice;

    private Generator(long seed, Config config) {
        this.rnd = new SplittableRandom(seed);
        this.ctl = new SplittableRandom(seed ^ 0x7A5C_C0DE_5EEDL);
        this.badgeDice = new SplittableRandom(seed ^ 0xBAD6_E5L);
        this.segmentDice = new SplittableRandom(seed ^ 0x5E6_8E475L);
        this.wideBadges = badgeDice.nextInt(4) == 0;
        this.wideBadgeLimit = 5 + badgeDice.nextInt(4);
        this.config = config;
        this.sequence = new long[4];
    }

    public static Case generate(long seed, Config config) {
        Generator g = new Generator(seed, config);
        g.shape = g.shape();
        Model model = Model.boot(g.shape);
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < config.steps(); i++) {
            List<Integer> running = new ArrayList<>();
            List<Integer> blocked = new ArrayList<>();
            for (int t = 0; t < g.shape.tasks(); t++) {
                Model.State state = model.task(t).state();
                if (state == Model.State.RUNNING) {
                    running.add(t);
                } else if (state != Model.State.DEAD) {
                    blocked.add(t);
                }
            }
            if (running.isEmpty() && blocked.isEmpty()) {
                break;
            }
            Action a = g.planned(model, running);
            if (a == null && !running.isEmpty() && g.ctl.nextInt(100) < TASK_CONTROL) {
                a = g.taskControl(model, running.get(g.ctl.nextInt(running.size())));
            }
            if (a == null && !running.isEmpty() && g.ctl.nextInt(100) < BUDGETS) {
                a = g.budget(model, running.get(g.ctl.nextInt(running.size())));
            }
            if (a == null) {
                a = !blocked.isEmpty() && g.rnd.nextInt(100) < 8 ? g.tamper(model, blocked)
                        : running.isEmpty() || g.rnd.nextInt(100) < 7 ? g.driver(model, running, blocked)
                        : g.action(model, running.get(g.rnd.nextInt(running.size())), running.size());
            }
            if (a instanceof Action.Call c) {
                g.calls[c.task()] = c;
            }
            actions.add(a);
            model = Step.apply(model, a).next();
        }
        return new Case(seed, g.shape, List.copyOf(actions));
    }

    /**
     * The next action of the scenario template under way, or of one started now (when none is under
     * way, one step in ten starts a scenario template and one in ten a refusal); null when none
     * applies, and the run goes on at random.
     */
    private Action planned(Model model, List<Integer> running) {
        if (plan.isEmpty() && wideBadges && !running.isEmpty() && badgeDice.nextInt(100) < 5) {
            plan.addAll(scenarios.badgeChurn(model, running, badgeDice));
        }
        Action drain = plan.isEmpty() ? drainCancelled(model, running) : null;
        if (drain == null && plan.isEmpty()) {
            drain = revokeDeep(model, running);
        }
        if (drain == null && plan.isEmpty()) {
            drain = reusedHandle(model, running);
        }
        if (drain == null && plan.isEmpty()) {
            drain = forwardToWaiting(model, running);
        }
        if (drain == null && plan.isEmpty()) {
            drain = signalBound(model, running);
        }
        if (drain != null) {
            return drain;
        }
        if (plan.isEmpty() && !running.isEmpty()) {
            int roll = rnd.nextInt(100);
            if (roll < 10) {
                plan.addAll(scenarios.start(model, running));
            } else if (roll < 10 + REFUSALS) {
                plan.addAll(refusals.start(model, running.get(rnd.nextInt(running.size()))));
            }
        }
        if (plan.isEmpty()) {
            return null;
        }
        Action a = plan.poll().apply(model);
        if (a == null || (!(a instanceof Action.Driver) && model.task(a.task()).state() != Model.State.RUNNING)) {
            plan.clear();
            return null;
        }
        return a;
    }

    /**
     * Sometimes, when a CALLER_CANCELLED notice is queued on an endpoint, an NBRecv on it by a running
     * task that can: a server told its caller gave up is rare by chance (the notice needs the kind
     * enabled, a caller gone while its Call is held, then a receive), and guarantee 7 needs it
     * received. Rolled on the badge dice, so the other choices of a seed stay as they were.
     */
    private Action drainCancelled(Model model, List<Integer> running) {
        if (running.isEmpty() || badgeDice.nextInt(100) >= 20) {
            return null;
        }
        for (int ep = 0; ep < model.notices().size(); ep++) {
            if (model.notices().get(ep).stream().noneMatch(n -> n.kind() == Model.CALLER_CANCELLED)) {
                continue;
            }
            int endpoint = ep;
            for (int t : running) {
                int i = firstSlot(model, t, c -> c.object() == endpoint && (c.rights() & Model.READ) != 0);
                if (i >= 0) {
                    return new Action.NBRecv(t, i);
                }
            }
        }
        return null;
    }

    /**
     * Sometimes, a Revoke or Delete by a running task of a capability of its Space with descendants
     * three or more levels deep, when there is one: guarantee 3's deep Revokes and Deletes are what the deepTree template
     * builds trees for, and by chance another step often cuts a tree before anyone revokes it. On
     * the badge dice, as {@link #drainCancelled}.
     */
    private Action revokeDeep(Model model, List<Integer> running) {
        if (running.isEmpty() || badgeDice.nextInt(100) >= 8) {
            return null;
        }
        java.util.Map<Model.Ref, Integer> below = new java.util.HashMap<>();
        for (var e : model.caps().entrySet()) {
            int depth = 1;
            for (Model.Ref p = e.getValue().parent(); p != null && model.caps().containsKey(p); p = model.caps().get(p).parent()) {
                below.merge(p, depth++, Math::max);
            }
        }
        boolean shallow = badgeDice.nextBoolean(); // half the time only trees 4 levels deep or more, the rarest
        for (int t : running) {
            for (int i = 0; i < shape.slots(); i++) {
                if (below.getOrDefault(new Model.Ref(shape.space(t), i), 0) >= (shallow ? 3 : 4)) {
                    return badgeDice.nextBoolean() ? new Action.Revoke(t, i) : new Action.Delete(t, i);
                }
            }
        }
        return null;
    }

    /**
     * Sometimes, CallerInfo, Read or Write by a used-up handle whose slot now holds a newer context
     * (QNX's rcvid-reuse hazard, guarantee 5), when a running task's Space has one; on the badge dice.
     */
    private Action reusedHandle(Model model, List<Integer> running) {
        if (running.isEmpty() || badgeDice.nextInt(100) >= 4) {
            return null;
        }
        for (int t : running) {
            List<Integer> reused = reusedHandles(model, t);
            if (!reused.isEmpty()) {
                Action.Handle h = new Action.Handle(reused.get(badgeDice.nextInt(reused.size())), 0);
                return switch (badgeDice.nextInt(4)) {
                    case 0 -> new Action.ReadHandle(t, h, badgeDice.nextInt(21), badgeDice.nextInt(25));
                    case 1 -> new Action.WriteHandle(t, h, badgeDice.nextInt(21), badgeDice.nextInt(25), badgeDice.nextInt(256));
                    default -> new Action.CallerInfoHandle(t, h);
                };
            }
        }
        return null;
    }

    /**
     * Sometimes, a task holding a context forwards it to an endpoint where a receiver already waits,
     * through a capability with WRITE: the Call is then delivered at once (guarantee 4's forwards);
     * on the badge dice.
     */
    private Action forwardToWaiting(Model model, List<Integer> running) {
        if (running.isEmpty() || badgeDice.nextInt(100) >= 5) {
            return null;
        }
        for (int t : running) {
            if (model.task(t).holds() < 0) {
                continue;
            }
            int i = firstSlot(model, t, c -> c.object() < shape.endpoints() && (c.rights() & Model.WRITE) != 0
                    && model.endpoints().get(c.object()).kind() == Model.Kind.RECEIVERS);
            if (i >= 0) {
                return new Action.Forward(t, i, MessageInfo.of(badgeDice.nextInt(4), 1), mr(t));
            }
        }
        return null;
    }

    /**
     * Sometimes, a Signal of the notification while its bound task waits in Recv, by a running task
     * that holds it with WRITE: the signal is then delivered through the endpoint; on the badge dice.
     */
    private Action signalBound(Model model, List<Integer> running) {
        int b = model.ntfn().bound();
        if (b < 0 || model.task(b).state() != Model.State.BLOCKED_ON_RECEIVE || badgeDice.nextInt(100) >= 20) {
            return null;
        }
        for (int t : running) {
            int i = firstSlot(model, t, c -> c.object() == shape.notification() && (c.rights() & Model.WRITE) != 0);
            if (i >= 0) {
                return new Action.Signal(t, i);
            }
        }
        return null;
    }

    /** The first slot of {@code t}'s Space whose capability {@code fits}, or -1. */
    private int firstSlot(Model model, int t, java.util.function.Predicate<Model.Cap> fits) {
        for (int i = 0; i < shape.slots(); i++) {
            Model.Cap c = model.caps().get(new Model.Ref(shape.space(t), i));
            if (c != null && fits.test(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The percentage of steps that are a Kill, Restart or TaskInfo syscall. */
    private static final int TASK_CONTROL = 5;

    /** The percentage of steps that are a Retype, or a Revoke or Delete of an untyped capability. */
    private static final int BUDGETS = 6;

    /** Endpoint numbers kept for Retype; a run generates no more Retypes of an endpoint than this, refused ones included. */
    private static final int SPARE_ENDPOINTS = 6;

    /** Retypes of an endpoint generated so far in this run. */
    private int endpointRetypes;

    /**
     * Retype (docs/semantics.md §13) by {@code t}, mostly through a slot of its Space holding an untyped
     * capability, into an empty slot: an endpoint (while spare numbers last) or an untyped with part
     * of the budget, now and then a type it cannot make or a parameter out of range (refused whatever
     * came before, so a shrunk run never makes what the model cannot); or a Revoke or Delete of an
     * untyped capability that made something, destroying it all with whoever waits on it.
     */
    private Action budget(Model model, int t) {
        List<Integer> untyped = new ArrayList<>();
        List<Integer> parents = new ArrayList<>();
        List<Integer> empty = new ArrayList<>();
        for (int i = 0; i < shape.slots(); i++) {
            Model.Ref r = new Model.Ref(shape.space(t), i);
            Model.Cap c = model.caps().get(r);
            if (c == null) {
                empty.add(i);
            } else if (shape.untypedOf(c.object()) >= 0) {
                untyped.add(i);
                if (model.caps().values().stream().anyMatch(x -> r.equals(x.parent()))) {
                    parents.add(i);
                }
            }
        }
        if (!parents.isEmpty() && ctl.nextInt(100) < 25) {
            int s = parents.get(ctl.nextInt(parents.size()));
            return ctl.nextInt(100) < 70 ? new Action.Revoke(t, s) : new Action.Delete(t, s);
        }
        int slot = untyped.isEmpty() || ctl.nextInt(100) < 8 ? slot() : untyped.get(ctl.nextInt(untyped.size()));
        int dst = empty.isEmpty() || ctl.nextInt(100) < 8 ? slot() : empty.get(ctl.nextInt(empty.size()));
        int roll = ctl.nextInt(100);
        if (roll < 50 && endpointRetypes < SPARE_ENDPOINTS) {
            endpointRetypes++;
            return new Action.Retype(t, slot, io.capipc.api.ObjectType.ENDPOINT, 0, dst);
        } else if (roll < 85) {
            long param = ctl.nextInt(100) < 5 ? 0 : 1 + ctl.nextInt(1500);
            return new Action.Retype(t, slot, io.capipc.api.ObjectType.UNTYPED, param, dst);
        }
        return switch (ctl.nextInt(4)) {
            case 0 -> new Action.Retype(t, slot, io.capipc.api.ObjectType.TASK, 0, dst);
            case 1 -> new Action.Retype(t, slot, io.capipc.api.ObjectType.NOTIFICATION, 1, dst);
            case 2 -> new Action.Retype(t, slot, io.capipc.api.ObjectType.REGION, -1, dst);
            default -> new Action.Retype(t, slot, io.capipc.api.ObjectType.ENDPOINT, 1, dst);
        };
    }

    /**
     * Kill, Restart or TaskInfo by {@code t}: mostly through a slot of its Space holding a Task
     * capability (to another task, or its own), else through any slot. Restarts are the likeliest,
     * so the tasks a run kills come back; a task that holds a caller's context or waits is the
     * likeliest target when {@code t} holds a capability to one.
     */
    private Action taskControl(Model model, int t) {
        List<Integer> fit = new ArrayList<>();
        List<Integer> busy = new ArrayList<>();
        for (int i = 0; i < shape.slots(); i++) {
            Model.Cap c = model.caps().get(new Model.Ref(shape.space(t), i));
            int u = c == null ? -1 : shape.taskOf(c.object());
            if (u >= 0) {
                fit.add(i);
                Model.MTask target = model.task(u);
                if (target.holds() >= 0 || (target.state() != Model.State.RUNNING && target.state() != Model.State.DEAD)) {
                    busy.add(i);
                }
            }
        }
        int slot = fit.isEmpty() || ctl.nextInt(100) < 10 ? slot()
                : !busy.isEmpty() && ctl.nextBoolean() ? busy.get(ctl.nextInt(busy.size())) : fit.get(ctl.nextInt(fit.size()));
        int roll = ctl.nextInt(100);
        return roll < 45 ? new Action.RestartTask(t, slot) : roll < 70 ? new Action.KillTask(t, slot) : new Action.TaskInfo(t, slot);
    }

    /** The percentage of steps that start a refusal chosen by {@link Refusals}. */
    private static final int REFUSALS = 10;

    private Shape shape() {
        int tasks = 3 + rnd.nextInt(2);
        int slots = 5 + rnd.nextInt(2);
        int endpoints = 2 + SPARE_ENDPOINTS; // the spare ones only once Retype makes them
        // Usually tasks 0 and 1 share a space, so one can delete or revoke what the other sent through.
        List<Integer> spaceOf = new ArrayList<>();
        boolean shared = rnd.nextInt(100) < 70;
        for (int t = 0; t < tasks; t++) {
            spaceOf.add(shared ? Math.max(0, t - 1) : t);
        }
        int spaces = spaceOf.get(tasks - 1) + 1;
        // Small reply pools and badge tables, so that Suspend, Mint and Mutate meet NO_SPACE.
        int badges = 2 + rnd.nextInt(2);
        if (wideBadges) {
            badges = wideBadgeLimit;
        }
        List<java.util.Set<Long>> badgesOf = new ArrayList<>();
        for (int e = 0; e < endpoints; e++) {
            badgesOf.add(new java.util.HashSet<>());
        }
        List<Shape.Boot> boot = new ArrayList<>();
        List<Integer> pools = new ArrayList<>();
        for (int sp = 0; sp < spaces; sp++) {
            pools.add(rnd.nextInt(100) < 5 ? 0 : 1 + rnd.nextInt(2));
            for (int s = 0; s < 3; s++) {
                if (rnd.nextInt(100) < 85) {
                    int roll = rnd.nextInt(100);
                    int object = roll < 50 ? 0 : roll < 85 ? 1 : endpoints;
                    long badge = rnd.nextInt(100) < 40 ? 0 : 1 + rnd.nextInt(4);
                    if (object < endpoints && badge != 0 && !badgesOf.get(object).contains(badge)) {
                        if (badgesOf.get(object).size() < badges) {
                            badgesOf.get(object).add(badge);
                        } else {
                            badge = 0;
                        }
                    }
                    boot.add(new Shape.Boot(sp, s, object, rights(), badge));
                }
            }
        }
        // A fault slot holds an endpoint capability with WRITE at boot: the kernel copies it into the TCB.
        List<Integer> faultSlot = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            int space = spaceOf.get(t);
            List<Integer> fit = boot.stream().filter(b -> b.space() == space && b.object() < endpoints
                    && (b.rights() & Model.WRITE) != 0).map(Shape.Boot::slot).toList();
            faultSlot.add(!fit.isEmpty() && rnd.nextInt(100) < 40 ? fit.get(rnd.nextInt(fit.size())) : -1);
        }
        // Task capabilities (docs/semantics.md §13), from task control's own dice: in slot 3, free at boot;
        // and untypeds in slot 4, each Space its own, budgets for one to three endpoints and some bytes.
        List<Long> budgets = new ArrayList<>();
        for (int sp = 0; sp < spaces; sp++) {
            budgets.add(512L * (1 + ctl.nextInt(3)) + ctl.nextInt(700));
        }
        Shape sized = new Shape(tasks, slots, endpoints, List.copyOf(spaceOf), List.copyOf(boot), List.copyOf(pools), badges,
                List.copyOf(faultSlot), List.copyOf(budgets), SPARE_ENDPOINTS);
        for (int sp = 0; sp < spaces; sp++) {
            if (ctl.nextInt(100) < 70) {
                int roll = ctl.nextInt(100);
                int rights = roll < 70 ? Model.READ | Model.WRITE | Model.GRANT : roll < 85 ? Model.READ | Model.GRANT : Model.WRITE;
                boot.add(new Shape.Boot(sp, 3, sized.taskObject(ctl.nextInt(tasks)), rights, 0));
            }
            if (ctl.nextInt(100) < 80) {
                int rights = ctl.nextInt(100) < 85 ? Model.READ | Model.WRITE | Model.GRANT : Model.READ | Model.GRANT;
                boot.add(new Shape.Boot(sp, 4, sized.untypedObject(sp), rights, 0));
            }
        }
        return new Shape(tasks, slots, endpoints, List.copyOf(spaceOf), List.copyOf(boot), List.copyOf(pools), badges,
                List.copyOf(faultSlot), List.copyOf(budgets), SPARE_ENDPOINTS);
    }

    private int rights() {
        int roll = rnd.nextInt(100);
        if (roll < 30) {
            return Model.READ | Model.WRITE;
        }
        return roll < 60 ? Model.READ | Model.WRITE | Model.GRANT : 1 + rnd.nextInt(7);
    }

    /**
     * What the driver does from outside: advance the clock (more often while a deadline is pending),
     * interrupt a task (mostly a blocked one; a running one is left alone), or, rarely and only while
     * three tasks live, kill one (more often one that holds a caller's context). With every task
     * blocked, something must unblock one: the clock moves to the earliest deadline, or a blocked
     * task is interrupted.
     */
    private Action driver(Model model, List<Integer> running, List<Integer> blocked) {
        long next = nextDeadline(model, blocked);
        if (running.isEmpty()) {
            return next != Model.NEVER && rnd.nextInt(100) < 80 ? new Action.Advance(next - model.now())
                    : new Action.Interrupt(blocked.get(rnd.nextInt(blocked.size())));
        }
        int roll = rnd.nextInt(100);
        List<Integer> servers = new ArrayList<>();
        for (int t = 0; t < shape.tasks(); t++) {
            if (model.task(t).state() != Model.State.DEAD && model.task(t).holds() >= 0) {
                servers.add(t);
            }
        }
        if (!servers.isEmpty() && running.size() + blocked.size() >= 3 && rnd.nextInt(100) < 8) {
            return new Action.Kill(servers.get(rnd.nextInt(servers.size())));
        }
        if (roll < (next == Model.NEVER ? 45 : 60)) {
            return new Action.Advance(nanos(model, next));
        }
        if (roll < 85 || running.size() + blocked.size() < 3) {
            boolean anyBlocked = !blocked.isEmpty() && rnd.nextInt(100) < 85;
            return new Action.Interrupt(anyBlocked ? blocked.get(rnd.nextInt(blocked.size())) : rnd.nextInt(shape.tasks()));
        }
        List<Integer> live = new ArrayList<>(running);
        live.addAll(blocked);
        List<Integer> from = !servers.isEmpty() && rnd.nextBoolean() ? servers : live;
        return new Action.Kill(from.get(rnd.nextInt(from.size())));
    }

    /**
     * A hostile thread rewrites a blocked task's IPC buffer (docs/semantics.md §7): mostly one whose pending
     * syscall will still move capabilities (a sender, a receiver, a caller awaiting its reply); the
     * slots go out of range either way, or name other slots of its space, often empty ones where a
     * kernel that read them again would place what it must not.
     */
    private Action tamper(Model model, List<Integer> blocked) {
        List<Integer> moving = blocked.stream().filter(u -> switch (model.task(u).state()) {
            case BLOCKED_ON_SEND -> MessageInfo.caps(model.task(u).sendInfo()) > 0;
            case BLOCKED_ON_RECEIVE, BLOCKED_ON_REPLY -> true;
            case RUNNING, BLOCKED_ON_NOTIFICATION, DEAD -> false;
        }).toList();
        List<Integer> from = moving.isEmpty() || rnd.nextInt(100) < 10 ? blocked : moving;
        int t = from.get(rnd.nextInt(from.size()));
        List<Integer> caps = new ArrayList<>();
        List<Integer> receive = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int roll = rnd.nextInt(100);
            int v = roll < 12 ? -1 - rnd.nextInt(3) : roll < 24 ? shape.slots() + rnd.nextInt(3)
                    : roll < 28 ? Integer.MIN_VALUE : rnd.nextInt(shape.slots());
            (i < 4 ? caps : receive).add(v);
        }
        return new Action.Tamper(t, List.copyOf(caps), List.copyOf(receive));
    }

    /**
     * The earliest deadline of a blocked task, or NEVER. One near the end of time does not count:
     * the clock never goes there, so it cannot wrap around.
     */
    private static long nextDeadline(Model model, List<Integer> blocked) {
        long next = Model.NEVER;
        for (int t : blocked) {
            long d = model.deadlines().get(t);
            if (d - model.now() <= 1_000_000) {
                next = Math.min(next, d);
            }
        }
        return next;
    }

    /** How far the clock moves: often exactly to the next deadline or just short of it, else a little or nothing. */
    private long nanos(Model model, long next) {
        int roll = rnd.nextInt(100);
        if (next != Model.NEVER && roll < 50) {
            long gap = next - model.now();
            return roll < 35 ? gap : Math.max(0, gap - 1);
        }
        return roll < 60 ? 0 : rnd.nextInt(100) < 80 ? 1 + rnd.nextInt(100) : 100 + rnd.nextInt(1000);
    }

    /**
     * A blocking syscall's timeout: mostly none (FOREVER); about one in ten finite, in steps of 10 ns
     * so that deadlines tie; a few 0; rarely negative, or so large that the deadline would pass the
     * end of time.
     */
    private long timeout() {
        int roll = rnd.nextInt(100);
        if (roll < 10) {
            return rnd.nextInt(100) < 5 ? Long.MAX_VALUE - 1 - rnd.nextInt(3) : 10L * (1 + rnd.nextInt(20));
        } else if (roll < 14) {
            return 0;
        } else if (roll < 15) {
            return rnd.nextBoolean() ? -1 : Long.MIN_VALUE;
        }
        return Action.FOREVER;
    }

    /**
     * docs/semantics.md §5.2 and §6: Suspend (half the time when the task holds a context), Resume, Reply,
     * Forward, Read, Write and CallerInfo by handle, the choice of system messages (mostly all of them),
     * and, rarely while three tasks run, a body that throws.
     */
    private Action contextAction(Model model, int t, int running) {
        List<Integer> live = liveHandles(model, t);
        if (!live.isEmpty() && rnd.nextInt(100) < 40) {
            // A server working through its suspended contexts; one whose caller has gone is mostly dropped by a Reply.
            int n = live.get(rnd.nextInt(live.size()));
            Action.Handle h = new Action.Handle(n, 0);
            Model.Entry e = model.entryAt(shape.space(t), Handles.slot(model.issued().get(n).handle()));
            int roll = e.caller() < 0 && rnd.nextBoolean() ? 0 : rnd.nextInt(5);
            return switch (roll) {
                case 0 -> new Action.ReplyHandle(t, h, info(), mr(t));
                case 1 -> new Action.WriteHandle(t, h, offset(), rnd.nextInt(25), rnd.nextInt(256));
                case 2 -> new Action.ReadHandle(t, h, offset(), rnd.nextInt(25));
                case 3 -> new Action.CallerInfoHandle(t, h);
                default -> new Action.Resume(t, h);
            };
        }
        if (model.task(t).holds() >= 0 && rnd.nextInt(100) < 40) {
            return new Action.Suspend(t);
        }
        int roll = rnd.nextInt(100);
        if (roll < 15) {
            return new Action.Suspend(t);
        } else if (roll < 32) {
            return new Action.ReplyHandle(t, handle(model, t), info(), mr(t));
        } else if (roll < 42) {
            return new Action.Resume(t, handle(model, t));
        } else if (roll < 52) {
            return new Action.ForwardHandle(t, handle(model, t), slot(model, t, Model.WRITE), info(), mr(t));
        } else if (roll < 61) {
            return new Action.ReadHandle(t, handle(model, t), offset(), rnd.nextInt(25));
        } else if (roll < 70) {
            return new Action.WriteHandle(t, handle(model, t), offset(), rnd.nextInt(25), rnd.nextInt(256));
        } else if (roll < 75) {
            return new Action.CallerInfoHandle(t, handle(model, t));
        } else if (roll < 95 || running < 3) {
            int r = rnd.nextInt(100);
            int mask = r < 70 ? 0b1110 : r < 90 ? rnd.nextInt(8) << 1 : 1 + (rnd.nextInt(4) << 4);
            return new Action.SystemMessages(t, slot(model, t, Model.READ), mask);
        }
        return new Action.Fault(t);
    }

    /**
     * A handle for {@code t}: often a used-up one whose slot now holds a newer reply capability (the
     * rcvid-reuse hazard), if there is one; mostly one its Space got from a Suspend and has not used
     * up; else any handle issued so far (often stale: consumed, or another Space's); else a forged one.
     */
    Action.Handle handle(Model model, int t) {
        List<Integer> live = liveHandles(model, t);
        List<Integer> reused = reusedHandles(model, t);
        int roll = rnd.nextInt(100);
        if (roll < 30 && !reused.isEmpty()) {
            // QNX's rcvid-reuse hazard: a used-up handle whose slot now holds another context's capability.
            return new Action.Handle(reused.get(rnd.nextInt(reused.size())), 0);
        } else if (roll < 65 && !live.isEmpty()) {
            return new Action.Handle(live.get(rnd.nextInt(live.size())), 0);
        } else if (roll < 88 && !model.issued().isEmpty()) {
            return new Action.Handle(rnd.nextInt(model.issued().size()), 0);
        }
        long forged = switch (rnd.nextInt(3)) {
            case 0 -> ((long) (1 + rnd.nextInt(8)) << 32) | rnd.nextInt(shape.slots());
            case 1 -> rnd.nextInt(shape.slots());
            default -> rnd.nextBoolean() ? -1L : shape.slots();
        };
        return new Action.Handle(-1, forged);
    }

    /** The places of the used-up handles of {@code t}'s Space whose slot now holds a newer reply capability. */
    private List<Integer> reusedHandles(Model model, int t) {
        List<Integer> reused = new ArrayList<>();
        for (int n = 0; n < model.issued().size(); n++) {
            Model.Issued is = model.issued().get(n);
            Model.Entry e = is.space() == shape.space(t) ? model.entryAt(is.space(), Handles.slot(is.handle())) : null;
            if (e != null && e.handle() != is.handle()) {
                reused.add(n);
            }
        }
        return reused;
    }

    /** The places of the issued handles that still name a suspended context (or a cancelled one) of {@code t}'s Space. */
    private List<Integer> liveHandles(Model model, int t) {
        int space = shape.space(t);
        List<Integer> live = new ArrayList<>();
        for (int n = 0; n < model.issued().size(); n++) {
            Model.Issued is = model.issued().get(n);
            Model.Entry e = is.space() == space ? model.entryAt(space, Handles.slot(is.handle())) : null;
            if (e != null && e.handle() == is.handle()) {
                live.add(n);
            }
        }
        return live;
    }

    /** Half the time a slot of {@code t}'s Space holding an endpoint capability with {@code right}, if any; else {@link #slot()}. */
    int slot(Model model, int t, int right) {
        List<Integer> fit = new ArrayList<>();
        for (int i = 0; i < shape.slots(); i++) {
            Model.Cap c = model.caps().get(new Model.Ref(shape.space(t), i));
            if (c != null && c.object() < shape.endpoints() && (c.rights() & right) != 0) {
                fit.add(i);
            }
        }
        return fit.isEmpty() || rnd.nextBoolean() ? slot() : fit.get(rnd.nextInt(fit.size()));
    }

    private Action action(Model model, int t, int running) {
        Action a = scenario(model, t, running);
        if (a == null) {
            a = anyAction(model, t, running);
        }
        answered[t] = a instanceof Action.Reply || a instanceof Action.ReplyWait || a instanceof Action.ReplyHandle;
        return a;
    }

    /**
     * The situations a property means nothing without, made likelier than chance makes them: the last
     * live task of a Space that holds suspended contexts dies (their callers get PEER_DIED); a reply
     * capability is deleted (its caller gets NO_REPLY); the capability a queued sender sent through is
     * deleted or revoked (it is released with REVOKED); a server that has just answered touches the context it no longer holds (Read, Write, CallerInfo); a
     * server names a used-up handle whose slot now holds a newer context (Read or Write by it).
     * Null when none applies or the dice say no.
     */
    private Action scenario(Model model, int t, int running) {
        int space = shape.space(t);
        boolean last = true;
        for (int u = 0; u < shape.tasks(); u++) {
            last &= u == t || shape.space(u) != space || model.task(u).state() == Model.State.DEAD;
        }
        List<Model.Entry> held = model.entries().stream().filter(e -> e.space() == space && e.slot() >= 0 && e.caller() >= 0).toList();
        if (last && !held.isEmpty() && running >= 2 && rnd.nextInt(100) < 8) {
            return rnd.nextBoolean() ? new Action.Exit(t) : new Action.Fault(t);
        }
        if (answered[t] && rnd.nextInt(100) < 30) {
            return switch (rnd.nextInt(4)) {
                case 0, 1 -> new Action.Write(t, offset(), rnd.nextInt(25), rnd.nextInt(256));
                case 2 -> new Action.Read(t, offset(), rnd.nextInt(25));
                default -> new Action.CallerInfo(t);
            };
        }
        List<Model.Ref> sentThrough = model.sendVia().values().stream().filter(r -> r.space() == space).toList();
        if (!sentThrough.isEmpty() && rnd.nextInt(100) < 4) {
            Model.Ref via = sentThrough.get(rnd.nextInt(sentThrough.size()));
            Model.Ref parent = model.caps().get(via).parent();
            return parent != null && parent.space() == space && rnd.nextBoolean() ? new Action.Revoke(t, parent.slot())
                    : new Action.Delete(t, via.slot());
        }
        if (!held.isEmpty() && rnd.nextInt(100) < 4) {
            return new Action.Delete(t, held.get(rnd.nextInt(held.size())).slot());
        }
        List<Integer> reused = reusedHandles(model, t);
        if (!reused.isEmpty() && rnd.nextInt(100) < 15) {
            Action.Handle h = new Action.Handle(reused.get(rnd.nextInt(reused.size())), 0);
            return rnd.nextBoolean() ? new Action.WriteHandle(t, h, offset(), rnd.nextInt(25), rnd.nextInt(256))
                    : new Action.ReadHandle(t, h, offset(), rnd.nextInt(25));
        }
        return scenarios.single(model, t, liveHandles(model, t));
    }

    /** Task t's last Call generated (the one whose context a server holds, if it is blocked in it), or null. */
    Action.Call call(int t) {
        return calls[t];
    }

    /** Mostly a slot of t's Space holding the notification (with any rights), else {@link #slot()}. */
    private int notificationSlot(Model model, int t) {
        List<Integer> fit = new ArrayList<>();
        for (int i = 0; i < shape.slots(); i++) {
            Model.Cap c = model.caps().get(new Model.Ref(shape.space(t), i));
            if (c != null && c.object() == shape.notification()) {
                fit.add(i);
            }
        }
        return fit.isEmpty() || rnd.nextInt(100) < 30 ? slot() : fit.get(rnd.nextInt(fit.size()));
    }

    private Action anyAction(Model model, int t, int running) {
        if (model.accepts().stream().anyMatch(m -> m != 0b1110) && rnd.nextInt(100) < 6) {
            return new Action.SystemMessages(t, slot(model, t, Model.READ), 0b1110);
        }
        boolean busy = model.task(t).holds() >= 0 || !liveHandles(model, t).isEmpty();
        if (rnd.nextInt(100) < (busy ? 25 : 10)) {
            return contextAction(model, t, running);
        }
        int roll = rnd.nextInt(100);
        if (rnd.nextInt(100) < 12) {
            return switch (rnd.nextInt(7)) {
                case 0, 1 -> new Action.Signal(t, notificationSlot(model, t));
                case 2 -> new Action.Poll(t, notificationSlot(model, t));
                case 3 -> new Action.Wait(t, notificationSlot(model, t), timeout());
                case 4, 5 -> new Action.Bind(t, notificationSlot(model, t));
                default -> new Action.Unbind(t);
            };
        }
        if (rnd.nextInt(100) < 5) {
            List<Integer> caps = new ArrayList<>();
            List<Integer> receive = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                caps.add(slot());
                receive.add(rnd.nextInt(100) < 30 ? -1 : slot());
            }
            return new Action.SetCaps(t, List.copyOf(caps), List.copyOf(receive));
        }
        if (roll < 12) {
            return new Action.Send(t, slot(model, t, Model.WRITE), info(), mr(t), timeout());
        } else if (roll < 18) {
            return new Action.NBSend(t, slot(model, t, Model.WRITE), info(), mr(t));
        } else if (roll < 32) {
            return new Action.Call(t, slot(model, t, Model.WRITE), info(), mr(t), sizes(), sizes(), timeout());
        } else if (roll < 35) {
            return new Action.Forward(t, slot(model, t, Model.WRITE), info(), mr(t));
        } else if (roll < 44) {
            return new Action.Recv(t, slot(model, t, Model.READ), timeout());
        } else if (roll < 50) {
            return new Action.NBRecv(t, slot(model, t, Model.READ));
        } else if (roll < 58) {
            return new Action.Reply(t, info(), mr(t));
        } else if (roll < 66) {
            return new Action.ReplyWait(t, slot(model, t, Model.READ), info(), mr(t), timeout());
        } else if (roll < 73) {
            return new Action.Read(t, offset(), rnd.nextInt(25));
        } else if (roll < 80) {
            return new Action.Write(t, offset(), rnd.nextInt(25), rnd.nextInt(256));
        } else if (roll < 82) {
            return new Action.CallerInfo(t);
        } else if (roll < 86) {
            return new Action.Copy(t, slot(), slot(), rightsArg());
        } else if (roll < 90) {
            return new Action.Mint(t, slot(), slot(), rightsArg(), badgeArg());
        } else if (roll < 91) {
            return new Action.Move(t, slot(), slot());
        } else if (roll < 92) {
            return new Action.Mutate(t, slot(), slot(), rightsArg(), badgeArg());
        } else if (roll < 94) {
            return new Action.Revoke(t, slot());
        } else if (roll < 95) {
            return new Action.CancelBadgedSends(t, slot());
        } else if (roll < 99 || running < 3) {
            return new Action.Delete(t, slot());
        }
        return new Action.Exit(t);
    }

    int rightsArg() {
        return rnd.nextInt(100) < 5 ? 8 : rnd.nextInt(8);
    }

    long badgeArg() {
        return rnd.nextInt(100) < 40 ? 0 : 1 + rnd.nextInt(wideBadges ? 16 : 6);
    }

    private int slot() {
        int roll = rnd.nextInt(100);
        return roll < 4 ? -1 : roll < 8 ? shape.slots() : rnd.nextInt(shape.slots());
    }

    private long offset() {
        return rnd.nextInt(100) < 5 ? -1 : rnd.nextInt(21);
    }

    /** A strictly increasing value per task, so a property can tell one task's sends apart. */
    long mr(int t) {
        return (t + 1) * 10_000L + ++sequence[t];
    }

    long info() {
        int roll = rnd.nextInt(100);
        int length = Math.max(config.minLength(), rnd.nextInt(100) < 10 ? 64 : rnd.nextInt(5));
        int label = rnd.nextInt(4);
        if (roll < 88) {
            int caps = rnd.nextInt(100) < 25 ? 1 + rnd.nextInt(2) : 0;
            return MessageInfo.pack(label, length, caps, false);
        }
        return badInfo(label, length);
    }

    /** An info word no user code may send, each way of docs/semantics.md §3 as often: a negative label, length 65 or more, 5 or more capabilities, the SYSTEM flag, a kind. */
    long badInfo(int label, int length) {
        return switch (rnd.nextInt(5)) {
            case 0 -> MessageInfo.pack(-1 - rnd.nextInt(3), length, 0, false);
            case 1 -> MessageInfo.pack(label, 65 + rnd.nextInt(63), 0, false);
            case 2 -> MessageInfo.pack(label, length, 5 + rnd.nextInt(3), false);
            case 3 -> MessageInfo.pack(label, length, 0, true);
            default -> MessageInfo.withKind(MessageInfo.of(label, length), io.capipc.api.Kind.values()[1 + rnd.nextInt(4)]);
        };
    }

    /** Segment sizes of a buffer: at most 64 bytes in all; rarely 9 segments (too many), or exactly 8 (the most). */
    List<Integer> sizes() {
        int n = rnd.nextInt(100) < 3 ? 9 : rnd.nextInt(4);
        List<Integer> sizes = sizes(n, rnd);
        // The eight are drawn from their own dice, after the usual list, so the main stream stays as it was.
        return n != 9 && segmentDice.nextInt(30) == 0 ? sizes(8, segmentDice) : sizes;
    }

    private static List<Integer> sizes(int n, SplittableRandom dice) {
        List<Integer> sizes = new ArrayList<>();
        int left = Shape.AREA;
        for (int i = 0; i < n; i++) {
            int s = Math.min(left, dice.nextInt(100) < 20 ? 0 : dice.nextInt(17));
            sizes.add(s);
            left -= s;
        }
        return List.copyOf(sizes);
    }
}
