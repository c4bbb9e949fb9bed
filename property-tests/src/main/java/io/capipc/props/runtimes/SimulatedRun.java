package io.capipc.props.runtimes;

import io.capipc.api.TaskBody;
import io.capipc.api.TaskState;
import io.capipc.kernel.SimulatedRuntime;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.props.harness.Tally;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * {@link RuntimeProperty}'s run on the {@link SimulatedRuntime}: a few turns at a time, with a fault
 * of the test's between some of them (a kill, an interrupt, a clock advance, a Delete or Revoke as the
 * system builder), each checked against the kernel itself where the replay, running the same code,
 * could not tell; then the runtime closed, and every body's thread must have ended.
 */
final class SimulatedRun {
    private SimulatedRun() {}

    static @Nullable String simulated(RuntimeWorld w, List<TaskBody> bodies, List<Thread> bodyThreads, List<Runs> returned,
                                      SplittableRandom rnd, List<Fault> faults, Tally coverage, RuntimeProperty.Ran[] ran)
            throws InterruptedException {
        long seed = rnd.nextLong();
        String problem = simulated(w, bodies, returned, rnd, faults, coverage, ran, seed);
        for (Thread t : List.copyOf(bodyThreads)) { // close ends every body's thread, killed ones too, blocked or not
            if (!t.join(Duration.ofSeconds(10))) {
                return problem != null ? problem : "the body thread " + t.getName() + " was left running after the runtime closed";
            }
        }
        return problem;
    }

    private static @Nullable String simulated(RuntimeWorld w, List<TaskBody> bodies, List<Runs> returned, SplittableRandom rnd,
                                              List<Fault> faults, Tally coverage, RuntimeProperty.Ran[] ran, long seed) throws InterruptedException {
        try (SimulatedRuntime rt = new SimulatedRuntime(w.kernel, seed, Duration.ofSeconds(30))) {
            if (rt.kernel() != w.kernel || rt.seed() != seed) {
                return "the simulated runtime names another kernel or seed: " + rt.kernel() + ", " + rt.seed();
            }
            w.clock = rt::now;
            for (int t = 0; t < RuntimeWorld.TASKS; t++) {
                rt.start(w.tasks[t], bodies.get(t));
            }
            String stuck = simulate(rt, w, rnd, faults, coverage);
            if (stuck != null) {
                return stuck;
            }
            String threw = BodyChecks.onlyPlanted(rt.failures(), w);
            if (threw != null) {
                return threw;
            }
            ran[0] = new RuntimeProperty.Ran(w.events, w.kernel.inspect(), returned);
            return null;
        }
    }

    /** Runs a few turns at a time, with a fault between some of them, until nothing more can happen. */
    private static @Nullable String simulate(SimulatedRuntime rt, RuntimeWorld w, SplittableRandom rnd, List<Fault> faults,
                                             Tally coverage) throws InterruptedException {
        int budget = rnd.nextInt(5);
        for (int rounds = 0; rounds < 1000; rounds++) {
            int turns = rnd.nextInt(8);
            int before = w.events.size();
            SimulatedRuntime.Result r = rt.run(turns);
            String wrong = howItEnded(r, turns, w, rt.now());
            long taken = w.events.subList(before, w.events.size()).stream().filter(e -> e.op() != null).count();
            if (wrong == null && (r.turns() < 0 || taken > r.turns())) {
                wrong = "the simulated run reported " + r.turns() + " turns, in which bodies made " + taken + " syscalls";
            }
            if (wrong != null) {
                return wrong;
            }
            if (r.end() == SimulatedRuntime.End.ALL_ENDED) {
                return null;
            }
            if (r.end() == SimulatedRuntime.End.ALL_BLOCKED && budget == 0) {
                coverage.count("simulated: run ended with every task left blocked");
                return null;
            }
            if (budget > 0 && (r.end() == SimulatedRuntime.End.ALL_BLOCKED || rnd.nextInt(3) == 0)) {
                budget--;
                String answer = fault(rt, w, rnd, faults, coverage);
                if (answer != null) {
                    return answer;
                }
            }
        }
        return "the simulation did not end in 1000 rounds";
    }

    /**
     * What a simulated run reports agrees with the kernel: ALL_ENDED when every task is dead, ALL_BLOCKED
     * when every task left is blocked (none has a deadline here), and those tasks as its blocked ones;
     * STEP_LIMIT after exactly the turns asked for, and never more turns than that.
     */
    private static @Nullable String howItEnded(SimulatedRuntime.Result r, int asked, RuntimeWorld w, long now) {
        List<io.capipc.kernel.inspect.KernelView.TaskView> tasks = w.kernel.inspect().tasks();
        List<String> blocked = new ArrayList<>();
        boolean allDead = true;
        boolean timed = false;
        for (int t = 0; t < RuntimeWorld.TASKS; t++) {
            TaskState state = tasks.get(t).state();
            allDead &= state == TaskState.DEAD;
            if (state.isBlocked()) {
                blocked.add(w.tasks[t].name());
                timed |= tasks.get(t).deadline() != io.capipc.api.Syscalls.FOREVER;
            }
        }
        List<String> reported = r.blocked().stream().map(io.capipc.kernel.TaskHandle::name).toList();
        boolean right = switch (r.end()) {
            case ALL_ENDED -> allDead;
            case ALL_BLOCKED -> !allDead && !timed && blocked.size() == tasks.stream().filter(t -> t.state() != TaskState.DEAD).count()
                    && reported.equals(blocked);
            case STEP_LIMIT -> r.turns() == asked;
        };
        right &= blocked.containsAll(r.deadlocked().stream().map(io.capipc.kernel.TaskHandle::name).toList());
        return right && r.turns() <= asked && r.now() == now ? null
                : "the simulated run ended " + r.end() + " after " + r.turns() + " of " + asked + " turns, reporting " + reported
                        + " blocked at " + r.now() + " ns (the clock: " + now + "), while the kernel has " + blocked + " blocked"
                        + (timed ? ", one with a deadline" : "") + (allDead ? " and every task dead" : "");
    }

    /** One fault between turns; what the runtime answered wrongly, or null. */
    private static @Nullable String fault(SimulatedRuntime rt, RuntimeWorld w, SplittableRandom rnd, List<Fault> faults, Tally coverage) {
        int t = rnd.nextInt(RuntimeWorld.TASKS);
        if (rnd.nextInt(6) == 0) {
            int nanos = 500 * (1 + rnd.nextInt(8));
            int at = w.events.size();
            faults.add(new Fault(Fault.Kind.ADVANCE, nanos, at));
            int expired = rt.advance(nanos);
            long timedOut = w.events.subList(at, w.events.size()).stream().filter(e -> e.op() == null && e.outcome().equals("TIMEOUT")).count();
            coverage.count("simulated: clock advanced between turns");
            return expired == timedOut ? null : "advancing the clock " + nanos + " ns answered " + expired + " expired, the trace shows " + timedOut;
        }
        int roll = rnd.nextInt(10);
        if (roll < 5 && rt.state(w.tasks[t]) == TaskState.DEAD) {
            if (rt.interrupt(w.tasks[t])) {
                return "interrupting dead task " + t + " answered true";
            }
            coverage.count("simulated: dead task interrupted between turns (nothing to end)");
        } else if (roll < 5 && rt.state(w.tasks[t]).isBlocked()) {
            faults.add(new Fault(Fault.Kind.INTERRUPT, t, w.events.size()));
            if (!rt.interrupt(w.tasks[t])) {
                return "interrupting blocked task " + t + " answered false";
            }
            coverage.count("simulated: blocked task interrupted between turns");
        } else if (roll < 6) {
            faults.add(new Fault(Fault.Kind.KILL, t, w.events.size()));
            rt.kill(w.tasks[t]);
            coverage.count("simulated: task killed between turns");
        } else {
            boolean revoke = roll >= 8;
            // a Revoke mostly of a boot capability, which the bodies' copies and mints descend from
            int target = t % 2 * RuntimeWorld.SLOTS + rnd.nextInt(revoke && rnd.nextInt(4) > 0 ? RuntimeWorld.FREE : RuntimeWorld.SLOTS);
            faults.add(new Fault(revoke ? Fault.Kind.REVOKE : Fault.Kind.DELETE, target, w.events.size()));
            int space = target / RuntimeWorld.SLOTS;
            int slot = target % RuntimeWorld.SLOTS;
            if (revoke) {
                rt.revoke(w.spaces[space], slot);
                coverage.count("simulated: capability revoked between turns");
            } else {
                rt.delete(w.spaces[space], slot);
                coverage.count("simulated: capability deleted between turns");
            }
            return left(w, space, slot, revoke);
        }
        return null;
    }

    /**
     * What a Delete or Revoke from outside left wrongly, or null: after a Delete the slot is empty,
     * after a Revoke no capability in any Space descends from it (checked here, against the kernel
     * itself: the replay runs the same code, so it could not tell).
     */
    private static @Nullable String left(RuntimeWorld w, int space, int slot, boolean revoke) {
        KernelView v = w.kernel.inspect();
        int id = w.spaces[space].id();
        java.util.Map<List<Integer>, List<Integer>> parent = new java.util.HashMap<>();
        for (KernelView.SpaceView sv : v.spaces()) {
            for (KernelView.SlotView x : sv.slots()) {
                parent.put(List.of(sv.id(), x.index()), List.of(x.parentSpace(), x.parentSlot()));
            }
        }
        List<Integer> root = List.of(id, slot);
        if (!revoke) {
            return parent.containsKey(root) ? "slot " + slot + " of space " + space + " still holds a capability after Delete" : null;
        }
        for (List<Integer> at : parent.keySet()) {
            for (List<Integer> p = parent.get(at); p != null; p = parent.get(p)) {
                if (p.equals(root)) {
                    return "after Revoke of slot " + slot + " of space " + space + ", " + at + " still descends from it";
                }
            }
        }
        return null;
    }
}
