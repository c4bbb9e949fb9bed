package io.capipc.kernel.syscall;

/**
 * Deliberate kernel bugs, for the property suite's injected-fault test: each breaks one SPEC
 * guarantee in a way its property must catch. A kernel has none unless it is built with
 * {@link Faults#of}; production code never does.
 */
public enum Fault {
    /** Guarantee 1: the receiver is shown the message's label as the badge. */
    BADGE_FROM_LABEL,
    /** Guarantee 1: a capability unwrapped on arrival is reported with badge 0. */
    UNWRAP_LOSES_BADGE,
    /** Guarantee 2: Mint may re-badge a capability that already has a badge. */
    MINT_REBADGES,
    /** Guarantee 3: Revoke spares the last descendant it would delete. */
    REVOKE_SPARES_ONE,
    /** Guarantee 3: a sender queued through a deleted capability stays queued. */
    DELETE_KEEPS_SENDERS,
    /** Guarantee 4: Recv drops an unanswered context without waking its caller. */
    RECV_FORGETS_CONTEXT,
    /** Guarantee 5: ReplyWait completes the answered Call a second time, with NO_REPLY. */
    REPLY_WAIT_COMPLETES_TWICE,
    /** Guarantee 6: Send to a waiting receiver returns OK but the message is lost on the way. */
    SEND_DROPS_MESSAGE,
    /** Guarantee 9: senders are queued last-in, first-out. */
    LIFO_SENDERS,
    /** Guarantee 8: Reply with no caller returns NO_CALLER instead of OK. */
    REPLY_WITHOUT_CALLER_FAILS,
    /** Guarantee 9: receivers are queued last-in, first-out. */
    LIFO_RECEIVERS,
    /** Guarantee 10: Reply wakes the caller but the server keeps its context and buffers. */
    REPLY_KEEPS_CONTEXT,
    /** Guarantee 12: the deadlock report leaves out tasks waiting for a reply. */
    DEADLOCK_REPORT_SPARES_CALLERS,
    /** Guarantee 11: NBSend allocates. */
    NBSEND_ALLOCATES,
    /** Section 7: a timeout ends the syscall but leaves its task where it waited (queued, or its context held). */
    TIMEOUT_STAYS_QUEUED
}
