package io.capipc.kernel.object;

import io.capipc.api.ObjectType;
import io.capipc.cap.KernelObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A budget of bytes from which Retype makes objects at run time (docs/semantics.md §13, seL4's
 * untyped memory, as a count rather than an address range).
 *
 * <p>States: live (some capability names it) or destroyed. Invariants (guarantee 16): {@link #used()}
 * is the sum of the charges of the objects in {@link #made()}, which are exactly the live objects
 * made from it, and never exceeds {@link #budget()}. Every object made from it has its original
 * capability in the subtree of the capability it was made through, so Revoke of that capability
 * destroys it; a destroyed object gives its charge back at once ({@link #refund}).
 *
 * <p>Who may change it: Retype ({@link #charge}) and the destruction of what it made
 * ({@link #refund}), under the kernel's lock. The list of what it made is the one thing that grows:
 * Retype allocates, as the kernel's only syscalls that make objects do.
 */
public final class Untyped extends KernelObject {
    /** An object made from this untyped and what it was charged. */
    public record Made(KernelObject object, long charge) {}

    private final long budget;
    private long used;
    private final List<Made> made = new ArrayList<>();

    public Untyped(int id, long budget) {
        super(id);
        this.budget = budget;
    }

    @Override
    public ObjectType type() {
        return ObjectType.UNTYPED;
    }

    /** The budget, fixed when it was made. */
    public long budget() {
        return budget;
    }

    /** Bytes charged to the live objects made from it. */
    public long used() {
        return used;
    }

    /** Bytes left: what the next Retype may charge. */
    public long left() {
        return budget - used;
    }

    /** The live objects made from it, oldest first; for views and invariants. */
    public List<Made> made() {
        return made;
    }

    /** Kernel, Retype: {@code object} was made from this budget at {@code charge} bytes (checked to fit). */
    public void charge(KernelObject object, long charge) {
        if (charge < 0 || charge > left()) {
            throw new AssertionError("charge of " + charge + " to " + this + " with " + left() + " left");
        }
        used += charge;
        made.add(new Made(object, charge));
    }

    /**
     * Kernel: {@code object}, made from this budget, grew by {@code bytes} (checked to fit): an
     * endpoint's badge record beyond its preallocated ones. Its charge, and so its refund, grows.
     */
    public void chargeMore(KernelObject object, long bytes) {
        if (bytes < 0 || bytes > left()) {
            throw new AssertionError("charge of " + bytes + " more to " + this + " with " + left() + " left");
        }
        for (int i = 0; i < made.size(); i++) {
            Made m = made.get(i);
            if (m.object() == object) {
                used += bytes;
                made.set(i, new Made(object, m.charge() + bytes));
                return;
            }
        }
        throw new AssertionError(this + " did not make " + object);
    }

    /** Kernel: {@code object}, made from this budget, was destroyed; its charge comes back. False if it was not made here. */
    public boolean refund(KernelObject object) {
        for (int i = 0; i < made.size(); i++) {
            Made m = made.get(i);
            if (m.object() == object) {
                used -= m.charge();
                made.remove(i);
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "untyped#" + id() + "(" + used + "/" + budget + ")";
    }
}
