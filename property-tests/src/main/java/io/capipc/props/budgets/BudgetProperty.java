package io.capipc.props.budgets;

import io.capipc.api.ObjectSizes;
import io.capipc.api.ObjectType;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskInfo;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.api.MessageInfo;
import io.capipc.props.harness.FreshIpc;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.Shrinker;
import io.capipc.props.harness.Tally;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.KernelView.MadeView;
import io.capipc.kernel.inspect.KernelView.SlotView;
import io.capipc.kernel.inspect.KernelView.TaskView;
import io.capipc.kernel.inspect.KernelView.UntypedView;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.props.budgets.BudgetAction.Block;
import io.capipc.props.budgets.BudgetAction.Copy;
import io.capipc.props.budgets.BudgetAction.Delete;
import io.capipc.props.budgets.BudgetAction.Kill;
import io.capipc.props.budgets.BudgetAction.Mint;
import io.capipc.props.budgets.BudgetAction.Restart;
import io.capipc.props.budgets.BudgetAction.Retype;
import io.capipc.props.budgets.BudgetAction.Revoke;
import io.capipc.props.budgets.BudgetModel.Cap;
import io.capipc.props.budgets.BudgetModel.Obj;
import io.capipc.props.budgets.BudgetModel.Waiter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Guarantee 16 (docs/semantics.md §8, §13) as one stateful property: seeded runs of Retype (every
 * type it makes, from the boot untypeds and from untypeds it made, with good and bad parameters),
 * Copy and Mint, Delete, Revoke, waiters blocking on made endpoints and notifications, and Kill,
 * Restart and TaskInfo through Task capabilities of reduced rights, on the kernel and on
 * {@link BudgetModel} side by side. After every step: the syscall succeeded on both or on neither;
 * no Retype, Kill or Restart succeeded through a capability without WRITE; every slot's object,
 * rights, badge and parent agree; every untyped's budget, used bytes and list of made objects (with
 * their charges) agree with the model, and on the kernel alone used never exceeds the budget and is
 * the sum of the made charges; every object's liveness agrees; each waiter's state, the object it
 * waits on and its restart count agree, and a waiter released by a destruction got REVOKED; after a
 * Revoke of an untyped capability, every object made under it (transitively) is destroyed and, when
 * no other capability to the untyped is left outside it, its whole budget is back. A failure is
 * shrunk and reported with its seed.
 *
 * <p>Runs: {@code capipc.props.runs} (default {@link Property#RUNS}), {@code capipc.props.steps} (default 60),
 * {@code capipc.props.base}, {@code capipc.props.seed}, as the rest of the suite.
 */
public final class BudgetProperty {
    private BudgetProperty() {}

    /** A shrunk failure. */
    public record Report(long seed, String message, int step, List<BudgetAction> trace) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("BudgetProperty failed for seed " + seed + ": " + message + "\n");
            sb.append("minimal trace (").append(trace.size()).append(" actions):\n");
            for (int i = 0; i < trace.size(); i++) {
                sb.append(String.format("  %3d  %s%s%n", i, BudgetAction.show(trace.get(i)), i == step ? "   <-- here" : ""));
            }
            return sb.append("replay: -Dcapipc.props.seed=").append(seed).toString();
        }
    }

    /** A failing step and what went wrong; {@code threw}: the kernel threw rather than a check failing. */
    record Failure(int step, String message, boolean threw) {}

    /** The situations {@link #find} counts, each of which a full run must reach. */
    public static final List<String> SITUATIONS = List.of(
            "retype ENDPOINT", "retype NOTIFICATION", "retype SPACE", "retype UNTYPED", "retype REGION",
            "retype from a made untyped", "budget exhausted (refused)", "budget filled exactly",
            "revoke of an untyped destroying objects", "revoke destroying what a made untyped made",
            "delete of an untyped with children", "waiter released by a destruction",
            "retype without WRITE (refused)", "kill without WRITE (refused)", "restart without WRITE (refused)",
            "kill", "restart", "task info", "restart of a waiter whose buffer was used",
            "badge record made and charged (a new badge beyond an endpoint's free records)",
            "mint refused: no budget left for a badge record", "revoke of an untyped refunding badge records");

    /** Runs the property; the first failure, shrunk. */
    public static Optional<Report> find(InjectedBugs bugs, Tally coverage) {
        Long only = Long.getLong("capipc.props.seed");
        int runs = only != null ? 1 : Integer.getInteger("capipc.props.runs", Property.RUNS);
        long base = only != null ? only : Long.getLong("capipc.props.base", 1L);
        int steps = Integer.getInteger("capipc.props.steps", 60);
        for (int r = 0; r < runs; r++) {
            long seed = base + r;
            List<BudgetAction> actions = generate(seed, steps);
            Failure f = run(actions, bugs, coverage);
            if (counts(f, bugs)) {
                List<BudgetAction> minimal = shrink(actions, bugs);
                Failure last = Objects.requireNonNull(run(minimal, bugs, new Tally()));
                return Optional.of(new Report(seed, last.message(), last.step(), minimal));
            }
        }
        return Optional.empty();
    }

    /** A failure counts, unless a kernel built with injected bugs threw (as in RegionProperty). */
    private static boolean counts(@Nullable Failure f, InjectedBugs bugs) {
        return f != null && !(f.threw() && bugs != InjectedBugs.NONE);
    }

    // ---- generation

    private static final ObjectType[] MADE = {ObjectType.ENDPOINT, ObjectType.NOTIFICATION, ObjectType.SPACE,
            ObjectType.UNTYPED, ObjectType.REGION};

    static List<BudgetAction> generate(long seed, int steps) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<BudgetAction> out = new ArrayList<>();
        while (out.size() < steps) {
            if (rnd.nextInt(100) < 20) {
                out.addAll(template(rnd));
            } else {
                out.add(action(rnd));
            }
        }
        return out.subList(0, steps);
    }

    /** A slot for a new capability: between the boot untypeds and the Task capabilities. */
    private static int free(SplittableRandom rnd) {
        return 2 + rnd.nextInt(BudgetWorld.TASK_CAPS[0] - 2);
    }

    /**
     * Short scenarios random actions reach too rarely: a waiter on a made endpoint or notification
     * when its untyped is revoked (then, half the time, restarted: its buffer holds what the wait
     * left); a made untyped's objects revoked through its parent; capabilities
     * without WRITE used for Retype, Kill and Restart; an untyped filled to the byte, then refused,
     * then refunded by a Delete; a minted copy of an untyped used, then the original revoked; more
     * distinct badges minted on a made endpoint than it has badge records, with the untyped's budget
     * nearly spent half the time, some deleted and minted again, then the untyped revoked.
     */
    private static List<BudgetAction> template(SplittableRandom rnd) {
        int u = rnd.nextInt(2);
        int d = free(rnd);
        int d2 = free(rnd);
        int d3 = free(rnd);
        int w = rnd.nextInt(BudgetWorld.WAITERS);
        int noWrite = rnd.nextBoolean() ? Rights.READ | Rights.GRANT : Rights.READ;
        ObjectType waitable = rnd.nextBoolean() ? ObjectType.ENDPOINT : ObjectType.NOTIFICATION;
        return switch (rnd.nextInt(6)) {
            case 5 -> badgeFlood(rnd, u, d, d2);
            case 0 -> rnd.nextBoolean() ? List.of(new Retype(u, waitable, 0, d), new Block(w, d), new Revoke(u))
                    : List.of(new Retype(u, waitable, 0, d), new Block(w, d), rnd.nextBoolean() ? new Revoke(u) : new Delete(d),
                            new Restart(BudgetWorld.TASK_CAPS[w]));
            case 1 -> {
                ObjectType t = MADE[rnd.nextInt(MADE.length)];
                yield List.of(new Retype(u, ObjectType.UNTYPED, 900 + rnd.nextLong(900), d), new Retype(d, t, param(rnd, t), d2),
                        new Retype(d, waitable, 0, d3), new Block(w, d3), rnd.nextBoolean() ? new Revoke(u) : new Delete(d));
            }
            case 2 -> {
                int task = BudgetWorld.TASK_CAPS[rnd.nextInt(2)];
                yield List.of(new Copy(u, d, noWrite), new Retype(d, ObjectType.ENDPOINT, 0, d2), new Copy(task, d3, noWrite),
                        rnd.nextBoolean() ? new Kill(d3) : new Restart(d3), new BudgetAction.TaskInfo(d3));
            }
            case 3 -> {
                long b = 600 + rnd.nextLong(1200);
                yield List.of(new Retype(u, ObjectType.UNTYPED, b, d), new Retype(d, ObjectType.REGION, b - ObjectSizes.REGION, d2),
                        new Retype(d, ObjectType.NOTIFICATION, 0, d3), new Delete(d2), new Retype(d, ObjectType.ENDPOINT, 0, d3));
            }
            default -> {
                ObjectType t = MADE[rnd.nextInt(MADE.length)];
                yield List.of(new Mint(u, d, Rights.ALL, 1 + rnd.nextInt(3)), new Retype(d, ObjectType.SPACE, param(rnd, ObjectType.SPACE), d2),
                        new Retype(d, t, param(rnd, t), d3), new Revoke(u));
            }
        };
    }

    /** A made endpoint given 14 to 18 distinct badges, then some taken back and others minted, then its untyped revoked. */
    private static List<BudgetAction> badgeFlood(SplittableRandom rnd, int u, int d, int d2) {
        List<BudgetAction> out = new ArrayList<>();
        out.add(new Retype(u, ObjectType.ENDPOINT, 0, d));
        if (rnd.nextBoolean()) {
            // leaves the untyped 0 to 2 badge records' worth, if it was untouched
            long left = 2 * ObjectSizes.BADGE_RECORD - rnd.nextLong(2 * ObjectSizes.BADGE_RECORD + 1);
            out.add(new Retype(u, ObjectType.REGION, BudgetWorld.BUDGETS[u] - ObjectSizes.charge(ObjectType.ENDPOINT, 0)
                    - ObjectSizes.REGION - left, d2));
        }
        List<Integer> slots = new ArrayList<>();
        for (int s = 2; s < BudgetWorld.TASK_CAPS[0]; s++) {
            if (s != d && s != d2) {
                slots.add(s);
            }
        }
        java.util.Collections.shuffle(slots, new java.util.Random(rnd.nextLong()));
        int n = Math.min(slots.size(), 14 + rnd.nextInt(5));
        for (int i = 0; i < n; i++) {
            out.add(new Mint(d, slots.get(i), Rights.ALL, 100 + i));
        }
        for (int i = 0; i < 3; i++) {
            int s = slots.get(rnd.nextInt(n));
            out.add(new Delete(s));
            out.add(new Mint(d, s, Rights.ALL, 200 + rnd.nextInt(3)));
        }
        out.add(rnd.nextBoolean() ? new Revoke(u) : new Delete(d));
        return out;
    }

    /** A parameter for {@code type}, now and then out of range or over any budget. */
    private static long param(SplittableRandom rnd, ObjectType type) {
        boolean bad = rnd.nextInt(15) == 0;
        return switch (type) {
            case ENDPOINT, NOTIFICATION -> bad ? 1 : 0;
            case SPACE -> bad ? ObjectSizes.space(0, 1) : ObjectSizes.space(1 + rnd.nextInt(8), rnd.nextInt(4));
            case UNTYPED -> bad ? 0 : 1 + rnd.nextLong(3000);
            case REGION -> bad ? 1L << 20 : rnd.nextLong(1500);
            case REPLY_POOL_ENTRY, ASYNC_PORT, TASK -> 0;
        };
    }

    private static BudgetAction action(SplittableRandom rnd) {
        int slot = rnd.nextInt(4) == 0 ? rnd.nextInt(2) : rnd.nextInt(BudgetWorld.SLOTS + (rnd.nextInt(20) == 0 ? 1 : 0));
        int dst = rnd.nextInt(20) == 0 ? rnd.nextInt(BudgetWorld.SLOTS + 1) : free(rnd);
        int rights = rnd.nextInt(Rights.ALL + 1);
        int taskSlot = rnd.nextInt(3) == 0 ? free(rnd) : BudgetWorld.TASK_CAPS[rnd.nextInt(BudgetWorld.TASK_CAPS.length)];
        int w = rnd.nextInt(100);
        if (w < 34) {
            ObjectType t = rnd.nextInt(25) == 0 ? ObjectType.TASK : MADE[rnd.nextInt(MADE.length)];
            return new Retype(slot, t, param(rnd, t), dst);
        } else if (w < 44) {
            return new Copy(rnd.nextInt(3) == 0 ? taskSlot : slot, dst, rights);
        } else if (w < 49) {
            return new Mint(slot, dst, rights, rnd.nextInt(3));
        } else if (w < 59) {
            return new Delete(slot);
        } else if (w < 69) {
            return new Revoke(slot);
        } else if (w < 82) {
            return new Block(rnd.nextInt(BudgetWorld.WAITERS), free(rnd));
        } else if (w < 89) {
            return new Kill(taskSlot);
        } else if (w < 95) {
            return new Restart(taskSlot);
        } else {
            return new BudgetAction.TaskInfo(taskSlot);
        }
    }

    // ---- running and checking

    /** Runs {@code actions} on a fresh kernel and model; the first failure, or null. */
    static @Nullable Failure run(List<BudgetAction> actions, InjectedBugs bugs, Tally coverage) {
        BudgetWorld w = new BudgetWorld(bugs);
        BudgetModel m = new BudgetModel(BudgetWorld.SLOTS, BudgetWorld.WAITERS);
        for (int u = 0; u < BudgetWorld.BUDGETS.length; u++) {
            m.bootUntyped(u, BudgetWorld.BUDGETS[u]);
        }
        for (int i = 0; i < BudgetWorld.TASK_CAPS.length; i++) {
            Obj same = null;
            for (int j = 0; j < i; j++) {
                Cap earlier = m.slots[BudgetWorld.TASK_CAPS[j]];
                if (BudgetWorld.TASK_TARGETS[j] == BudgetWorld.TASK_TARGETS[i] && earlier != null) {
                    same = earlier.obj;
                }
            }
            m.bootTask(BudgetWorld.TASK_CAPS[i], BudgetWorld.TASK_TARGETS[i], BudgetWorld.TASK_RIGHTS[i], same);
        }
        Ids ids = new Ids();
        for (int i = 0; i < actions.size(); i++) {
            @Nullable String problem;
            try {
                problem = step(w, m, ids, actions.get(i), coverage);
                if (problem == null) {
                    problem = compare(w, m, ids);
                }
            } catch (RuntimeException | AssertionError e) {
                return new Failure(i, "the kernel threw " + e, true);
            }
            if (problem != null) {
                return new Failure(i, problem, false);
            }
        }
        return null;
    }

    /** Applies one action to both; a disagreement, or a broken guarantee, or null. */
    private static @Nullable String step(BudgetWorld w, BudgetModel m, Ids ids, BudgetAction a, Tally coverage) {
        for (Waiter x : m.waiters) {
            x.released = false;
        }
        return switch (a) {
            case Retype x -> retype(w, m, x, coverage);
            case Copy x -> agree(w.d.copy(w.owner, x.src(), x.dst(), x.rights()), m.copy(x.src(), x.dst(), x.rights()));
            case Mint x -> {
                String s = agree(w.d.mint(w.owner, x.src(), x.dst(), x.rights(), x.badge()),
                        m.mint(x.src(), x.dst(), x.rights(), x.badge()));
                switch (m.lastRecords) {
                    case CHARGED -> coverage.count("badge record made and charged (a new badge beyond an endpoint's free records)");
                    case NO_BUDGET -> coverage.count("mint refused: no budget left for a badge record");
                    case NONE -> { }
                }
                yield s;
            }
            case Delete x -> {
                Cap c = m.cap(x.slot());
                if (c != null && c.obj.type == ObjectType.UNTYPED && !c.children.isEmpty()) {
                    coverage.count("delete of an untyped with children");
                }
                yield released(w, m, agree(w.d.delete(w.owner, x.slot()), m.delete(x.slot())), coverage);
            }
            case Revoke x -> revoke(w, m, ids, x, coverage);
            case Block x -> block(w, m, x);
            case Kill x -> control(w, m, "Kill", x.slot(), coverage);
            case Restart x -> control(w, m, "Restart", x.slot(), coverage);
            case BudgetAction.TaskInfo x -> taskInfo(w, m, x.slot(), coverage);
        };
    }

    private static @Nullable String retype(BudgetWorld w, BudgetModel m, Retype x, Tally coverage) {
        Cap u = m.cap(x.slot());
        boolean[] exhausted = new boolean[1];
        long left = u == null ? 0 : u.obj.budget - u.obj.used;
        boolean ok = m.retype(x.slot(), x.type(), x.param(), x.dst(), exhausted);
        int spacesBefore = w.kernel.inspect().spaces().size();
        Outcome o = w.d.retype(w.owner, x.slot(), x.type(), x.param(), x.dst());
        if (o == Outcome.OK && u != null && !Rights.has(u.rights, Rights.WRITE)) {
            return "guarantee 16: Retype succeeded through slot " + x.slot() + " with rights " + Rights.toString(u.rights);
        }
        if (u != null && u.obj.type == ObjectType.UNTYPED && !Rights.has(u.rights, Rights.WRITE) && ObjectSizes.charge(x.type(), x.param()) >= 0) {
            coverage.count("retype without WRITE (refused)");
        }
        if (ok) {
            coverage.count("retype " + x.type());
            if (Objects.requireNonNull(u).obj.from != null) {
                coverage.count("retype from a made untyped");
            }
            if (ObjectSizes.charge(x.type(), x.param()) == left) {
                coverage.count("budget filled exactly");
            }
        }
        if (exhausted[0]) {
            coverage.count("budget exhausted (refused)");
        }
        return ok && o == Outcome.OK && x.type() == ObjectType.SPACE ? madeSpace(w, x.param(), spacesBefore) : agree(o, ok);
    }

    /** A Space Retype made has the slots and reply pool its parameter asked for (docs/semantics.md §13), and no capability. */
    private static @Nullable String madeSpace(BudgetWorld w, long param, int spacesBefore) {
        List<KernelView.SpaceView> spaces = w.kernel.inspect().spaces();
        KernelView.SpaceView made = spaces.size() == spacesBefore + 1 ? spaces.getLast() : null;
        int slots = (int) (param & 0xFFFF_FFFFL);
        int pool = (int) (param >>> 32);
        return made != null && made.size() == slots && made.freeReplies() == pool && made.slots().isEmpty() ? null
                : "Retype of a Space with " + slots + " slots and a pool of " + pool + " made " + made;
    }

    private static @Nullable String revoke(BudgetWorld w, BudgetModel m, Ids ids, Revoke x, Tally coverage) {
        Cap c = m.cap(x.slot());
        List<Obj> under = c != null && c.obj.type == ObjectType.UNTYPED ? m.madeUnder(c) : List.of();
        under = new ArrayList<>(under);
        if (c != null) {
            under.remove(c.obj);
        }
        boolean ok = m.revoke(x.slot());
        String s = released(w, m, agree(w.d.revoke(w.owner, x.slot()), ok), coverage);
        if (s != null || c == null || c.obj.type != ObjectType.UNTYPED || under.isEmpty()) {
            return s;
        }
        coverage.count("revoke of an untyped destroying objects");
        if (under.stream().anyMatch(o -> o.records > BudgetModel.RECORDS)) {
            coverage.count("revoke of an untyped refunding badge records");
        }
        if (under.stream().anyMatch(o -> o.from != c.obj)) {
            coverage.count("revoke destroying what a made untyped made");
        }
        // Guarantee 16 on the kernel alone: everything made under the capability is gone.
        KernelView kv = w.kernel.inspect();
        for (Obj o : under) {
            Integer id = ids.kernelId.get(o);
            if (id != null && liveInKernel(kv, id)) {
                return "guarantee 16: after Revoke of the untyped in slot " + x.slot() + ", object " + id + " (" + o.type
                        + ") made under it still lives";
            }
        }
        Integer uid = ids.kernelId.get(c.obj);
        UntypedView uv = uid == null ? null : untyped(kv, uid);
        if (c.obj.caps == 1 && uv != null && (uv.used() != 0 || !uv.made().isEmpty())) {
            return "guarantee 16: after Revoke of the untyped in slot " + x.slot() + " (its only capability), it counts "
                    + uv.used() + " bytes used of " + uv.budget() + ", made " + uv.made();
        }
        return null;
    }

    /** Whether the kernel shows object {@code id} alive: in some untyped's made list, or not destroyed in its own view. */
    private static boolean liveInKernel(KernelView kv, int id) {
        for (UntypedView u : kv.untypeds()) {
            if ((u.id() == id && !u.destroyed()) || u.made().stream().anyMatch(mv -> mv.objectId() == id)) {
                return true;
            }
        }
        return kv.endpoints().stream().anyMatch(e -> e.id() == id && !e.destroyed())
                || kv.notifications().stream().anyMatch(n -> n.id() == id && !n.destroyed())
                || kv.regions().stream().anyMatch(r -> r.id() == id && !r.destroyed());
    }

    private static @Nullable String block(BudgetWorld w, BudgetModel m, Block x) {
        Waiter waiter = m.waiters[x.waiter()];
        Cap c = m.cap(x.slot());
        if (waiter.state != io.capipc.api.TaskState.RUNNING || c == null
                || (c.obj.type != ObjectType.ENDPOINT && c.obj.type != ObjectType.NOTIFICATION)) {
            return null; // skipped on both sides
        }
        boolean blocks = m.block(x.waiter(), x.slot());
        w.d.ipc(w.waiters[x.waiter()]).setMr(MessageInfo.MAX_LENGTH - 1, 0x5EED); // what its task wrote; gone after a Restart
        Outcome o = c.obj.type == ObjectType.ENDPOINT ? w.d.recv(w.waiters[x.waiter()], x.slot())
                : w.d.waitNotification(w.waiters[x.waiter()], x.slot());
        if ((o == Outcome.BLOCKED) != blocks) {
            return "waiter " + x.waiter() + " on slot " + x.slot() + ": the kernel returned " + o + ", the model "
                    + (blocks ? "BLOCKED" : "a refusal");
        }
        return null;
    }

    private static @Nullable String control(BudgetWorld w, BudgetModel m, String which, int slot, Tally coverage) {
        Cap c = m.cap(slot);
        boolean kill = which.equals("Kill");
        boolean ok = kill ? m.kill(slot) : m.restart(slot);
        boolean used = ok && !kill && !FreshIpc.isFresh(w.d.ipc(w.waiters[Objects.requireNonNull(c).obj.task]));
        Outcome o = kill ? w.d.kill(w.owner, slot) : w.d.restart(w.owner, slot);
        if (o == Outcome.OK && c != null && !Rights.has(c.rights, Rights.WRITE)) {
            return "guarantee 16: " + which + " succeeded through slot " + slot + " with rights " + Rights.toString(c.rights);
        }
        if (c != null && c.obj.type == ObjectType.TASK && !Rights.has(c.rights, Rights.WRITE)) {
            coverage.count((kill ? "kill" : "restart") + " without WRITE (refused)");
        }
        if (ok) {
            coverage.count(kill ? "kill" : "restart");
        }
        String s = agree(o, ok);
        if (s != null || !ok || kill) {
            return s;
        }
        if (used) {
            coverage.count("restart of a waiter whose buffer was used");
        }
        // Section 13: the body starts again on a fresh IPC buffer.
        String stale = FreshIpc.problem(w.d.ipc(w.waiters[Objects.requireNonNull(c).obj.task]));
        return stale == null ? null : "Restart through slot " + slot + ": waiter " + c.obj.task + " " + stale;
    }

    private static @Nullable String taskInfo(BudgetWorld w, BudgetModel m, int slot, Tally coverage) {
        boolean ok = m.taskInfo(slot);
        String s = agree(w.d.taskInfo(w.owner, slot), ok);
        if (s != null || !ok) {
            return s;
        }
        coverage.count("task info");
        Waiter target = m.waiters[Objects.requireNonNull(m.cap(slot)).obj.task];
        long state = w.d.ipc(w.owner).mr(TaskInfo.STATE);
        long restarts = w.d.ipc(w.owner).mr(TaskInfo.RESTARTS);
        if (state != target.state.ordinal() || restarts != target.restarts) {
            return "TaskInfo through slot " + slot + " says state " + state + " and " + restarts + " restarts, the model "
                    + target.state + " and " + target.restarts;
        }
        return null;
    }

    /** After a destruction: each waiter the model released got REVOKED. */
    private static @Nullable String released(BudgetWorld w, BudgetModel m, @Nullable String s, Tally coverage) {
        if (s != null) {
            return s;
        }
        for (int i = 0; i < m.waiters.length; i++) {
            if (m.waiters[i].released) {
                coverage.count("waiter released by a destruction");
                Status got = w.d.ipc(w.waiters[i]).status();
                if (got != Status.REVOKED) {
                    return "waiter " + i + " was released with " + got + ", not REVOKED";
                }
            }
        }
        return null;
    }

    private static @Nullable String agree(Outcome kernel, boolean model) {
        if ((kernel == Outcome.OK) != model) {
            return "the kernel returned " + kernel + ", the model " + (model ? "OK" : "a refusal");
        }
        return null;
    }

    /** The model's objects and the kernel's ids, one to one. */
    private static final class Ids {
        final IdentityHashMap<Obj, Integer> kernelId = new IdentityHashMap<>();
        final HashMap<Integer, Obj> modelObj = new HashMap<>();

        @Nullable String bind(Obj o, int id) {
            Integer k = kernelId.putIfAbsent(o, id);
            Obj back = modelObj.putIfAbsent(id, o);
            if ((k != null && k != id) || (back != null && back != o)) {
                return "the kernel's objects and the model's are not one to one (kernel id " + id + ")";
            }
            return null;
        }
    }

    /** The state after a step: slots, untypeds, objects' liveness, waiters. */
    private static @Nullable String compare(BudgetWorld w, BudgetModel m, Ids ids) {
        KernelView kv = w.kernel.inspect();
        List<SlotView> slots = List.of();
        for (KernelView.SpaceView sv : kv.spaces()) {
            if (sv.id() == w.space.id()) {
                slots = sv.slots();
            }
        }
        SlotView[] k = new SlotView[BudgetWorld.SLOTS];
        for (SlotView v : slots) {
            k[v.index()] = v;
        }
        for (int i = 0; i < BudgetWorld.SLOTS; i++) {
            String p = compareSlot(m, ids, i, k[i], m.slots[i]);
            if (p != null) {
                return p;
            }
        }
        String p = compareUntypeds(kv, m, ids);
        if (p != null) {
            return p;
        }
        for (Obj o : m.made) {
            Integer id = ids.kernelId.get(o);
            if (id != null && o.type != ObjectType.SPACE && liveInKernel(kv, id) != o.alive) {
                return "object " + id + " (" + o.type + ") " + (o.alive ? "was destroyed" : "still lives") + " in the kernel, "
                        + (o.alive ? "lives" : "was destroyed") + " in the model";
            }
        }
        return compareWaiters(w, m, ids, kv);
    }

    private static @Nullable String compareSlot(BudgetModel m, Ids ids, int i, @Nullable SlotView k, @Nullable Cap c) {
        String at = "slot " + i;
        if ((k == null) != (c == null)) {
            return at + ": the kernel's holds " + k + ", the model's " + (c == null ? "nothing" : "a " + c.obj.type);
        }
        if (k == null || c == null) {
            return null;
        }
        int parent = c.parent == null ? -1 : m.indexOf(c.parent);
        if (k.type() != c.obj.type || k.rights() != c.rights || k.badge() != c.badge || k.parentSlot() != parent) {
            return at + ": the kernel's " + k + ", the model's " + c.obj.type + " with rights " + c.rights + ", badge "
                    + c.badge + ", parent slot " + parent;
        }
        String p = ids.bind(c.obj, k.objectId());
        return p == null ? null : at + ": " + p;
    }

    private static @Nullable UntypedView untyped(KernelView kv, int id) {
        for (UntypedView u : kv.untypeds()) {
            if (u.id() == id) {
                return u;
            }
        }
        return null;
    }

    private static @Nullable String compareUntypeds(KernelView kv, BudgetModel m, Ids ids) {
        for (UntypedView u : kv.untypeds()) {
            long sum = u.made().stream().mapToLong(MadeView::charge).sum();
            if (u.used() > u.budget() || u.used() != sum) {
                return "guarantee 16: untyped " + u.id() + " counts " + u.used() + " used of a budget of " + u.budget()
                        + ", its made objects charge " + sum;
            }
        }
        for (Obj o : m.untypeds) {
            Integer id = ids.kernelId.get(o);
            UntypedView u = id == null ? null : untyped(kv, id);
            if (u == null) {
                continue; // never seen in a slot: made and gone within one step cannot happen, boot ones are seen at once
            }
            List<String> want = new ArrayList<>();
            for (Obj made : o.made) {
                want.add(ids.kernelId.get(made) + ":" + made.type + ":" + made.charge);
            }
            List<String> got = new ArrayList<>();
            for (MadeView mv : u.made()) {
                got.add(mv.objectId() + ":" + mv.type() + ":" + mv.charge());
            }
            if (u.budget() != o.budget || u.used() != o.used || !got.equals(want) || u.destroyed() == o.alive) {
                return "guarantee 16: untyped " + id + " in the kernel: " + u.used() + " used of " + u.budget() + ", made " + got
                        + (u.destroyed() ? ", destroyed" : "") + "; in the model: " + o.used + " used of " + o.budget + ", made "
                        + want + (o.alive ? "" : ", destroyed");
            }
        }
        return null;
    }

    private static @Nullable String compareWaiters(BudgetWorld w, BudgetModel m, Ids ids, KernelView kv) {
        for (int i = 0; i < BudgetWorld.WAITERS; i++) {
            int tid = w.waiters[i].id();
            TaskView t = kv.tasks().stream().filter(v -> v.id() == tid).findFirst().orElseThrow();
            Waiter x = m.waiters[i];
            Integer on = x.on == null ? null : ids.kernelId.get(x.on);
            int wantOn = on == null ? -1 : on;
            if (t.state() != x.state || t.restarts() != x.restarts || (x.on != null && t.blockedOn() != wantOn)) {
                return "waiter " + i + ": the kernel's " + t.state() + " on " + t.blockedOn() + " after " + t.restarts()
                        + " restarts, the model's " + x.state + " on " + wantOn + " after " + x.restarts;
            }
        }
        return null;
    }

    // ---- shrinking

    /** Drops chunks of actions, halves down to singles, while the run still fails. */
    static List<BudgetAction> shrink(List<BudgetAction> failing, InjectedBugs bugs) {
        return Shrinker.dropChunks(failing, as -> counts(run(as, bugs, new Tally()), bugs));
    }
}
