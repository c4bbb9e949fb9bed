package io.capipc.api;

/**
 * The info word of a message (docs/semantics.md §3), packed in a {@code long} so that building and reading
 * it allocates nothing.
 *
 * <pre>
 *  63            32 31     16 15  13  12   11  10  8 7 6      0
 * +----------------+---------+------+----+-----+-----+-+--------+
 * |  label (int)   | reserved| kind |SYS |ASYNC| caps|r| length |
 * +----------------+---------+------+----+-----+-----+-+--------+
 * </pre>
 *
 * <p>SYSTEM and ASYNC, like the kind, are set only by the kernel on delivery: SYSTEM on a message the
 * kernel itself sent, ASYNC on one that came through an async port (docs/semantics.md §5.5) or is the
 * reply to an AsyncCall.
 *
 * <p>The fields are wider than their legal ranges on purpose: a word with a negative label, a length
 * over 64, more than 4 capabilities, the SYSTEM flag, a kind or a reserved bit set is representable,
 * so the kernel can refuse it with {@link Status#INVALID_ARGUMENT} instead of silently truncating it.
 * {@link #of(int, int)} and {@link #of(int, int, int)} build only legal words; {@link #pack} builds any
 * word, for tests of refusal.
 */
public final class MessageInfo {
    /** Message registers per IPC buffer. */
    public static final int MAX_LENGTH = 64;
    /** Capabilities per message. */
    public static final int MAX_CAPS = 4;

    private static final long LENGTH_MASK = 0x7FL;
    private static final int CAPS_SHIFT = 8;
    private static final long CAPS_MASK = 0x7L << CAPS_SHIFT;
    private static final long ASYNC_BIT = 1L << 11;
    private static final long SYSTEM_BIT = 1L << 12;
    private static final int KIND_SHIFT = 13;
    private static final long KIND_MASK = 0x7L << KIND_SHIFT;
    private static final int LABEL_SHIFT = 32;
    /** Every bit a word may use. */
    private static final long USED = LENGTH_MASK | CAPS_MASK | SYSTEM_BIT | KIND_MASK | (0xFFFF_FFFFL << LABEL_SHIFT);

    private MessageInfo() {}

    /**
     * A word a task may send: {@code label} of 0 or more, {@code length} registers in 0..64.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static long of(int label, int length) {
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, was " + label);
        }
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("length must be in 0.." + MAX_LENGTH + ", was " + length);
        }
        return pack(label, length, 0, false);
    }

    /**
     * A word a task may send that transfers {@code caps} capabilities (0..4), named by
     * {@link IpcBuffer#setCap}.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static long of(int label, int length, int caps) {
        long info = of(label, length);
        if (caps < 0 || caps > MAX_CAPS) {
            throw new IllegalArgumentException("caps must be in 0.." + MAX_CAPS + ", was " + caps);
        }
        return withCaps(info, caps);
    }

    /**
     * Packs any values, legal or not, for tests of refusal; the kernel validates. Fields are
     * truncated to their widths. Use {@link #of(int, int, int)} for a word to send.
     */
    public static long pack(int label, int length, int caps, boolean system) {
        return ((long) label << LABEL_SHIFT)
                | (length & LENGTH_MASK)
                | (((long) caps << CAPS_SHIFT) & CAPS_MASK)
                | (system ? SYSTEM_BIT : 0);
    }

    /** The label (may be negative in a word the kernel must refuse). */
    public static int label(long info) {
        return (int) (info >> LABEL_SHIFT);
    }

    /** Number of message registers carried. */
    public static int length(long info) {
        return (int) (info & LENGTH_MASK);
    }

    /** Number of capabilities carried. */
    public static int caps(long info) {
        return (int) ((info & CAPS_MASK) >>> CAPS_SHIFT);
    }

    /** True on a message the kernel itself sent. */
    public static boolean isSystem(long info) {
        return (info & SYSTEM_BIT) != 0;
    }

    /**
     * True on a message that came through an async port (kind SEND or CALL), or that answers an
     * AsyncCall (kind REPLY, its tag as the badge; with SYSTEM, an error whose label is the status).
     */
    public static boolean isAsync(long info) {
        return (info & ASYNC_BIT) != 0;
    }

    /** The word with the ASYNC flag set; used by the kernel on delivery. */
    public static long withAsync(long info) {
        return info | ASYNC_BIT;
    }

    /** The word with the SYSTEM flag set; used by the kernel for the messages it sends itself. */
    public static long withSystem(long info) {
        return info | SYSTEM_BIT;
    }

    /** What kind of message arrived; {@link Kind#NONE} on a word built for sending. */
    public static Kind kind(long info) {
        return Kind.ofCode((int) ((info & KIND_MASK) >>> KIND_SHIFT));
    }

    /** The word with its capability count set (0..7); used by the kernel on delivery. */
    public static long withCaps(long info, int caps) {
        return (info & ~CAPS_MASK) | (((long) caps << CAPS_SHIFT) & CAPS_MASK);
    }

    /** The word with its kind set; used by the kernel on delivery. */
    public static long withKind(long info, Kind kind) {
        return (info & ~KIND_MASK) | ((long) kind.ordinal() << KIND_SHIFT);
    }

    /**
     * True if user code may send this word: label 0 or more, length 0..64, at most 4 capabilities,
     * no SYSTEM flag, no kind, no reserved bit.
     */
    public static boolean isSendable(long info) {
        return (info & ~USED) == 0
                && label(info) >= 0
                && length(info) <= MAX_LENGTH
                && caps(info) <= MAX_CAPS
                && !isSystem(info)
                && (info & KIND_MASK) == 0;
    }

    /** The word as text, e.g. {@code CALL label=7 len=2}; for traces, not for hot paths. */
    public static String toString(long info) {
        StringBuilder sb = new StringBuilder();
        if (kind(info) != Kind.NONE) {
            sb.append(kind(info)).append(' ');
        }
        if (isSystem(info)) {
            sb.append("SYSTEM ");
        }
        if (isAsync(info)) {
            sb.append("ASYNC ");
        }
        sb.append("label=").append(label(info)).append(" len=").append(length(info));
        if (caps(info) != 0) {
            sb.append(" caps=").append(caps(info));
        }
        return sb.toString();
    }
}
