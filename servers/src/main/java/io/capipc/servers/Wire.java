package io.capipc.servers;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import java.lang.foreign.MemorySegment;

/**
 * How typed calls sit in messages, and the checks generated stubs and dispatchers share. Public for
 * the generated code; a server written by hand may use it to speak the same protocol.
 *
 * <ul>
 *   <li>Request: label = the operation number; registers = the parameters in order (a lease's size
 *       for each {@link Lease}, nothing for a {@link Cap}); {@code long}, {@code int}, {@code short},
 *       {@code byte}, {@code char} as their value, {@code boolean} as 0 or 1, {@code float} and
 *       {@code double} as their raw bits, an enum as its ordinal.
 *   <li>Reply: label 0 and the result in MR0 (none for {@code void} or a {@link Cap}); or label
 *       1 + ordinal of a declared error, or {@link #PROTOCOL_BASE} + ordinal of a
 *       {@link ProtocolError}, with no registers.
 * </ul>
 *
 * <p>Every decoder checks its range, so a value that does not fit its type is a
 * {@link ProtocolError#BAD_REQUEST} (or BAD_REPLY), never silently truncated. Nothing here allocates.
 */
public final class Wire {
    /** The first label of the library's {@link ProtocolError}s. */
    public static final int PROTOCOL_BASE = 0x4000_0000;
    /** The largest operation number. */
    public static final int MAX_OPERATION = PROTOCOL_BASE - 1;
    /** Registers a message carries at most. */
    public static final int MAX_REGISTERS = MessageInfo.MAX_LENGTH;

    private Wire() {}

    /** The reply label that carries {@code error}. */
    public static int errorLabel(Enum<?> error) {
        return error instanceof ProtocolError ? PROTOCOL_BASE + error.ordinal() : 1 + error.ordinal();
    }

    /** The reply info word that answers with {@code error}: its label, and no registers. */
    public static long errorReply(Enum<?> error) {
        return MessageInfo.of(errorLabel(error), 0);
    }

    /**
     * Client side: checks a reply to an operation whose result takes {@code length} registers and
     * {@code caps} capabilities; throws the server's error or BAD_REPLY.
     *
     * @param errors the interface's error constants, by ordinal
     */
    public static void checkReply(IpcBuffer ipc, int length, int caps, Enum<?>[] errors) throws IpcException {
        int label = ipc.label();
        if (label != 0) {
            throw IpcException.of(errorOf(label, errors));
        }
        if (ipc.kind() != Kind.REPLY || ipc.length() < length) {
            throw IpcException.of(ProtocolError.BAD_REPLY);
        }
        if (ipc.caps() < caps || ipc.unwrapped() != 0) {
            throw IpcException.of(ProtocolError.MISSING_CAPABILITY);
        }
    }

    private static final Status[] STATUSES = Status.values();

    /**
     * Client side, after a Recv delivered the answer to an AsyncCall: checks that it is one (kind
     * REPLY, the ASYNC flag) and throws the transport error the kernel sent when no reply could come
     * (the SYSTEM flag, the label a {@link Status} ordinal: PEER_DIED, NO_REPLY, REVOKED). A reply
     * from the server is then checked by {@link #checkReply}.
     */
    public static void checkAsyncAnswer(IpcBuffer ipc) throws IpcException {
        long info = ipc.info();
        if (MessageInfo.kind(info) != Kind.REPLY || !MessageInfo.isAsync(info)) {
            throw IpcException.of(ProtocolError.BAD_REPLY);
        }
        if (MessageInfo.isSystem(info)) {
            int label = MessageInfo.label(info);
            throw label > 0 && label < STATUSES.length ? IpcException.of(STATUSES[label]) : IpcException.of(ProtocolError.BAD_REPLY);
        }
    }

    /** Client side: a syscall status other than OK as the exception to throw. */
    public static void checkStatus(Status s) throws IpcException {
        if (s != Status.OK) {
            throw IpcException.of(s);
        }
    }

    /** The error a reply label carries: a declared one, a protocol one, or BAD_REPLY for neither. */
    static Enum<?> errorOf(int label, Enum<?>[] errors) {
        if (label >= PROTOCOL_BASE) {
            ProtocolError p = ProtocolError.ofOrdinal(label - PROTOCOL_BASE);
            return p == null ? ProtocolError.BAD_REPLY : p;
        }
        return label >= 1 && label <= errors.length ? errors[label - 1] : ProtocolError.BAD_REPLY;
    }

    /** Server side: the request carries at least {@code length} registers and {@code caps} placed capabilities. */
    public static void checkRequest(IpcBuffer ipc, int length, int caps) throws IpcException {
        if (ipc.length() < length) {
            throw IpcException.of(ProtocolError.BAD_REQUEST);
        }
        if (ipc.caps() < caps || ipc.unwrapped() != 0) {
            throw IpcException.of(ProtocolError.MISSING_CAPABILITY);
        }
    }

    /** A register as an {@code int}; {@code bad} (BAD_REQUEST or BAD_REPLY) if it does not fit. */
    public static int toInt(long v, ProtocolError bad) throws IpcException {
        if (v != (int) v) {
            throw IpcException.of(bad);
        }
        return (int) v;
    }

    /** A register as a {@code short}; {@code bad} if it does not fit. */
    public static short toShort(long v, ProtocolError bad) throws IpcException {
        if (v != (short) v) {
            throw IpcException.of(bad);
        }
        return (short) v;
    }

    /** A register as a {@code byte}; {@code bad} if it does not fit. */
    public static byte toByte(long v, ProtocolError bad) throws IpcException {
        if (v != (byte) v) {
            throw IpcException.of(bad);
        }
        return (byte) v;
    }

    /** A register as a {@code char}; {@code bad} if it does not fit. */
    public static char toChar(long v, ProtocolError bad) throws IpcException {
        if (v != (char) v) {
            throw IpcException.of(bad);
        }
        return (char) v;
    }

    /** A register as a {@code boolean}: 0 or 1, else {@code bad}. */
    public static boolean toBoolean(long v, ProtocolError bad) throws IpcException {
        if (v != 0 && v != 1) {
            throw IpcException.of(bad);
        }
        return v == 1;
    }

    /** A register as a {@code float} (its raw bits in the low half); {@code bad} if the high half is set. */
    public static float toFloat(long v, ProtocolError bad) throws IpcException {
        if ((v >>> 32) != 0) {
            throw IpcException.of(bad);
        }
        return Float.intBitsToFloat((int) v);
    }

    /** A {@code float} as a register. */
    public static long ofFloat(float f) {
        return Integer.toUnsignedLong(Float.floatToRawIntBits(f));
    }

    /** A {@code boolean} as a register. */
    public static long ofBoolean(boolean b) {
        return b ? 1L : 0L;
    }

    /**
     * An enum constant as a register: its ordinal. The wire form of an enum is its declaration
     * order, so adding constants at the end keeps old peers compatible; reordering does not.
     */
    @SuppressWarnings("EnumOrdinal") // the ordinal is the wire format, by design (see above)
    public static long ofEnum(Enum<?> e) {
        return e.ordinal();
    }

    /** A register as an enum constant, by ordinal; {@code bad} if it names none. */
    public static <E extends Enum<E>> E toEnum(long v, E[] values, ProtocolError bad) throws IpcException {
        if (v < 0 || v >= values.length) {
            throw IpcException.of(bad);
        }
        return values[(int) v];
    }

    /** A lease's size, after the {@code before} bytes of the leases ahead of it: BAD_REQUEST if negative or too large. */
    public static long toSize(long v, long before) throws IpcException {
        if (v < 0 || before + v < 0) {
            throw IpcException.of(ProtocolError.BAD_REQUEST);
        }
        return v;
    }

    /** Server side: a two-way operation must come as a Call (a Send has nobody to answer, and no leases). */
    public static void requireCall(Caller caller) throws IpcException {
        if (!caller.isCall()) {
            throw IpcException.of(ProtocolError.BAD_REQUEST);
        }
    }

    /** An empty buffer array, for a Call whose operation has no leases of one kind. */
    public static final MemorySegment[] NO_SEGMENTS = new MemorySegment[0];

    /** A stub's buffer array of {@code n} segments, each {@link MemorySegment#NULL} between calls. */
    public static MemorySegment[] segments(int n) {
        MemorySegment[] a = new MemorySegment[n];
        java.util.Arrays.fill(a, MemorySegment.NULL);
        return a;
    }

    /** Empties a stub's buffer array after a call, so the stub keeps no caller memory alive. */
    public static void release(MemorySegment[] segments) {
        java.util.Arrays.fill(segments, MemorySegment.NULL);
    }

}
