package io.capipc.kernel.object;

import io.capipc.api.MessageInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The mailbox and the arrays of a {@link Registers}, fixed at creation and kept apart from the
 * results only its task writes (see {@link RegisterArraysPad}), so the core that delivers a message
 * finds these references in its own cache.
 */
abstract class RegisterArrays {
    /**
     * What another task's transition writes here: the wake flags, the delivery results and the
     * message registers, in native memory aligned to a cache line, so where they fall on lines does
     * not depend on where the heap put this object (see {@link Registers}).
     */
    final MemorySegment box = Arena.ofAuto().allocate(Registers.BOX_BYTES, 64);
    final int[] caps = new int[MessageInfo.MAX_CAPS];
    final int[] receiveSlots = {-1, -1, -1, -1};
    final long[] capBadges = new long[MessageInfo.MAX_CAPS];
    /** Which capabilities of the next message are marked MOVE, a bit each (the task sets them). */
    final boolean[] moves = new boolean[MessageInfo.MAX_CAPS];
}

/** Two cache lines between the mailbox and array references and the results only the task writes. */
abstract class RegisterArraysPad extends RegisterArrays {
    /** Fills the fixed part's last four bytes, so no subclass field can land on its line. */
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}

/**
 * The results only a task's own syscalls write (Read, Write, Suspend, CallerInfo) and the mask of
 * unwrapped capabilities, kept before the delivery results so those share as few lines as possible.
 */
abstract class OwnResults extends RegisterArraysPad {
    int unwrapped;
    long count;
    long handle;
    long tag;
    long lost;
    @org.jspecify.annotations.Nullable MemorySegment mapping;
    long callerBadge;
    int callerLabel;
    long callerSendSize;
    long callerRecvSize;
}
