package io.capipc.api;

/**
 * Which check refused a syscall: left beside the {@link Status} in the IPC buffer
 * ({@link IpcBuffer#reason()}), so that a refusal says which argument was wrong, not only that one
 * was. Each reason belongs to one status; {@link #NONE} means the syscall was not refused (it
 * succeeded, or a blocked syscall ended with TIMEOUT, INTERRUPTED, REVOKED, NO_REPLY or PEER_DIED,
 * which say enough).
 * Setting one allocates nothing: the kernel stores its ordinal. Checks run in docs/semantics.md's
 * order, so the reason names the first check that failed.
 */
public enum Reason {
    /** Not refused. */
    NONE(Status.OK, "not refused"),

    // ---- argument ranges: INVALID_ARGUMENT
    /** A timeout below 0. */
    TIMEOUT_NEGATIVE(Status.INVALID_ARGUMENT, "the timeout is negative"),
    /** The info word's label is negative. */
    LABEL_NEGATIVE(Status.INVALID_ARGUMENT, "the info word's label is negative"),
    /** The info word's length is over 64. */
    LENGTH_OVER_64(Status.INVALID_ARGUMENT, "the info word's length is over 64 registers"),
    /** The info word names more than 4 capabilities. */
    CAPS_OVER_4(Status.INVALID_ARGUMENT, "the info word names more than 4 capabilities"),
    /** The info word has the SYSTEM flag, which only the kernel sets. */
    SYSTEM_FLAG(Status.INVALID_ARGUMENT, "the info word has the SYSTEM flag, which only the kernel sets"),
    /** The info word has a kind, the ASYNC flag or a reserved bit set. */
    KIND_OR_RESERVED_BITS(Status.INVALID_ARGUMENT, "the info word has a kind, the ASYNC flag or a reserved bit set"),
    /** Forward with capabilities: they cannot be forwarded. */
    FORWARD_WITH_CAPS(Status.INVALID_ARGUMENT, "Forward carries no capabilities"),
    /** The capability slot argument is out of range. */
    SLOT_OUT_OF_RANGE(Status.INVALID_ARGUMENT, "the capability slot is out of range"),
    /** A slot the IPC buffer names for capability transfer is out of range. */
    TRANSFER_SLOT_OUT_OF_RANGE(Status.INVALID_ARGUMENT, "a slot named for capability transfer is out of range"),
    /** The destination slot is out of range. */
    DESTINATION_OUT_OF_RANGE(Status.INVALID_ARGUMENT, "the destination slot is out of range"),
    /** A rights mask with bits beyond READ, WRITE and GRANT. */
    RIGHTS_UNKNOWN_BITS(Status.INVALID_ARGUMENT, "the rights mask has unknown bits"),
    /** A system-message mask with unknown bits. */
    MASK_UNKNOWN_BITS(Status.INVALID_ARGUMENT, "the system-message mask has unknown bits"),
    /** A second badge on a badged capability: a badge is set once. */
    BADGE_ALREADY_SET(Status.INVALID_ARGUMENT, "the capability is badged already; a badge is set once"),
    /** Mutate that would narrow or badge a capability with children. */
    MUTATE_WITH_CHILDREN(Status.INVALID_ARGUMENT, "a capability with children keeps its rights and badge"),
    /** CancelBadgedSends through an unbadged capability. */
    BADGE_REQUIRED(Status.INVALID_ARGUMENT, "the capability has no badge"),
    /** A buffer array, or one of its segments, is null. */
    BUFFER_NULL(Status.INVALID_ARGUMENT, "a buffer array or one of its segments is null"),
    /** A buffer of more than 8 segments. */
    SEGMENTS_OVER_8(Status.INVALID_ARGUMENT, "a buffer has more than 8 segments"),
    /** An attached segment's arena is closed. */
    SEGMENT_CLOSED(Status.INVALID_ARGUMENT, "an attached segment's arena is closed"),
    /** An attached segment is confined to one thread, which no server can be. */
    SEGMENT_CONFINED(Status.INVALID_ARGUMENT, "an attached segment is confined to one thread; no server can reach it"),
    /** A read-only segment in the receive buffer. */
    RECEIVE_SEGMENT_READ_ONLY(Status.INVALID_ARGUMENT, "a segment of the receive buffer is read-only"),
    /** The segments' sizes do not sum to a long. */
    BUFFER_TOO_LARGE(Status.INVALID_ARGUMENT, "the segments' sizes do not sum to a long"),
    /** The task's own segment for Read or Write is null, closed, or confined to another thread. */
    OWN_SEGMENT_UNUSABLE(Status.INVALID_ARGUMENT, "the task's own segment is null, closed or confined to another thread"),
    /** Read into a read-only segment. */
    OWN_SEGMENT_READ_ONLY(Status.INVALID_ARGUMENT, "Read's destination segment is read-only"),
    /** A segment the caller attached was closed since its Call. */
    CALLER_SEGMENT_CLOSED(Status.INVALID_ARGUMENT, "a segment the caller attached was closed since its Call"),
    /** An arena was closed by another thread during the copy. */
    CLOSED_DURING_COPY(Status.INVALID_ARGUMENT, "an arena was closed by another thread during the copy"),
    /** Wait or Poll on a notification bound to another task. */
    BOUND_TO_ANOTHER_TASK(Status.INVALID_ARGUMENT, "the notification is bound to another task"),
    /** BindNotification where the task or the notification is bound already. */
    ALREADY_BOUND(Status.INVALID_ARGUMENT, "the task or the notification is bound already"),
    /** BindNotification of a notification other tasks wait on. */
    NOTIFICATION_HAS_WAITERS(Status.INVALID_ARGUMENT, "other tasks wait on the notification"),
    /** UnbindNotification without a binding. */
    NOT_BOUND(Status.INVALID_ARGUMENT, "the task is bound to no notification"),
    /** Resume while already holding a current context. */
    ALREADY_HOLDS_CONTEXT(Status.INVALID_ARGUMENT, "the task already holds a current context"),
    /** Bind with a capacity outside 1..{@code Syscalls.MAX_PORT_CAPACITY}. */
    CAPACITY_OUT_OF_RANGE(Status.INVALID_ARGUMENT, "the port's capacity is out of range"),
    /** The reply endpoint slot is out of range. */
    REPLY_ENDPOINT_OUT_OF_RANGE(Status.INVALID_ARGUMENT, "the reply endpoint's slot is out of range"),
    /** Retype of a type it cannot make (null, a reply-pool entry, an async port, a task). */
    TYPE_NOT_RETYPABLE(Status.INVALID_ARGUMENT, "Retype cannot make an object of that type"),
    /** Retype with a parameter out of range for the type (docs/semantics.md §13). */
    PARAM_OUT_OF_RANGE(Status.INVALID_ARGUMENT, "the parameter is out of range for the type"),
    /** Restart of the task making it: a task cannot restart itself. */
    RESTART_SELF(Status.INVALID_ARGUMENT, "a task cannot restart itself"),
    /** Restart of a task this runtime has no body for (a thread adopted it, or it was never started). */
    NOT_RESTARTABLE(Status.INVALID_ARGUMENT, "the runtime has no body to start the task with"),

    // ---- capability lookups: INVALID_CAPABILITY
    /** The slot is empty. */
    EMPTY_SLOT(Status.INVALID_CAPABILITY, "the slot is empty"),
    /** The slot holds something other than an endpoint. */
    NOT_AN_ENDPOINT(Status.INVALID_CAPABILITY, "the slot holds no endpoint capability"),
    /** The slot holds something other than a notification. */
    NOT_A_NOTIFICATION(Status.INVALID_CAPABILITY, "the slot holds no notification capability"),
    /** The slot holds something other than a region. */
    NOT_A_REGION(Status.INVALID_CAPABILITY, "the slot holds no region capability"),
    /** The slot holds something other than an async port. */
    NOT_AN_ASYNC_PORT(Status.INVALID_CAPABILITY, "the slot holds no async port capability"),
    /** The slot holds something other than an untyped. */
    NOT_AN_UNTYPED(Status.INVALID_CAPABILITY, "the slot holds no untyped capability"),
    /** The slot holds something other than a Task capability. */
    NOT_A_TASK(Status.INVALID_CAPABILITY, "the slot holds no Task capability"),
    /** Bind's reply endpoint slot is empty or holds no endpoint. */
    REPLY_NOT_AN_ENDPOINT(Status.INVALID_CAPABILITY, "the reply endpoint's slot holds no endpoint capability"),
    /** A slot named for transfer is empty or holds a reply capability. */
    TRANSFER_SLOT_UNUSABLE(Status.INVALID_CAPABILITY, "a slot named for transfer is empty or holds a reply capability"),
    /** Copy, Mint, Move or Mutate of a reply capability, which never moves. */
    REPLY_CAPABILITY(Status.INVALID_CAPABILITY, "a reply capability cannot be copied, minted, moved or transferred"),
    /** A handle that names no suspended context now: stale, forged, or another Space's. */
    STALE_HANDLE(Status.INVALID_CAPABILITY, "the handle names no suspended context of this Space now"),

    // ---- rights: INSUFFICIENT_RIGHTS
    /** The capability lacks READ. */
    NEEDS_READ(Status.INSUFFICIENT_RIGHTS, "the capability lacks READ"),
    /** The capability lacks WRITE. */
    NEEDS_WRITE(Status.INSUFFICIENT_RIGHTS, "the capability lacks WRITE"),
    /** Capabilities sent through a capability without GRANT. */
    NEEDS_GRANT(Status.INSUFFICIENT_RIGHTS, "capabilities go only through a capability with GRANT"),
    /** A reply with capabilities to a Call received through a capability without GRANT. */
    NEEDS_GRANT_TO_REPLY(Status.INSUFFICIENT_RIGHTS, "the Call came through a capability without GRANT"),
    /** Bind needs READ on the reply endpoint. */
    REPLY_NEEDS_READ(Status.INSUFFICIENT_RIGHTS, "the reply endpoint's capability lacks READ"),
    /** CancelBadgedSends needs READ, WRITE and GRANT. */
    NEEDS_ALL_RIGHTS(Status.INSUFFICIENT_RIGHTS, "the capability lacks one of READ, WRITE and GRANT"),

    // ---- destination: SLOT_OCCUPIED
    /** The destination slot holds a capability. */
    DESTINATION_OCCUPIED(Status.SLOT_OCCUPIED, "the destination slot holds a capability"),

    // ---- context state: NO_CALLER, CANCELLED
    /** The task holds no caller context. */
    NO_CONTEXT(Status.NO_CALLER, "the task holds no caller context"),
    /** The caller of the context gave up or died. */
    CALLER_GONE(Status.CANCELLED, "the caller gave up or died"),

    // ---- offsets: RANGE
    /** A negative offset. */
    OFFSET_NEGATIVE(Status.RANGE, "the offset is negative"),
    /** An offset past the end of the buffer. */
    OFFSET_PAST_END(Status.RANGE, "the offset is past the end of the buffer"),
    /** A window that is not inside the capability's bytes (or a negative length). */
    WINDOW_OUTSIDE(Status.RANGE, "the window is not inside the capability's bytes"),

    // ---- pools: NO_SPACE
    /** The Space's reply pool has no free entry. */
    REPLY_POOL_EXHAUSTED(Status.NO_SPACE, "the Space's reply pool has no free entry"),
    /** The Space has no empty slot for the reply capability. */
    NO_EMPTY_SLOT(Status.NO_SPACE, "the Space has no empty slot"),
    /** The Space has used every handle generation. */
    GENERATIONS_EXHAUSTED(Status.NO_SPACE, "the Space has used its last handle generation"),
    /** The endpoint tracks as many badges as it can. */
    BADGES_EXHAUSTED(Status.NO_SPACE, "the endpoint tracks as many badges as it can"),
    /** Retype of an object larger than what is left of the untyped's budget. */
    BUDGET_EXHAUSTED(Status.NO_SPACE, "the untyped's budget has too little left for the object"),

    // ---- REVOKED
    /** The async port lost its endpoint or messages; it takes no more. */
    PORT_REVOKED(Status.REVOKED, "the async port was revoked: its endpoint went or it lost messages"),

    // ---- WOULD_BLOCK
    /** A non-blocking syscall found nothing to do. */
    NOTHING_WAITING(Status.WOULD_BLOCK, "nothing to take and nobody waiting"),
    /** Every entry of the async port's queue is taken. */
    PORT_FULL(Status.WOULD_BLOCK, "every entry of the async port is taken");

    private static final Reason[] BY_ORDINAL = values();

    private final Status status;
    private final String description;

    Reason(Status status, String description) {
        this.status = status;
        this.description = description;
    }

    /** The status a refusal for this reason returns ({@link Status#OK} for {@link #NONE}). */
    public Status status() {
        return status;
    }

    /** What the check found, in a few words, for logs. */
    public String description() {
        return description;
    }

    /** The reason with this ordinal; no allocation ({@code values()} clones). */
    public static Reason ofOrdinal(int ordinal) {
        return BY_ORDINAL[ordinal];
    }

    /** A refusal as text, e.g. {@code INVALID_ARGUMENT (TRANSFER_SLOT_OUT_OF_RANGE: a slot named ...)}; for logs. */
    public String render() {
        return this == NONE ? "not refused" : status + " (" + name() + ": " + description + ")";
    }
}
