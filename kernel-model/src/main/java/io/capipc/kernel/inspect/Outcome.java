package io.capipc.kernel.inspect;

import io.capipc.api.Status;

/**
 * What a syscall did, as the deterministic driver and the tracer report it: it completed with one of
 * the statuses (a constant of the same name), or it left the task {@link #BLOCKED}, to be completed
 * by another task's transition (its status then lands in the task's IPC buffer). Blocked is a value
 * of its own, never a missing status.
 */
public enum Outcome {
    OK, WOULD_BLOCK, INVALID_CAPABILITY, INSUFFICIENT_RIGHTS, INVALID_ARGUMENT, SLOT_OCCUPIED, NO_CALLER,
    CANCELLED, RANGE, NO_SPACE, NO_REPLY, PEER_DIED, REVOKED, TIMEOUT, INTERRUPTED,
    /** The syscall did not complete: the task is now blocked. */
    BLOCKED;

    private static final Outcome[] BY_STATUS = new Outcome[Status.values().length];
    private static final Status[] STATUS = new Status[values().length];

    static {
        for (Status s : Status.values()) {
            BY_STATUS[s.ordinal()] = valueOf(s.name());
            STATUS[valueOf(s.name()).ordinal()] = s;
        }
    }

    /** The outcome of a syscall that completed with {@code status}; no allocation. */
    public static Outcome of(Status status) {
        return BY_STATUS[status.ordinal()];
    }

    /** The outcome of a kernel result: null means the task blocked. */
    public static Outcome ofResult(Status result) {
        return result == null ? BLOCKED : of(result);
    }

    /** True if the task is now blocked. */
    public boolean isBlocked() {
        return this == BLOCKED;
    }

    /**
     * The status the syscall completed with.
     *
     * @throws IllegalStateException if it did not complete ({@link #BLOCKED})
     */
    public Status status() {
        if (this == BLOCKED) {
            throw new IllegalStateException("the syscall did not complete: the task is blocked");
        }
        return STATUS[ordinal()];
    }
}
