package io.capipc.props.regions;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.Shrinker;
import io.capipc.props.harness.Tally;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.KernelView.MappingView;
import io.capipc.kernel.inspect.KernelView.RegionView;
import io.capipc.kernel.inspect.KernelView.SlotView;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.props.regions.RegionAction.Carve;
import io.capipc.props.regions.RegionAction.Copy;
import io.capipc.props.regions.RegionAction.Delete;
import io.capipc.props.regions.RegionAction.Map;
import io.capipc.props.regions.RegionAction.Move;
import io.capipc.props.regions.RegionAction.Mutate;
import io.capipc.props.regions.RegionAction.Revoke;
import io.capipc.props.regions.RegionAction.Touch;
import io.capipc.props.regions.RegionAction.Transfer;
import io.capipc.props.regions.RegionAction.Unmap;
import io.capipc.props.regions.RegionModel.Cap;
import io.capipc.props.regions.RegionModel.Obj;
import io.capipc.props.regions.RegionModel.View;
import io.capipc.props.regions.RegionWorld.Access;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Guarantees 14 and 15, and 2 and 3 over windows (docs/semantics.md §8, §12.1), as one stateful
 * property: seeded runs of Map, Unmap, Carve, Copy, Move, Mutate, Delete, Revoke, transfers with and
 * without MOVE between Spaces, and writes through every view returned, on the kernel and on
 * {@link RegionModel} side by side. After every step: the syscall succeeded on both or on neither
 * (for Map, Unmap and Carve: with the same status and reason);
 * every slot, its object's bytes, its rights and its parent agree; the live mappings agree; every
 * view ever returned works exactly when the model says its mapping lives (guarantee 14: an ended one
 * refuses, in any case) and shows the model's bytes; a moved capability left nothing in the sender
 * (guarantee 15); a window's bytes and rights lie inside its parent's (guarantee 2); each memory was
 * freed exactly when no region over it is left, and never twice. A failure is shrunk and reported
 * with its seed.
 *
 * <p>Runs: {@code capipc.props.runs} (default {@link Property#RUNS}), {@code capipc.props.steps} (default 60),
 * {@code capipc.props.base}, {@code capipc.props.seed}, as the rest of the suite.
 */
public final class RegionProperty {
    private RegionProperty() {}

    /** A shrunk failure. */
    public record Report(long seed, String message, int step, List<RegionAction> trace) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("RegionProperty failed for seed " + seed + ": " + message + "\n");
            sb.append("minimal trace (").append(trace.size()).append(" actions):\n");
            for (int i = 0; i < trace.size(); i++) {
                sb.append(String.format("  %3d  %s%s%n", i, RegionAction.show(trace.get(i)), i == step ? "   <-- here" : ""));
            }
            return sb.append("replay: -Dcapipc.props.seed=").append(seed).toString();
        }
    }

    /** A failing step and what went wrong; {@code threw}: the kernel threw rather than a check failing. */
    record Failure(int step, String message, boolean threw) {}

    /** The situations {@link #find} counts, each of which a full run must reach. */
    public static final List<String> SITUATIONS = List.of(
            "access through an ended view", "revoke ending a descendant's mapping", "window of a window",
            "MOVE of a mapped capability", "MOVE arrived", "copy arrived", "memory freed",
            "write through a read-only view", "window carved past its parent (refused)",
            "window carved to its parent's end exactly", "region syscall refused: slot out of range");

    /** Runs the property; the first failure, shrunk. */
    public static Optional<Report> find(InjectedBugs bugs, Tally coverage) {
        Long only = Long.getLong("capipc.props.seed");
        int runs = only != null ? 1 : Integer.getInteger("capipc.props.runs", Property.RUNS);
        long base = only != null ? only : Long.getLong("capipc.props.base", 1L);
        int steps = Integer.getInteger("capipc.props.steps", 60);
        for (int r = 0; r < runs; r++) {
            long seed = base + r;
            List<RegionAction> actions = generate(seed, steps);
            Failure f = run(actions, bugs, coverage);
            if (counts(f, bugs)) {
                List<RegionAction> minimal = shrink(actions, bugs);
                Failure last = Objects.requireNonNull(run(minimal, bugs, new Tally()));
                return Optional.of(new Report(seed, last.message(), last.step(), minimal));
            }
        }
        return Optional.empty();
    }

    /**
     * A failure counts, unless a kernel built with injected bugs threw: as in the rest of the suite
     * (Property.find), a broken kernel tripping its own assertions proves nothing about the checks.
     */
    private static boolean counts(@Nullable Failure f, InjectedBugs bugs) {
        return f != null && !(f.threw() && bugs != InjectedBugs.NONE);
    }

    // ---- generation

    static List<RegionAction> generate(long seed, int steps) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<RegionAction> out = new ArrayList<>();
        while (out.size() < steps) {
            if (rnd.nextInt(100) < 15) {
                out.addAll(template(rnd));
            } else {
                out.add(action(rnd));
            }
        }
        return out.subList(0, steps);
    }

    /**
     * Short scenarios random actions reach too rarely: a mapped descendant (in this Space or another)
     * whose ancestor is revoked; a window of a window, mapped and written; a mapped capability
     * moved to another Space, then its old view written.
     */
    private static List<RegionAction> template(SplittableRandom rnd) {
        int t = rnd.nextInt(RegionWorld.SPACES);
        int to = (t + 1 + rnd.nextInt(RegionWorld.SPACES - 1)) % RegionWorld.SPACES;
        int s = rnd.nextInt(2);
        int d = 2 + rnd.nextInt(RegionWorld.EP - 2);
        int d2 = 2 + rnd.nextInt(RegionWorld.EP - 2);
        byte value = (byte) rnd.nextInt(1, 128);
        return switch (rnd.nextInt(4)) {
            case 0 -> List.of(new Copy(t, s, d, Rights.ALL), new Map(t, d), new Revoke(t, s), new Touch(t, Touch.LATEST, 0, value));
            case 1 -> List.of(new Transfer(t, to, s, d, false), new Map(to, d), new Revoke(t, s), new Touch(to, Touch.LATEST, 1, value));
            case 2 -> List.of(new Carve(t, s, rnd.nextLong(32), 8 + rnd.nextLong(48), Rights.ALL, d),
                    new Carve(t, d, rnd.nextLong(8), rnd.nextLong(9), rnd.nextInt(Rights.ALL + 1), d2), new Map(t, d2),
                    new Touch(t, Touch.LATEST, rnd.nextLong(8), value));
            default -> List.of(new Map(t, s), new Transfer(t, to, s, d, true), new Touch(t, Touch.LATEST, 2, value), new Map(to, d));
        };
    }

    private static RegionAction action(SplittableRandom rnd) {
        int t = rnd.nextInt(RegionWorld.SPACES);
        int slot = rnd.nextInt(RegionWorld.EP); // never the endpoint's slot, but for Map and Carve
        int any = rnd.nextInt(RegionWorld.SLOTS + 2) - 1; // out of range at either end, rarely
        int rights = rnd.nextInt(Rights.ALL + 1);
        int w = rnd.nextInt(100);
        if (w < 16) {
            return new Map(t, rnd.nextInt(10) == 0 ? any : slot);
        } else if (w < 22) {
            return new Unmap(t, rnd.nextInt(10) == 0 ? any : slot);
        } else if (w < 36) {
            return carve(rnd, t, rnd.nextInt(10) == 0 ? any : slot, rights);
        } else if (w < 44) {
            return new Copy(t, slot, rnd.nextInt(RegionWorld.EP), rights);
        } else if (w < 49) {
            return new Move(t, slot, rnd.nextInt(RegionWorld.EP));
        } else if (w < 54) {
            return new Mutate(t, slot, rnd.nextInt(RegionWorld.EP), rights);
        } else if (w < 60) {
            return new Delete(t, slot);
        } else if (w < 67) {
            return new Revoke(t, slot);
        } else if (w < 82) {
            int to = (t + 1 + rnd.nextInt(RegionWorld.SPACES - 1)) % RegionWorld.SPACES;
            return new Transfer(t, to, slot, rnd.nextInt(RegionWorld.EP), rnd.nextBoolean());
        } else {
            return new Touch(t, rnd.nextInt(64), rnd.nextLong(256), (byte) rnd.nextInt(1, 128));
        }
    }

    /**
     * A Carve: a window of a random size, to exactly the end of a memory (or one byte past it) one
     * time in eight; rarely a negative offset or length, unknown rights bits or a destination out of range.
     */
    private static Carve carve(SplittableRandom rnd, int t, int slot, int rights) {
        long offset = rnd.nextInt(12) == 0 ? -1 : rnd.nextLong(140);
        long length = rnd.nextInt(10) == 0 ? -1 : rnd.nextLong(130);
        if (offset >= 0 && rnd.nextInt(8) == 0) {
            long end = RegionWorld.MEMORY[rnd.nextInt(RegionWorld.MEMORY.length)];
            length = Math.max(0, end - offset) + rnd.nextInt(2);
        }
        int mask = rnd.nextInt(20) == 0 ? rights | 8 : rnd.nextInt(4) == 0 ? Rights.ALL : rights;
        int dst = rnd.nextInt(12) == 0 ? (rnd.nextBoolean() ? -1 : RegionWorld.SLOTS) : rnd.nextInt(RegionWorld.SLOTS);
        return new Carve(t, slot, offset, length, mask, dst);
    }

    // ---- running and checking

    /** Runs {@code actions} on a fresh kernel and model; the first failure, or null. */
    static @Nullable Failure run(List<RegionAction> actions, InjectedBugs bugs, Tally coverage) {
        RegionWorld w = new RegionWorld(bugs);
        RegionModel m = new RegionModel(RegionWorld.SPACES, RegionWorld.SLOTS, RegionWorld.EP, RegionWorld.MEMORY);
        for (int i = 0; i < RegionWorld.MEMORY.length; i++) {
            m.boot(i, 0, i);
        }
        Ids ids = new Ids();
        for (int i = 0; i < actions.size(); i++) {
            @Nullable String problem;
            try {
                problem = step(w, m, actions.get(i), coverage);
                if (problem == null) {
                    problem = compare(w, m, ids, coverage);
                }
                if (problem == null) {
                    problem = w.tracer.mismatch();
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

    /** Applies one action to both; a disagreement on success, or null. */
    private static @Nullable String step(RegionWorld w, RegionModel m, RegionAction a, Tally coverage) {
        int t = a.task();
        return switch (a) {
            case Map x -> {
                int before = m.views.size();
                Reason want = m.mapRefusal(t, x.slot());
                View v = m.map(t, x.slot());
                Outcome o = w.d.map(w.tasks[t], x.slot());
                String s = agree(o, want, w.ipc(t), coverage);
                if (s == null && v != null) {
                    MemorySegment seg = w.ipc(t).mapping();
                    if (m.views.size() > before) {
                        w.views.add(seg);
                    } else if (!w.views.get(m.views.indexOf(v)).scope().equals(seg.scope())) {
                        s = "Map again returned another view";
                    }
                }
                yield s;
            }
            case Unmap x -> {
                Reason want = m.unmapRefusal(t, x.slot());
                var _ = m.unmap(t, x.slot());
                yield agree(w.d.unmap(w.tasks[t], x.slot()), want, w.ipc(t), coverage);
            }
            case Carve x -> {
                Cap parent = x.slot() < 0 || x.slot() >= RegionWorld.EP ? null : m.slots[t][x.slot()];
                Reason want = m.carveRefusal(t, x.slot(), x.offset(), x.length(), x.rights(), x.dst());
                boolean ok = m.carve(t, x.slot(), x.offset(), x.length(), x.rights(), x.dst());
                if (ok && parent != null && parent.obj.window) {
                    coverage.count("window of a window");
                }
                if (ok && parent != null && x.offset() + x.length() == parent.obj.length) {
                    coverage.count("window carved to its parent's end exactly");
                }
                if (want == Reason.WINDOW_OUTSIDE && parent != null && x.length() >= 0 && x.offset() <= parent.obj.length) {
                    coverage.count("window carved past its parent (refused)");
                }
                yield agree(w.d.carve(w.tasks[t], x.slot(), x.offset(), x.length(), x.rights(), x.dst()), want, w.ipc(t),
                        coverage);
            }
            case Copy x -> agree(w.d.copy(w.tasks[t], x.src(), x.dst(), x.rights()), m.copy(t, x.src(), x.dst(), x.rights()));
            case Move x -> agree(w.d.move(w.tasks[t], x.src(), x.dst()), m.move(t, x.src(), x.dst()));
            case Mutate x -> agree(w.d.mutate(w.tasks[t], x.src(), x.dst(), x.rights(), 0),
                    m.mutate(t, x.src(), x.dst(), x.rights()));
            case Delete x -> agree(w.d.delete(w.tasks[t], x.slot()), m.delete(t, x.slot()));
            case Revoke x -> {
                long mappedBefore = m.views.stream().filter(v -> v.alive).count();
                boolean ok = m.revoke(t, x.slot());
                if (m.views.stream().filter(v -> v.alive).count() < mappedBefore) {
                    coverage.count("revoke ending a descendant's mapping");
                }
                yield agree(w.d.revoke(w.tasks[t], x.slot()), ok);
            }
            case Transfer x -> transfer(w, m, x, coverage);
            case Touch x -> touch(w, m, x, coverage);
        };
    }

    private static @Nullable String transfer(RegionWorld w, RegionModel m, Transfer x, Tally coverage) {
        boolean wasMapped = m.mapped[x.task()][x.src()] != null;
        int[] arrived = new int[1];
        boolean ok = m.transfer(x.task(), x.to(), x.src(), x.dst(), x.move(), arrived);
        Outcome o = w.transfer(x.task(), x.to(), x.src(), x.dst(), x.move());
        String s = agree(o, ok);
        if (s == null && ok && w.ipc(x.to()).caps() != arrived[0]) {
            s = "arrived " + w.ipc(x.to()).caps() + " capabilities, the model " + arrived[0];
        }
        if (s == null && ok && arrived[0] == 1) {
            coverage.count(x.move() ? "MOVE arrived" : "copy arrived");
            if (x.move() && wasMapped) {
                coverage.count("MOVE of a mapped capability");
            }
            if (x.move() && slotOf(w.kernel.inspect(), w.spaces[x.task()].id(), x.src()) != null) {
                s = "guarantee 15: the moved capability is still in the sender's slot " + x.src();
            }
        }
        return s;
    }

    private static @Nullable String touch(RegionWorld w, RegionModel m, Touch x, Tally coverage) {
        if (m.views.isEmpty()) {
            return null;
        }
        int k = x.view() == RegionAction.Touch.LATEST ? m.views.size() - 1 : x.view() % m.views.size();
        View v = m.views.get(k);
        MemorySegment seg = w.views.get(k);
        if (v.obj.length == 0) {
            return null;
        }
        long off = x.offset() % v.obj.length;
        if (!v.writable) {
            coverage.count("write through a read-only view");
        }
        if (!v.alive) {
            coverage.count("access through an ended view");
        }
        Access got = RegionWorld.write(seg, off, x.value());
        Access want = !v.alive ? Access.ENDED : v.writable ? Access.DONE : Access.READ_ONLY;
        if (!v.alive && !v.writable && got == Access.READ_ONLY) {
            got = Access.ENDED; // an ended read-only view may refuse a write for either reason
        }
        if (got != want) {
            return (want == Access.ENDED ? "guarantee 14: " : "") + "a write through view " + k + " did " + got
                    + ", the model says " + want;
        }
        if (got == Access.DONE) {
            m.touch(v, off, x.value());
        }
        return null;
    }

    /**
     * Map, Unmap and Carve: the kernel's status is the one the model's reason carries (OK for NONE;
     * never BLOCKED, these syscalls do not block) and a refusal names the model's reason.
     */
    private static @Nullable String agree(Outcome kernel, Reason model, IpcBuffer ipc, Tally coverage) {
        Outcome want = Outcome.of(model.status());
        boolean refused = kernel != Outcome.OK && !kernel.isBlocked();
        if (kernel != want || (refused && ipc.reason() != model)) {
            return "the kernel returned " + kernel + (refused ? " (" + ipc.reason() + ")" : "") + ", the model " + want
                    + (model == Reason.NONE ? "" : " (" + model + ")");
        }
        if (model == Reason.SLOT_OUT_OF_RANGE || model == Reason.DESTINATION_OUT_OF_RANGE) {
            coverage.count("region syscall refused: slot out of range");
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
        final boolean[] freed = new boolean[RegionWorld.MEMORY.length];

        @Nullable String bind(Obj o, int id) {
            Integer k = kernelId.putIfAbsent(o, id);
            Obj back = modelObj.putIfAbsent(id, o);
            if ((k != null && k != id) || (back != null && back != o)) {
                return "the kernel's objects and the model's are not one to one (kernel id " + id + ")";
            }
            return null;
        }
    }

    /** The state after a step: slots, objects, mappings, views, memory. */
    private static @Nullable String compare(RegionWorld w, RegionModel m, Ids ids, Tally coverage) {
        KernelView kv = w.kernel.inspect();
        HashMap<Integer, RegionView> regions = new HashMap<>();
        for (RegionView r : kv.regions()) {
            regions.put(r.id(), r);
        }
        for (int s = 0; s < RegionWorld.SPACES; s++) {
            for (int i = 0; i < RegionWorld.EP; i++) {
                String p = compareSlot(w, m, ids, kv, regions, s, i);
                if (p != null) {
                    return p;
                }
            }
        }
        Set<String> kernelMaps = new HashSet<>();
        for (MappingView mv : kv.mappings()) {
            kernelMaps.add(spaceIndex(w, mv.space()) + "/" + mv.slot() + (mv.writable() ? "w" : "r"));
        }
        Set<String> modelMaps = new HashSet<>();
        for (int s = 0; s < RegionWorld.SPACES; s++) {
            for (int i = 0; i < RegionWorld.SLOTS; i++) {
                View v = m.mapped[s][i];
                if (v != null) {
                    modelMaps.add(s + "/" + i + (v.writable ? "w" : "r"));
                }
            }
        }
        if (!kernelMaps.equals(modelMaps)) {
            return "guarantee 14: the kernel's mappings " + kernelMaps + ", the model's " + modelMaps;
        }
        String p = compareViews(w, m);
        return p != null ? p : compareMemory(w, m, ids, regions, coverage);
    }

    private static @Nullable String compareSlot(RegionWorld w, RegionModel m, Ids ids, KernelView kv,
                                      HashMap<Integer, RegionView> regions, int s, int i) {
        SlotView k = slotOf(kv, w.spaces[s].id(), i);
        Cap c = m.slots[s][i];
        String at = "slot " + i + " of space " + s;
        if ((k == null) != (c == null)) {
            return at + ": the kernel's holds " + k + ", the model's " + (c == null ? "nothing" : "a capability");
        }
        if (k == null) {
            return null;
        }
        RegionView r = regions.get(k.objectId());
        if (r == null || r.memory() != w.rootIds[c.obj.memory] || r.offset() != c.obj.offset || r.length() != c.obj.length
                || k.rights() != c.rights) {
            return at + ": the kernel's " + r + " with rights " + k.rights() + ", the model's memory " + c.obj.memory
                    + " [" + c.obj.offset + "+" + c.obj.length + "] with rights " + c.rights;
        }
        String p = ids.bind(c.obj, k.objectId());
        if (p != null) {
            return at + ": " + p;
        }
        int[] parent = c.parent == null ? new int[] {-1, -1} : m.where(c.parent);
        int kernelParentSpace = k.parentSpace() < 0 ? -1 : spaceIndex(w, k.parentSpace());
        if (kernelParentSpace != parent[0] || k.parentSlot() != parent[1]) {
            return at + ": the kernel's parent is " + kernelParentSpace + "/" + k.parentSlot() + ", the model's "
                    + parent[0] + "/" + parent[1];
        }
        return windowInsideParent(kv, regions, k, at);
    }

    /** Guarantee 2 over windows, on the kernel alone: a child's bytes and rights lie inside its parent's. */
    private static @Nullable String windowInsideParent(KernelView kv, HashMap<Integer, RegionView> regions, SlotView k, String at) {
        if (k.parentSpace() < 0) {
            return null;
        }
        SlotView p = slotOf(kv, k.parentSpace(), k.parentSlot());
        RegionView child = regions.get(k.objectId());
        RegionView parent = p == null ? null : regions.get(p.objectId());
        if (p == null || child == null || parent == null || (k.rights() & ~p.rights()) != 0 || child.memory() != parent.memory()
                || child.offset() < parent.offset() || child.offset() + child.length() > parent.offset() + parent.length()) {
            return "guarantee 2: " + at + " holds " + child + " with rights " + k.rights() + ", not inside its parent "
                    + parent + (p == null ? "" : " with rights " + p.rights());
        }
        return null;
    }

    /** Guarantee 14 through the views themselves: an ended one refuses; a live one shows the model's bytes. */
    private static @Nullable String compareViews(RegionWorld w, RegionModel m) {
        byte[] got = new byte[1];
        for (int k = 0; k < m.views.size(); k++) {
            View v = m.views.get(k);
            MemorySegment seg = w.views.get(k);
            if (seg.byteSize() != v.obj.length) {
                return "view " + k + " covers " + seg.byteSize() + " bytes, the model's " + v.obj.length;
            }
            if (v.obj.length == 0) {
                continue;
            }
            for (long off : new long[] {0, v.obj.length - 1}) {
                Access a = RegionWorld.read(seg, off, got);
                if (!v.alive && a != Access.ENDED) {
                    return "guarantee 14: view " + k + " (space " + v.space + ", slot " + v.slot
                            + ") still reads after its mapping ended";
                }
                if (v.alive && (a != Access.DONE || got[0] != m.read(v, off))) {
                    return "view " + k + " at " + off + ": " + a + " " + got[0] + ", the model's byte " + m.read(v, off);
                }
            }
        }
        return null;
    }

    /** Each memory freed exactly when no region over it is left (guarantee 14's "memory freed only after"). */
    private static @Nullable String compareMemory(RegionWorld w, RegionModel m, Ids ids,
                                                  HashMap<Integer, RegionView> regions, Tally coverage) {
        for (int i = 0; i < RegionWorld.MEMORY.length; i++) {
            int frees = Objects.requireNonNull(regions.get(w.rootIds[i])).frees();
            int want = m.freed(i) ? 1 : 0;
            if (frees != want) {
                return "memory " + i + " was freed " + frees + " times, the model says " + want;
            }
            if (want == 1 && !ids.freed[i]) {
                ids.freed[i] = true;
                coverage.count("memory freed");
            }
        }
        return null;
    }

    private static @Nullable SlotView slotOf(KernelView kv, int spaceId, int index) {
        for (KernelView.SpaceView sv : kv.spaces()) {
            if (sv.id() == spaceId) {
                for (SlotView v : sv.slots()) {
                    if (v.index() == index) {
                        return v;
                    }
                }
            }
        }
        return null;
    }

    private static int spaceIndex(RegionWorld w, int spaceId) {
        for (int s = 0; s < RegionWorld.SPACES; s++) {
            if (w.spaces[s].id() == spaceId) {
                return s;
            }
        }
        return -1;
    }

    // ---- shrinking

    /** Drops chunks of actions, halves down to singles, while the run still fails. */
    static List<RegionAction> shrink(List<RegionAction> failing, InjectedBugs bugs) {
        return Shrinker.dropChunks(failing, as -> counts(run(as, bugs, new Tally()), bugs));
    }
}
