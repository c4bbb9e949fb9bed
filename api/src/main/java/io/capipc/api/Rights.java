package io.capipc.api;

/**
 * Capability rights as a bit mask (docs/semantics.md §2): a subset of {READ, WRITE, GRANT}. Masks are plain
 * {@code int}s so that rights checks on the syscall path allocate nothing.
 */
public final class Rights {
    /** Endpoint: Recv, NBRecv, ReplyWait. */
    public static final int READ = 1;
    /** Endpoint: Send, NBSend, Call. */
    public static final int WRITE = 1 << 1;
    /** Endpoint: transfer capabilities in messages sent through it, and in replies to Calls received through it. */
    public static final int GRANT = 1 << 2;
    /** No rights. */
    public static final int NONE = 0;
    /** READ, WRITE and GRANT. */
    public static final int ALL = READ | WRITE | GRANT;

    private Rights() {}

    /** True if {@code mask} names only known rights. */
    public static boolean isValid(int mask) {
        return (mask & ~ALL) == 0;
    }

    /** True if {@code mask} holds every right in {@code required}. */
    public static boolean has(int mask, int required) {
        return (mask & required) == required;
    }

    /** A mask as text, e.g. {@code "RW-"}; for traces and views, not for hot paths. */
    public static String toString(int mask) {
        if (!isValid(mask)) {
            throw new IllegalArgumentException("unknown rights bits in mask " + mask);
        }
        return (has(mask, READ) ? "R" : "-") + (has(mask, WRITE) ? "W" : "-") + (has(mask, GRANT) ? "G" : "-");
    }
}
