package io.capipc.system;

import io.capipc.api.Status;
import io.capipc.api.Syscalls;

/**
 * The slots of a server's Space that it fills at run time (a name's capability, a window, a donated
 * untyped), [base, base + count): a free list, so taking and giving back a slot allocates nothing.
 *
 * <p>A server restarted by its supervisor keeps its Space, and with it whatever its previous run
 * left in these slots; {@link #reset} empties them all (Revoke, then Delete, so every capability
 * handed out from them goes too) before the new run takes any.
 */
public final class SlotPool {
    private final int base;
    private final int[] free;
    private int top;

    /** A pool of the {@code count} slots from {@code base}, all free. */
    public SlotPool(int base, int count) {
        if (base < 0 || count < 1) {
            throw new IllegalArgumentException("a pool is count >= 1 slots from base >= 0, was base " + base + " count " + count);
        }
        this.base = base;
        this.free = new int[count];
        for (int i = 0; i < count; i++) {
            free[i] = base + count - 1 - i; // lowest slot on top
        }
        top = count;
    }

    /** A free slot, or -1 when every slot is taken. */
    public int take() {
        return top == 0 ? -1 : free[--top];
    }

    /** Gives {@code slot} back, after emptying it (Revoke, then Delete: what was handed out from it goes too). */
    public void giveBack(Syscalls sys, int slot) {
        if (slot < base || slot >= base + free.length || top == free.length) {
            throw new IllegalArgumentException("slot " + slot + " is not a taken slot of this pool");
        }
        empty(sys, slot);
        free[top++] = slot;
    }

    /** Slots taken now. */
    public int taken() {
        return free.length - top;
    }

    /** Empties every slot of the pool, as a restarted server must before it takes any. */
    public void reset(Syscalls sys) {
        for (int s = base; s < base + free.length; s++) {
            empty(sys, s);
        }
        top = free.length;
        for (int i = 0; i < free.length; i++) {
            free[i] = base + free.length - 1 - i;
        }
    }

    private static void empty(Syscalls sys, int slot) {
        Status r = sys.revoke(slot); // an empty slot is OK for both
        Status d = sys.delete(slot);
        if (r != Status.OK || d != Status.OK) {
            throw new IllegalStateException("emptying slot " + slot + ": revoke " + r + ", delete " + d);
        }
    }
}
