package io.capipc.api;

import org.jspecify.annotations.Nullable;

/**
 * The kinds of system message (docs/semantics.md §6): messages only the kernel sends, with the SYSTEM flag
 * set, so no task can forge one (docs/semantics.md guarantee 1). One arrives as kind {@link Kind#SEND} with
 * {@link MessageInfo#isSystem} true, its kind as the label, the badge concerned as the badge, and one
 * register, MR0, described with each kind.
 *
 * <p>A holder of READ on an endpoint chooses which kinds the endpoint receives with
 * {@link Syscalls#systemMessages}, as a mask of {@link #bit()}s. A new endpoint receives
 * {@link #TASK_FAULTED} only, so that naming an endpoint as a task's fault endpoint is enough to hear
 * of its faults.
 */
public enum SystemMessage {
    /**
     * The caller of a suspended context gave up (timeout, interrupt) or died. Sent to the endpoint the
     * Call was received through; badge: the badge the caller invoked; MR0: the handle, which now
     * answers CANCELLED and should be deleted or replied to (the reply is dropped).
     */
    CALLER_CANCELLED(1),
    /**
     * The last capability with this non-zero badge to the endpoint is gone, counting capabilities in
     * flight. Badge: that badge; MR0: 0.
     */
    BADGE_DISCONNECTED(2),
    /** A task whose fault endpoint this is threw. Badge: the fault capability's badge; MR0: the task's id. */
    TASK_FAULTED(3);

    /** Every kind's bit. */
    public static final int ALL = 0b1110;

    private final int label;

    SystemMessage(int label) {
        this.label = label;
    }

    /** The label a message of this kind arrives with. */
    public int label() {
        return label;
    }

    /** This kind's bit in a {@link Syscalls#systemMessages} mask. */
    public int bit() {
        return 1 << label;
    }

    /** The kind whose label is {@code label}, or null if it names none. */
    public static @Nullable SystemMessage ofLabel(int label) {
        for (SystemMessage m : values()) {
            if (m.label == label) {
                return m;
            }
        }
        return null;
    }

    /** True if {@code mask} sets only bits of kinds. */
    public static boolean isValidMask(int mask) {
        return (mask & ~ALL) == 0;
    }
}
