package io.capipc.examples.gate;

import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.servers.Caller;
import io.capipc.servers.IpcException;
import io.capipc.servers.Server;

/**
 * The gate: a {@code pass} is deferred (its context suspended, a token kept), so one server thread
 * holds every waiting caller, as a QNX resource manager holds rcvids; the event that opens the gate is
 * a bit of the server's bound notification, and answers them all. A caller that gives up meanwhile
 * (timeout, kill) is dropped from the waiting list when CALLER_CANCELLED tells the server its token.
 */
public final class GateService implements GateServer {
    /** The notification bit that opens the gate. */
    public static final long OPEN = 1;
    /** The notification bit that stops the server. */
    public static final long STOP = 2;

    private final long[] tokens;
    private int waiting;
    private long openings;
    private int cancelled;

    /** A gate holding at most {@code capacity} callers (its Space's reply pool must be as large). */
    public GateService(int capacity) {
        tokens = new long[capacity];
    }

    /** The server loop for this gate on {@code endpoint}, opened by its notification in {@code notification}. */
    public Server server(int endpoint, int notification) {
        return Server.builder(endpoint, new GateDispatcher(this))
                .notification(notification)
                .onNotification(OPEN, (server, sys, bits) -> open(sys))
                .onNotification(STOP, (server, sys, bits) -> server.stop())
                .onCallerCancelled((server, sys, badge, token) -> forget(token))
                .build();
    }

    @Override
    public long pass(Caller caller) throws IpcException {
        if (waiting == tokens.length) {
            throw IpcException.of(Gate.Error.TOO_MANY_WAITING);
        }
        tokens[waiting++] = caller.defer();
        return 0; // not sent: the call is deferred
    }

    @Override
    public int waiting(Caller caller) {
        return waiting;
    }

    /** Callers that gave up while waiting. */
    public int cancelled() {
        return cancelled;
    }

    private void open(Syscalls sys) {
        openings++;
        for (int i = 0; i < waiting; i++) {
            Status unused = GateDispatcher.replyPass(sys, tokens[i], openings); // a caller gone: dropped, OK
        }
        waiting = 0;
    }

    private void forget(long token) {
        for (int i = 0; i < waiting; i++) {
            if (tokens[i] == token) {
                tokens[i] = tokens[--waiting];
                cancelled++;
                return;
            }
        }
    }
}
