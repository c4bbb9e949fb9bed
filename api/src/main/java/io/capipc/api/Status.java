package io.capipc.api;

/**
 * The outcome of a syscall (docs/semantics.md §9). The primitive API returns these as values and never
 * throws; returning an enum constant allocates nothing.
 */
public enum Status {
    /** The syscall did what it was asked. */
    OK,
    /** A non-blocking syscall found nothing to do; nothing changed. */
    WOULD_BLOCK,
    /** Empty slot, wrong object type, or stale handle. */
    INVALID_CAPABILITY,
    /** The capability lacks a right the syscall needs. */
    INSUFFICIENT_RIGHTS,
    /** Length, label, slot index, flag, timeout or state out of range. */
    INVALID_ARGUMENT,
    /** The destination slot already holds a capability. */
    SLOT_OCCUPIED,
    /** The task holds no caller context. */
    NO_CALLER,
    /** The caller whose context is held gave up or died. */
    CANCELLED,
    /** An offset is negative or beyond the end of a buffer. */
    RANGE,
    /** A preallocated pool or the slot table is exhausted. */
    NO_SPACE,
    /** The server dropped the caller context without replying. */
    NO_REPLY,
    /** The task holding the caller context died. */
    PEER_DIED,
    /** The capability or object used was revoked or destroyed. */
    REVOKED,
    /** The timeout elapsed. */
    TIMEOUT,
    /** The task's thread was interrupted while blocked. */
    INTERRUPTED
}
