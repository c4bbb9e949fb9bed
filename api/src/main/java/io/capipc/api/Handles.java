package io.capipc.api;

/**
 * Reading a handle (docs/semantics.md §5.2): the name of a suspended caller context that Suspend leaves in
 * {@link IpcBuffer#handle()}. A handle is a positive {@code long}; apart from the slot of its reply
 * capability it is opaque.
 *
 * <pre>
 *  63 62      58 57                 k k-1      0
 * +--+----------+---------------------+---------+
 * |0 | k (1..31)|     generation      |  slot   |
 * +--+----------+---------------------+---------+
 * </pre>
 *
 * <p>{@code k} is the number of bits the slots of the Space need, so the generation gets the other
 * {@code 58 - k}: 2^52 Suspends in a Space of 64 slots, 2^42 in one of 65 536. Every Suspend in a
 * Space takes the next generation and none is used twice, so a handle kept after its context ended
 * never names a later one (QNX's rcvid-reuse hazard); a Space that has used its last generation
 * refuses Suspend with {@link Status#NO_SPACE} instead of wrapping.
 */
public final class Handles {
    /** Where the slot width starts. */
    public static final int WIDTH_SHIFT = 58;
    private static final long WIDTH_MASK = 0x1FL;

    private Handles() {}

    /** The slot of the reply capability {@code handle} names, or -1 if it is not a well-formed handle. */
    public static int slot(long handle) {
        int k = width(handle);
        return k < 1 || k > 31 || handle < 0 ? -1 : (int) (handle & ((1L << k) - 1));
    }

    /** The slot width {@code k} a handle carries (see the class comment). */
    public static int width(long handle) {
        return (int) ((handle >>> WIDTH_SHIFT) & WIDTH_MASK);
    }

    /** The handle for {@code generation} and {@code slot} in a Space whose slots need {@code width} bits. */
    public static long of(int width, long generation, int slot) {
        return ((long) width << WIDTH_SHIFT) | (generation << width) | slot;
    }

    /** The largest generation a Space whose slots need {@code width} bits can use. */
    public static long maxGeneration(int width) {
        return (1L << (WIDTH_SHIFT - width)) - 1;
    }

    /** The number of bits the slots {@code 0..slots-1} need: at least 1. */
    public static int width(int slots) {
        return Math.max(1, Integer.SIZE - Integer.numberOfLeadingZeros(slots - 1));
    }
}
