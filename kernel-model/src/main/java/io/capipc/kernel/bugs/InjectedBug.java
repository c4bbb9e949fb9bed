package io.capipc.kernel.bugs;

/**
 * Deliberate kernel bugs, for the property suite's injected-fault test: each breaks one guarantee
 * of docs/semantics.md §8 in a way its property must catch. A kernel has none unless it is built with
 * {@link InjectedBugs#of}; production code never does.
 */
public enum InjectedBug {
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
    TIMEOUT_STAYS_QUEUED,
    /** Guarantee 1: Send does not refuse the SYSTEM flag, so user code forges a system message. */
    SYSTEM_FLAG_FORGEABLE,
    /** Guarantee 4: when a Space's last task dies, the callers of its suspended contexts keep waiting. */
    LAST_TASK_KEEPS_SUSPENDED,
    /** Guarantee 5: a handle is looked up by its slot alone, ignoring the generation. */
    STALE_HANDLE_ACCEPTED,
    /** Guarantee 7: a system message posted while no receiver waits is dropped. */
    NOTICE_DROPPED,
    /** Guarantee 7: a sender released by Delete, Revoke or CancelBadgedSends gets OK instead of REVOKED. */
    RELEASE_WITHOUT_STATUS,
    /** Guarantee 8: Reply by handle to a caller that has gone returns CANCELLED instead of OK. */
    GONE_REPLY_FAILS,
    /** Guarantee 10: Write by handle ignores the generation: a stale handle writes to whichever caller's context now has its slot. */
    WRITE_HANDLE_WRONG_CONTEXT,
    /** Guarantee 12: the deadlock report leaves out callers whose context is suspended. */
    DEADLOCK_REPORT_SPARES_SUSPENDED,
    /** Guarantee 11: Suspend allocates. */
    SUSPEND_ALLOCATES,
    /** Guarantee 3: Revoke deletes the capability's children but not their descendants, which move up to it. */
    REVOKE_LEAVES_GRANDCHILDREN,
    /** Guarantee 3: Revoke spares the descendants a queued sender's message names for transfer. */
    REVOKE_SPARES_QUEUED_CAPS,
    /** Guarantee 12: an endpoint destroyed releases its queued senders but leaves its waiting receivers blocked. */
    DESTROY_KEEPS_RECEIVERS,
    /** Section 7: delivery reads the capability and receive slots from the IPC buffers again, not the copies made at the syscalls. */
    TRANSFER_REREADS_IPC_BUFFER,
    /** Guarantee 2 over windows: Carve places a window at its offset in the memory, not in its parent, so a window of a window names other bytes than those it was carved from. */
    WINDOW_AT_MEMORY_OFFSET,
    /** Guarantee 14: a mapping made through a derived capability survives its deletion, so a Revoke leaves its descendants' mappings. */
    MAPPING_SURVIVES_REVOKE,
    /** Guarantee 15: a capability marked MOVE is copied: the sender keeps it, and its mapping. */
    MOVE_LEAVES_COPY,
    /** Guarantee 14: a window does not count as a user of its region's memory, which is freed while the window is mapped. */
    WINDOW_NOT_COUNTED,
    /** Guarantee 16: Retype makes the object but charges nothing for it, so an untyped makes more than its budget. */
    RETYPE_FORGETS_CHARGE,
    /** Guarantee 16: a destroyed object's charge is not given back, so Revoke of its untyped does not restore the budget. */
    REFUND_SKIPPED,
    /** Guarantee 16: Revoke of an untyped capability spares the newest object made through it, which outlives it, still charged. */
    REVOKE_SPARES_MADE,
    /** Guarantee 16: Retype does not check WRITE on the untyped capability. */
    RETYPE_WITHOUT_WRITE,
    /** Guarantee 16: Kill and Restart do not check WRITE on the Task capability. */
    KILL_WITHOUT_WRITE,
    /** Section 13: Restart starts the task again on the IPC buffer of its last run, registers, status and slots as it left them. */
    RESTART_KEEPS_IPC_BUFFER,
    /** Guarantee 7 over async ports: a port that lost messages keeps taking more, so what it lost is a gap, not a suffix. */
    ASYNC_LOSS_GAP,
    /** Guarantee 4 over async ports: once the client received an AsyncCall's answer, a NO_REPLY error with the same tag follows it. */
    ASYNC_SECOND_REPLY,
    /** Guarantee 4 over async ports: an AsyncCall that ends in an error frees its entry without sending the error message. */
    ASYNC_ERROR_LOST,
    /** Section 5.5 and guarantee 7: AsyncSend on a full port blocks its sender, queued as a synchronous Send, instead of WOULD_BLOCK. */
    ASYNC_SEND_BLOCKS,
    /** Section 10: the simulated runtime hands a body whose syscall blocked the status its IPC buffer held when it blocked, not its completion's. */
    SIM_STALE_STATUS,
    /** Section 10: the threaded runtime hands a body whose syscall blocked the status its IPC buffer held when it blocked, not its completion's. */
    THREADED_STALE_STATUS,
    /** Guarantee 13: a Call's or ReplyWait's fast path ignores the exclusive flag, so it runs beside a transition under the kernel-wide lock. */
    FAST_PATH_IGNORES_LOCK
}
