package io.capipc.props.budgets;

import io.capipc.api.ObjectSizes;
import io.capipc.api.ObjectType;
import io.capipc.api.Rights;
import io.capipc.api.TaskState;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The reference model of budgets (docs/semantics.md §13), written from the text and sharing no code
 * with the kernel: objects (those made by Retype with the untyped they were made from and their
 * charge), capabilities in a derivation tree, every untyped's used bytes and the objects it made,
 * and the waiters' states. Charges come from {@link ObjectSizes#charge}, the published table.
 *
 * <p>Each syscall method returns whether the syscall succeeds and, if it does, applies it. A refusal
 * of any kind is one outcome here: the kernel's exact reasons are checked by its unit tests.
 */
public final class BudgetModel {
    /** docs/semantics.md §13: "Endpoint 512 bytes, with 16 badge records". */
    static final int RECORDS = 16;

    /** An object: its type; for an untyped, its budget, used bytes and the live objects made from it. */
    public static final class Obj {
        final ObjectType type;
        /** The untyped it was made from, or null for a boot object. */
        final @Nullable Obj from;
        /** What it charges its untyped: its size, plus each badge record beyond the first ones (an endpoint's). */
        long charge;
        final long budget;
        long used;
        final List<Obj> made = new ArrayList<>();
        /** For a Task object: the waiter it names. */
        final int task;
        int caps;
        boolean alive = true;
        /** For an endpoint: the capabilities counting each badge (non-zero) now, and the badge records it has. */
        final java.util.Map<Long, Integer> badges = new java.util.HashMap<>();
        int records = RECORDS;

        Obj(ObjectType type, @Nullable Obj from, long charge, long budget, int task) {
            this.type = type;
            this.from = from;
            this.charge = charge;
            this.budget = budget;
            this.task = task;
        }
    }

    /** A capability: its object, rights, badge, parent and children. */
    public static final class Cap {
        final Obj obj;
        final int rights;
        final long badge;
        @Nullable Cap parent;
        final List<Cap> children = new ArrayList<>();

        Cap(Obj obj, int rights, long badge, @Nullable Cap parent) {
            this.obj = obj;
            this.rights = rights;
            this.badge = badge;
            this.parent = parent;
        }
    }

    /** A waiter: its state, the object it waits on, its restarts, and whether the last step released it. */
    public static final class Waiter {
        TaskState state = TaskState.RUNNING;
        @Nullable Obj on;
        int restarts;
        boolean released;
    }

    final @Nullable Cap[] slots;
    final Waiter[] waiters;
    /** Every untyped ever made, in order: the boot ones first. */
    final List<Obj> untypeds = new ArrayList<>();
    /** Every object ever made by Retype, in order. */
    final List<Obj> made = new ArrayList<>();

    BudgetModel(int slots, int waiters) {
        this.slots = new Cap[slots];
        this.waiters = new Waiter[waiters];
        for (int w = 0; w < waiters; w++) {
            this.waiters[w] = new Waiter();
        }
    }

    /** Boot: an untyped of {@code budget} bytes, its capability with every right in {@code slot}. */
    void bootUntyped(int slot, long budget) {
        Obj u = new Obj(ObjectType.UNTYPED, null, 0, budget, -1);
        untypeds.add(u);
        place(slot, new Cap(u, Rights.ALL, 0, null));
    }

    /** Boot: a Task capability to waiter {@code w} with {@code rights} in {@code slot}; one object per waiter. */
    void bootTask(int slot, int w, int rights, @Nullable Obj same) {
        place(slot, new Cap(same != null ? same : new Obj(ObjectType.TASK, null, 0, 0, w), rights, 0, null));
    }

    private void place(int slot, Cap c) {
        slots[slot] = c;
        c.obj.caps++;
        if (c.obj.type == ObjectType.ENDPOINT && c.badge != 0) {
            c.obj.badges.merge(c.badge, 1, Integer::sum);
        }
    }

    /** What the last Mint or Copy did about badge records. */
    enum Records { NONE, CHARGED, NO_BUDGET }

    Records lastRecords = Records.NONE;

    /**
     * docs/semantics.md §6 and §13: a capability with a badge no capability of its endpoint counts
     * now needs a free badge record; with none free, an endpoint made by Retype makes one, charging
     * {@link ObjectSizes#BADGE_RECORD} more to its untyped, or is refused (NO_SPACE) if that does not
     * fit. A record is free again when its last capability goes (nobody here asks for
     * BADGE_DISCONNECTED, which would keep it until received).
     */
    private boolean badgeFits(Obj o, long badge) {
        if (o.type != ObjectType.ENDPOINT || badge == 0 || o.badges.containsKey(badge) || o.badges.size() < o.records) {
            return true;
        }
        Obj u = o.from;
        if (u != null && u.budget - u.used < ObjectSizes.BADGE_RECORD) {
            lastRecords = Records.NO_BUDGET;
            return false;
        }
        o.records++;
        if (u != null) {
            o.charge += ObjectSizes.BADGE_RECORD;
            u.used += ObjectSizes.BADGE_RECORD;
        }
        lastRecords = Records.CHARGED;
        return true;
    }

    boolean inRange(int slot) {
        return slot >= 0 && slot < slots.length;
    }

    /** The capability in {@code slot}, or null if it is out of range or empty. */
    @Nullable Cap cap(int slot) {
        return inRange(slot) ? slots[slot] : null;
    }

    // ---- syscalls

    /** Retype; {@code exhausted[0]} is set if it was refused for the budget alone. */
    boolean retype(int slot, ObjectType type, long param, int dst, boolean[] exhausted) {
        exhausted[0] = false;
        long charge = ObjectSizes.charge(type, param);
        Cap u = cap(slot);
        if (charge < 0 || u == null || !inRange(dst) || u.obj.type != ObjectType.UNTYPED || !Rights.has(u.rights, Rights.WRITE)
                || slots[dst] != null) {
            return false;
        }
        if (charge > u.obj.budget - u.obj.used) {
            exhausted[0] = true;
            return false;
        }
        Obj o = new Obj(type, u.obj, charge, type == ObjectType.UNTYPED ? param : 0, -1);
        u.obj.used += charge;
        u.obj.made.add(o);
        made.add(o);
        if (type == ObjectType.UNTYPED) {
            untypeds.add(o);
        }
        Cap child = new Cap(o, Rights.ALL, 0, u);
        u.children.add(child);
        place(dst, child);
        return true;
    }

    boolean copy(int src, int dst, int rights) {
        return mint(src, dst, rights, 0);
    }

    boolean mint(int src, int dst, int rights, long badge) {
        lastRecords = Records.NONE;
        Cap c = cap(src);
        if (c == null || !inRange(dst) || slots[dst] != null || !Rights.isValid(rights) || (badge != 0 && c.badge != 0)
                || !badgeFits(c.obj, badge == 0 ? c.badge : badge)) {
            return false;
        }
        Cap child = new Cap(c.obj, rights & c.rights, badge == 0 ? c.badge : badge, c);
        c.children.add(child);
        place(dst, child);
        return true;
    }

    boolean delete(int slot) {
        if (!inRange(slot)) {
            return false;
        }
        Cap c = slots[slot];
        if (c != null) {
            delete(c);
        }
        return true;
    }

    boolean revoke(int slot) {
        if (!inRange(slot)) {
            return false;
        }
        Cap c = slots[slot];
        if (c != null) {
            revokeChildren(c);
        }
        return true;
    }

    private void revokeChildren(Cap c) {
        while (!c.children.isEmpty()) {
            Cap child = c.children.getFirst();
            revokeChildren(child);
            delete(child);
        }
    }

    /** Delete: an untyped capability is revoked first; its children go to its parent; the object may go. */
    private void delete(Cap c) {
        if (c.obj.type == ObjectType.UNTYPED) {
            revokeChildren(c);
        }
        slots[indexOf(c)] = null;
        if (c.obj.type == ObjectType.ENDPOINT && c.badge != 0 && c.obj.badges.merge(c.badge, -1, Integer::sum) == 0) {
            c.obj.badges.remove(c.badge);
        }
        if (c.parent != null) {
            c.parent.children.remove(c);
        }
        for (Cap child : c.children) {
            child.parent = c.parent;
            if (c.parent != null) {
                c.parent.children.add(child);
            }
        }
        c.children.clear();
        if (--c.obj.caps == 0 && c.obj.type != ObjectType.TASK) {
            destroy(c.obj);
        }
    }

    /** The object's last capability went: its waiters are released, its charge comes back. */
    private void destroy(Obj o) {
        o.alive = false;
        for (Waiter w : waiters) {
            if (w.on == o) {
                w.on = null;
                w.state = TaskState.RUNNING;
                w.released = true;
            }
        }
        if (o.from != null) {
            o.from.used -= o.charge;
            o.from.made.remove(o);
        }
    }

    int indexOf(Cap c) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == c) {
                return i;
            }
        }
        throw new IllegalStateException("a capability in no slot");
    }

    /** Recv or Wait by waiter {@code w} on what {@code slot} names (an endpoint or notification): whether it blocks. */
    boolean block(int w, int slot) {
        Cap c = slots[slot];
        if (c == null || !Rights.has(c.rights, Rights.READ)) {
            return false;
        }
        waiters[w].on = c.obj;
        waiters[w].state = c.obj.type == ObjectType.ENDPOINT ? TaskState.BLOCKED_ON_RECEIVE : TaskState.BLOCKED_ON_NOTIFICATION;
        return true;
    }

    /** The waiter a Task capability in {@code slot} names, if it has {@code right}; -1 otherwise. */
    int target(int slot, int right) {
        Cap c = cap(slot);
        return c == null || c.obj.type != ObjectType.TASK || !Rights.has(c.rights, right) ? -1 : c.obj.task;
    }

    boolean kill(int slot) {
        int w = target(slot, Rights.WRITE);
        if (w < 0) {
            return false;
        }
        waiters[w].state = TaskState.DEAD;
        waiters[w].on = null;
        return true;
    }

    boolean restart(int slot) {
        int w = target(slot, Rights.WRITE);
        if (w < 0) {
            return false;
        }
        waiters[w].state = TaskState.RUNNING;
        waiters[w].on = null;
        waiters[w].restarts++;
        return true;
    }

    boolean taskInfo(int slot) {
        return target(slot, Rights.READ) >= 0;
    }

    /** Every object made, transitively, through the capabilities under {@code c}. */
    List<Obj> madeUnder(Cap c) {
        List<Obj> out = new ArrayList<>();
        for (Cap child : c.children) {
            if (child.obj.from != null && !out.contains(child.obj)) {
                out.add(child.obj);
            }
            for (Obj o : madeUnder(child)) {
                if (!out.contains(o)) {
                    out.add(o);
                }
            }
        }
        return out;
    }
}
