package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.ObjectType;
import io.capipc.api.Rights;
import io.capipc.api.Syscalls;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.Tally;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The boot API (docs/semantics.md §1, §12.1, §13: {@code Kernel.createSpace}, {@code createEndpoint},
 * {@code createRegion}, {@code createUntyped}, {@code createNotification}, {@code createTask},
 * {@code install}) against a model of its argument rules: random calls with arguments at and around
 * every bound, and handles of destroyed objects and of another kernel. A call the rules refuse must
 * throw IllegalArgumentException, name what was wrong (the range of a slot out of range, the handle
 * it refused) and change nothing; a call they allow must make exactly what it says, as the kernel's
 * view shows. Cases: {@code capipc.props.runs} (default {@link Property#RUNS}), {@code capipc.props.base},
 * {@code capipc.props.seed}.
 */
class BootApiProperty {
    private static final String[] NAMES = {null, "", "  ", "s", "name 7"};
    private static final long[] BUDGETS = {-1, 0, 1, 4096, Syscalls.MAX_BUDGET, Syscalls.MAX_BUDGET + 1};
    /** A boot endpoint made with {@code createEndpoint()} tracks this many badges (docs/semantics.md, differences). */
    private static final int UNBOUNDED = 65_536;

    /** What the model knows of one Space: its handle, size, and each full slot's object, rights and badge. */
    private record MSpace(SpaceHandle handle, int size, Map<Integer, MObject> slots, Map<Integer, Integer> rights,
                          Map<Integer, Long> badges) {
        MSpace(SpaceHandle handle, int size) {
            this(handle, size, new HashMap<>(), new HashMap<>(), new HashMap<>());
        }
    }

    /** An object: its handle, for an endpoint the badges it can track and those counted now. */
    private static final class MObject {
        final ObjectHandle handle;
        final int badgeLimit;
        final Map<Long, Integer> badges = new HashMap<>();
        int caps;
        boolean destroyed;

        MObject(ObjectHandle handle, int badgeLimit) {
            this.handle = handle;
            this.badgeLimit = badgeLimit;
        }
    }

    @Test
    void builders_refuseBadArguments_andMakeWhatTheySay() {
        Long only = Long.getLong("capipc.props.seed");
        int runs = only != null ? 1 : Integer.getInteger("capipc.props.runs", Property.RUNS);
        long base = only != null ? only : Long.getLong("capipc.props.base", 1L);
        Tally coverage = new Tally();
        for (int r = 0; r < runs; r++) {
            String problem = run(new SplittableRandom(base + r), coverage);
            if (problem != null) {
                throw new AssertionError("BootApiProperty failed for seed " + (base + r) + ": " + problem);
            }
        }
        System.out.println("BootApiProperty coverage: " + coverage);
        if (Property.fullRun()) {
            for (String call : List.of("space", "endpoint", "region", "untyped", "task", "install")) {
                for (String outcome : List.of(" made", " refused")) {
                    assertTrue(coverage.get(call + outcome) >= 100, call + outcome + ": " + coverage);
                }
            }
            assertTrue(coverage.get("install refused: badge limit") >= 20, coverage.toString());
            assertTrue(coverage.get("install refused: destroyed object") >= 20, coverage.toString());
        }
    }

    /** One case: 30 calls on a fresh kernel; what went wrong, or null. */
    private static String run(SplittableRandom rnd, Tally coverage) {
        Kernel k = new Kernel();
        DeterministicDriver d = new DeterministicDriver(k);
        Kernel other = new Kernel();
        List<MSpace> spaces = new ArrayList<>();
        List<MObject> objects = new ArrayList<>();
        List<TaskHandle> tasks = new ArrayList<>();
        ObjectHandle foreign = other.createEndpoint();
        for (int i = 0; i < 30; i++) {
            KernelView before = k.inspect();
            String problem = switch (spaces.isEmpty() ? 0 : rnd.nextInt(7)) {
                case 0 -> space(k, rnd, spaces, coverage);
                case 1 -> endpoint(k, rnd, objects, coverage);
                case 2 -> regionOrUntyped(k, rnd, objects, coverage);
                case 3, 4 -> install(k, rnd, spaces, objects, foreign, coverage);
                case 5 -> task(k, d, rnd, spaces, tasks, coverage);
                default -> delete(d, rnd, spaces, tasks);
            };
            if (problem != null) {
                return "call " + i + ": " + problem + "\n  before: " + before;
            }
        }
        return null;
    }

    /** Runs {@code call}; null if it threw IllegalArgumentException naming every one of {@code names} and changed nothing. */
    private static String refused(Kernel k, String what, Runnable call, String... names) {
        KernelView before = k.inspect();
        try {
            call.run();
            return what + " was accepted; its arguments break the boot API's rules";
        } catch (IllegalArgumentException e) {
            for (String n : names) {
                if (e.getMessage() == null || !e.getMessage().contains(n)) {
                    return what + " was refused with \"" + e.getMessage() + "\", which does not name " + n;
                }
            }
        }
        return before.equals(k.inspect()) ? null : what + " was refused but changed the kernel";
    }

    private static String space(Kernel k, SplittableRandom rnd, List<MSpace> spaces, Tally coverage) {
        String name = NAMES[rnd.nextInt(NAMES.length)];
        int slots = rnd.nextInt(4) - 1 + (rnd.nextBoolean() ? 0 : 4);
        int pool = rnd.nextInt(4) - 1;
        boolean ok = name != null && !name.isBlank() && slots >= 1 && pool >= 0;
        String what = "createSpace(" + name + ", " + slots + ", " + pool + ")";
        if (!ok) {
            coverage.count("space refused");
            return refused(k, what, () -> k.createSpace(name, slots, pool));
        }
        SpaceHandle h = k.createSpace(name, slots, pool);
        coverage.count("space made");
        spaces.add(new MSpace(h, slots));
        KernelView.SpaceView v = k.inspect().space(h.id());
        return v != null && v.name().equals(name) && v.size() == slots && v.freeReplies() == pool && v.slots().isEmpty()
                && h.name().equals(name) ? null : what + " made " + v;
    }

    private static String endpoint(Kernel k, SplittableRandom rnd, List<MObject> objects, Tally coverage) {
        if (rnd.nextInt(4) == 0) {
            objects.add(new MObject(rnd.nextBoolean() ? k.createEndpoint() : k.createNotification(), UNBOUNDED));
            return null;
        }
        int badges = rnd.nextInt(4) - 1;
        if (badges < 0) {
            coverage.count("endpoint refused");
            return refused(k, "createEndpoint(" + badges + ")", () -> k.createEndpoint(badges));
        }
        ObjectHandle h = k.createEndpoint(badges);
        coverage.count("endpoint made");
        objects.add(new MObject(h, badges));
        return h.type() == ObjectType.ENDPOINT && k.inspect().endpoints().stream().anyMatch(e -> e.id() == h.id()) ? null
                : "createEndpoint(" + badges + ") made " + h;
    }

    private static String regionOrUntyped(Kernel k, SplittableRandom rnd, List<MObject> objects, Tally coverage) {
        if (rnd.nextBoolean()) {
            long bytes = rnd.nextInt(4) - 1 + (rnd.nextBoolean() ? 0 : 60);
            if (bytes < 0) {
                coverage.count("region refused");
                return refused(k, "createRegion(" + bytes + ")", () -> k.createRegion(bytes));
            }
            ObjectHandle h = k.createRegion(bytes);
            coverage.count("region made");
            objects.add(new MObject(h, 0));
            return k.inspect().regions().stream().anyMatch(x -> x.id() == h.id() && x.length() == bytes && x.offset() == 0)
                    ? null : "createRegion(" + bytes + ") made " + k.inspect().regions();
        }
        long budget = BUDGETS[rnd.nextInt(BUDGETS.length)];
        if (budget < 1 || budget > Syscalls.MAX_BUDGET) {
            coverage.count("untyped refused");
            return refused(k, "createUntyped(" + budget + ")", () -> k.createUntyped(budget));
        }
        ObjectHandle h = k.createUntyped(budget);
        coverage.count("untyped made");
        objects.add(new MObject(h, 0));
        return k.inspect().untypeds().stream().anyMatch(u -> u.id() == h.id() && u.budget() == budget && u.used() == 0)
                ? null : "createUntyped(" + budget + ") made " + k.inspect().untypeds();
    }

    /** A task, its fault endpoint from a slot that may be out of range, empty, or hold something else. */
    private static String task(Kernel k, DeterministicDriver d, SplittableRandom rnd, List<MSpace> spaces, List<TaskHandle> tasks,
                               Tally coverage) {
        MSpace s = spaces.get(rnd.nextInt(spaces.size()));
        String name = NAMES[rnd.nextInt(NAMES.length)];
        int fault = rnd.nextInt(3) == 0 ? -1 : rnd.nextInt(s.size() + 2) - 1 + (rnd.nextInt(8) == 0 ? -1 : 0);
        MObject held = s.slots().get(fault);
        boolean goodFault = fault == -1 || held != null && held.handle.type() == ObjectType.ENDPOINT
                && Rights.has(s.rights().get(fault), Rights.WRITE);
        String what = "createTask(" + s.handle() + ", " + name + ", " + fault + ")";
        if (name == null || name.isBlank() || !goodFault) {
            coverage.count("task refused");
            boolean named = name != null && !name.isBlank();
            boolean range = fault < -1 || fault >= s.size();
            if (named && !range) {
                coverage.count("task refused: fault slot holds " + (held == null ? "nothing" : held.handle.type()));
                // names the Space and what the slot holds: "fault slot 2 of s#0 ... holds notification#3 with rights ..."
                String space = s.handle().name() + "#" + s.handle().id();
                String holds = held == null ? "nothing" : held.handle.type().name().toLowerCase(java.util.Locale.ROOT) + "#" + held.handle.id();
                return refused(k, what, () -> k.createTask(s.handle(), name, fault), space, holds);
            }
            return refused(k, what, () -> k.createTask(s.handle(), name, fault), named ? "0.." + (s.size() - 1) : "");
        }
        TaskHandle t = k.createTask(s.handle(), name, fault);
        coverage.count("task made");
        d.start(t);
        tasks.add(t);
        if (fault != -1) {
            held.caps++; // the fault capability, a child in the task's own slot, counts as one more
            count(held, s.badges().get(fault));
        }
        KernelView.TaskView v = k.inspect().task(t.id());
        boolean right = v != null && v.name().equals(name) && v.spaceId() == s.handle().id()
                && (fault == -1 ? v.faultCap() == null : v.faultCap() != null && v.faultCap().objectId() == held.handle.id()
                && v.faultCap().parentSlot() == fault);
        return right ? null : what + " made " + v;
    }

    private static String install(Kernel k, SplittableRandom rnd, List<MSpace> spaces, List<MObject> objects, ObjectHandle foreign,
                                  Tally coverage) {
        MSpace s = spaces.get(rnd.nextInt(spaces.size()));
        int slot = rnd.nextInt(8) == 0 ? (rnd.nextBoolean() ? -1 : s.size()) : rnd.nextInt(s.size());
        int rights = rnd.nextInt(10) == 0 ? 1 << 6 : rnd.nextInt(Rights.ALL + 1);
        long badge = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(4);
        MObject o = objects.isEmpty() || rnd.nextInt(12) == 0 ? null : objects.get(rnd.nextInt(objects.size()));
        ObjectHandle h = o == null ? foreign : o.handle;
        String what = "install(" + s.handle() + ", " + slot + ", " + h + ", " + rights + ", " + badge + ")";
        boolean range = slot < 0 || slot >= s.size();
        String why = range ? "range" : s.slots().containsKey(slot) ? "occupied" : !Rights.isValid(rights) ? "rights"
                : o == null ? "foreign" : o.destroyed ? "destroyed object"
                : h.type() == ObjectType.ENDPOINT && badge != 0 && !o.badges.containsKey(badge) && o.badges.size() >= o.badgeLimit
                ? "badge limit" : null;
        if (why != null) {
            coverage.count("install refused");
            coverage.count("install refused: " + why);
            String named = switch (why) {
                case "range" -> "0.." + (s.size() - 1);
                case "occupied" -> "#" + s.handle().id();
                case "foreign", "destroyed object", "badge limit" -> "#" + h.id();
                default -> "";
            };
            return refused(k, what, () -> k.install(s.handle(), slot, h, rights, badge), named);
        }
        k.install(s.handle(), slot, h, rights, badge);
        coverage.count("install made");
        s.slots().put(slot, o);
        s.rights().put(slot, rights);
        s.badges().put(slot, badge);
        o.caps++;
        count(o, badge);
        KernelView.SlotView v = k.inspect().space(s.handle().id()).slots().stream().filter(x -> x.index() == slot).findFirst()
                .orElse(null);
        return v != null && v.objectId() == h.id() && v.type() == h.type() && v.rights() == rights && v.badge() == badge
                && v.parentSlot() == -1 ? null : what + " installed " + v;
    }

    /** A task deletes a capability in its Space; an object whose last capability goes is destroyed. */
    private static String delete(DeterministicDriver d, SplittableRandom rnd, List<MSpace> spaces, List<TaskHandle> tasks) {
        if (tasks.isEmpty()) {
            return null;
        }
        TaskHandle t = tasks.get(rnd.nextInt(tasks.size()));
        MSpace s = spaces.stream().filter(x -> x.handle().equals(t.space())).findFirst().orElseThrow();
        if (s.slots().isEmpty()) {
            return null;
        }
        int slot = new ArrayList<>(s.slots().keySet()).get(rnd.nextInt(s.slots().size()));
        MObject o = s.slots().remove(slot);
        s.rights().remove(slot);
        long badge = s.badges().remove(slot);
        var _ = d.delete(t, slot);
        if (d.kernel().inspect().space(s.handle().id()).slots().stream().anyMatch(x -> x.index() == slot)) {
            return "Delete of slot " + slot + " of " + s.handle() + " left it full";
        }
        o.caps--;
        o.destroyed |= o.caps == 0;
        if (badge != 0 && o.badges.merge(badge, -1, Integer::sum) == 0) {
            o.badges.remove(badge); // its record is free again: nobody here asks for BADGE_DISCONNECTED
        }
        return null;
    }

    private static void count(MObject o, long badge) {
        if (badge != 0) {
            o.badges.merge(badge, 1, Integer::sum);
        }
    }
}
