package io.capipc.api;

/**
 * What Retype charges an untyped for each object (docs/semantics.md §13). The sizes are the kernel's
 * accounting, documented so a system builder can size budgets: about what the object costs on the
 * Java heap, rounded up, and fixed, so the same Retypes always charge the same.
 *
 * <p>To make Retype of a new type possible, add its case to {@link #charge}: the switch has no
 * default, so a new {@link ObjectType} does not compile until it says whether Retype makes it.
 */
public final class ObjectSizes {
    private ObjectSizes() {}

    /** An endpoint, with its queue heads and the records of the badges it tracks by default. */
    public static final long ENDPOINT = 512;
    /**
     * Each badge record an endpoint made by Retype makes beyond its {@code 16} preallocated ones (the
     * record, its BADGE_DISCONNECTED notice, its place in the endpoint's table), charged to the same
     * untyped when the endpoint first tracks one more distinct badge than ever before, and given back
     * with the endpoint.
     */
    public static final long BADGE_RECORD = 128;
    /** A notification: its word, flag, waiter queue and binding. */
    public static final long NOTIFICATION = 64;
    /** A Space's fixed part. */
    public static final long SPACE = 128;
    /** Each capability slot of a Space. */
    public static final long SPACE_SLOT = 64;
    /** Each entry of a Space's reply pool (with its CALLER_CANCELLED notice). */
    public static final long SPACE_POOL_ENTRY = 128;
    /** A region's fixed part; its bytes are charged as well (docs/semantics.md §12.1). */
    public static final long REGION = 128;
    /** The most slots a Space made by Retype may have. */
    public static final int MAX_SPACE_SLOTS = 1 << 16;
    /** The most reply-pool entries a Space made by Retype may have. */
    public static final int MAX_SPACE_POOL = 1 << 12;

    /**
     * The bytes Retype charges for one object of {@code type} made with {@code param}; -1 if Retype
     * does not make that type (null included), -2 if {@code param} is out of range for it: 0 for an
     * endpoint or a notification; for a Space, slots (1..{@link #MAX_SPACE_SLOTS}) in the low 32 bits
     * and reply-pool entries (0..{@link #MAX_SPACE_POOL}) in the high 32; for an untyped, its budget,
     * 1..{@link Syscalls#MAX_BUDGET} bytes, which is also what it is charged; for a region, its size,
     * 0..{@link Syscalls#MAX_BUDGET} bytes, charged with {@link #REGION} more.
     */
    public static long charge(ObjectType type, long param) {
        if (type == null) {
            return -1;
        }
        return switch (type) {
            case ENDPOINT -> param == 0 ? ENDPOINT : -2;
            case NOTIFICATION -> param == 0 ? NOTIFICATION : -2;
            case UNTYPED -> param >= 1 && param <= Syscalls.MAX_BUDGET ? param : -2;
            case SPACE -> {
                long slots = param & 0xFFFF_FFFFL;
                long pool = param >>> 32;
                yield slots >= 1 && slots <= MAX_SPACE_SLOTS && pool <= MAX_SPACE_POOL
                        ? SPACE + slots * SPACE_SLOT + pool * SPACE_POOL_ENTRY : -2;
            }
            case REGION -> param >= 0 && param <= Syscalls.MAX_BUDGET ? REGION + param : -2;
            case REPLY_POOL_ENTRY, ASYNC_PORT, TASK -> -1;
        };
    }

    /** The Retype parameter of a Space with {@code slots} slots and a reply pool of {@code pool} entries. */
    public static long space(int slots, int pool) {
        return ((long) pool << 32) | (slots & 0xFFFF_FFFFL);
    }
}
