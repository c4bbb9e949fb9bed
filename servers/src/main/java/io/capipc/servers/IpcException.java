package io.capipc.servers;

import io.capipc.api.Status;
import org.jspecify.annotations.Nullable;

/**
 * Why a typed call failed, with both causes kept apart so a caller never has to guess:
 *
 * <ul>
 *   <li>a <b>transport</b> failure: the syscall itself ended with {@link #status()} other than OK
 *       (PEER_DIED, NO_REPLY, REVOKED, TIMEOUT, INTERRUPTED, INVALID_CAPABILITY...), and
 *       {@link #error()} is null;
 *   <li>an <b>answer</b> that is an error: the call went through (status OK) and the server answered
 *       with {@link #error()}, a constant of the interface's declared error enum or a
 *       {@link ProtocolError}.
 * </ul>
 *
 * <p>Instances are immutable and carry no stack trace, so the library shares one per status and one
 * per error constant ({@link #of(Status)}, {@link #of(Enum)}): failing allocates nothing after the
 * first time. Server handlers throw them too, to answer with an error.
 */
public final class IpcException extends Exception {
    private static final long serialVersionUID = 1L;
    private static final IpcException[] BY_STATUS = new IpcException[Status.values().length];
    private static final ClassValue<IpcException[]> BY_ERROR = new ClassValue<>() {
        @Override
        protected IpcException[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            IpcException[] all = new IpcException[constants.length];
            for (int i = 0; i < constants.length; i++) {
                all[i] = new IpcException(Status.OK, (Enum<?>) constants[i]);
            }
            return all;
        }
    };

    static {
        for (Status s : Status.values()) {
            BY_STATUS[s.ordinal()] = new IpcException(s, null);
        }
    }

    private final Status status;
    private final transient @Nullable Enum<?> error;

    private IpcException(Status status, @Nullable Enum<?> error) {
        super(null, null, false, false);
        this.status = status;
        this.error = error;
    }

    /**
     * The transport failure {@code status}.
     *
     * @throws IllegalArgumentException for OK, which is no failure
     */
    public static IpcException of(Status status) {
        if (status == Status.OK) {
            throw new IllegalArgumentException("OK is not a transport failure; use of(error) for an answer");
        }
        return BY_STATUS[status.ordinal()];
    }

    /** The answer {@code error} (a constant of an interface's error enum, or a {@link ProtocolError}). */
    public static IpcException of(Enum<?> error) {
        return BY_ERROR.get(error.getDeclaringClass())[error.ordinal()];
    }

    /** The syscall's status: OK when the server answered with an {@link #error()}. */
    public Status status() {
        return status;
    }

    /** The server's error answer, or null for a transport failure. */
    public @Nullable Enum<?> error() {
        return error;
    }

    /** True if the server answered with an error (the call itself went through). */
    public boolean isAnswer() {
        return error != null;
    }

    @Override
    public String getMessage() {
        Enum<?> e = error;
        return e == null ? "the call failed: " + status
                : "the server answered " + e.getDeclaringClass().getSimpleName() + "." + e.name();
    }
}
