package io.capipc.servers;

/**
 * The errors the server library itself answers with, whatever the interface: each is carried in a
 * reply's label at {@link Wire#PROTOCOL_BASE} + its ordinal, so they never collide with an
 * interface's own errors (labels 1..). A client's stub turns them into an {@link IpcException} whose
 * {@link IpcException#error()} is the constant.
 */
public enum ProtocolError {
    /** The label names no operation of the interface the server serves. */
    UNKNOWN_OPERATION,
    /** The message does not fit the operation: too few registers, a value out of range, a negative lease size. */
    BAD_REQUEST,
    /** The server's handler threw (not an {@link IpcException} with an error of the interface). */
    HANDLER_FAILED,
    /** A capability the operation takes did not arrive (no GRANT, no receive slot, or not sent). */
    MISSING_CAPABILITY,
    /** The handler's reply was refused by the kernel (its reason is logged); this answer was sent instead. */
    REPLY_REFUSED,
    /** The server was stopping and did not handle the call. */
    STOPPED,
    /** The server could not defer the call: its reply pool or its slots are exhausted. */
    SERVER_BUSY,
    /** The reply does not fit the operation (too few registers, an unknown error label or enum value). */
    BAD_REPLY;

    private static final ProtocolError[] VALUES = values();

    /** The constant at {@code ordinal}, or null; allocation-free. */
    static @org.jspecify.annotations.Nullable ProtocolError ofOrdinal(int ordinal) {
        return ordinal >= 0 && ordinal < VALUES.length ? VALUES[ordinal] : null;
    }
}
