package io.capipc.servers.upper;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.servers.Handler;
import io.capipc.servers.ServerLoop;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A server that upper-cases ASCII text: the client Calls with its text as the send buffer and a
 * receive buffer for the answer. The server copies the text in chunks with Read, converts it in its
 * own scratch buffer, and copies it back with Write: it never sees more of the client's memory than
 * the client attached.
 *
 * <p>Protocol: label {@link #UPPER} (Call): reply label 0 with MR0 = bytes written, or label
 * {@link #FAILED} with MR0 = the ordinal of the failing status. Label {@link #STOP} (Send): the server
 * leaves its loop. Any other label: reply {@link #FAILED}.
 */
public final class UpperCaseServer implements Handler {
    public static final int UPPER = 1;
    public static final int STOP = 2;
    public static final int FAILED = 3;

    private final MemorySegment scratch;
    private long requests;
    private long bytes;

    /** A server whose scratch buffer holds {@code chunk} bytes. */
    public UpperCaseServer(int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, was " + chunk);
        }
        scratch = Arena.ofAuto().allocate(chunk);
    }

    @Override
    public long handle(Syscalls sys) {
        int label = sys.ipc().label();
        if (label == STOP && sys.ipc().kind() == Kind.SEND) {
            return ServerLoop.STOP;
        }
        if (label != UPPER || sys.ipc().kind() != Kind.CALL) {
            return MessageInfo.of(FAILED, 0);
        }
        Status s = upperCase(sys);
        if (s != Status.OK) {
            sys.ipc().setMr(0, s.ordinal());
            return MessageInfo.of(FAILED, 1);
        }
        requests++;
        return MessageInfo.of(0, 1);
    }

    /** Copies the caller's text through the scratch buffer, chunk by chunk; MR0 = bytes written. */
    private Status upperCase(Syscalls sys) {
        long offset = 0;
        while (true) {
            Status s = sys.read(offset, scratch);
            if (s != Status.OK) {
                return s;
            }
            long n = sys.ipc().count();
            if (n == 0) {
                break;
            }
            for (long i = 0; i < n; i++) {
                byte b = scratch.get(ValueLayout.JAVA_BYTE, i);
                if (b >= 'a' && b <= 'z') {
                    scratch.set(ValueLayout.JAVA_BYTE, i, (byte) (b - ('a' - 'A')));
                }
            }
            s = sys.write(offset, scratch.asSlice(0, n));
            if (s != Status.OK) {
                return s;
            }
            offset += sys.ipc().count();
            if (sys.ipc().count() < n) {
                break; // the receive buffer is full
            }
        }
        sys.ipc().setMr(0, offset);
        bytes += offset;
        return Status.OK;
    }

    /** Calls answered. */
    public long requests() {
        return requests;
    }

    /** Bytes upper-cased and written back. */
    public long bytes() {
        return bytes;
    }
}
