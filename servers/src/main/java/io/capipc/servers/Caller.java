package io.capipc.servers;

import io.capipc.api.Handles;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import org.jspecify.annotations.Nullable;

/**
 * The message a server's method is handling: who sent it (the badge, which the kernel makes
 * unforgeable), its session, and the means to defer the answer or stop the server. One per
 * {@link Server}, reset for every message: a method must not keep it past its return.
 */
public final class Caller {
    private final Server server;
    private @Nullable Syscalls sys;
    private long badge;
    private int label;
    private boolean call;
    private long token;
    private @Nullable Object session;

    Caller(Server server) {
        this.server = server;
    }

    void begin(Syscalls sys, long badge, int label, boolean call, @Nullable Object session) {
        this.sys = sys;
        this.badge = badge;
        this.label = label;
        this.call = call;
        this.token = 0;
        this.session = session;
    }

    /** The badge of the capability the caller used (0: unbadged). */
    public long badge() {
        return badge;
    }

    /** The operation number. */
    public int operation() {
        return label;
    }

    /** True for a Call (there is someone to answer), false for a one-way Send. */
    public boolean isCall() {
        return call;
    }

    /**
     * This badge's session, made by the {@link Server.Builder#sessions session factory} on its first
     * message and closed when its BADGE_DISCONNECTED arrives.
     *
     * @throws IllegalStateException if the server has no sessions
     * @throws ClassCastException if the session is not a {@code type}
     */
    public <S> S session(Class<S> type) {
        Object s = session;
        if (s == null) {
            throw new IllegalStateException("this server keeps no sessions: give Server.Builder.sessions a factory");
        }
        return type.cast(s);
    }

    /**
     * Defers the answer (QNX-style): the call's context moves into a reply capability of the
     * server's Space, named by the returned single-use token, so the server can go on receiving and
     * answer later with the dispatcher's {@code reply...} methods or {@link Deferred}. The method's
     * return value is then ignored. If the caller gives up first, the server's
     * {@link Server.Builder#onCallerCancelled} handler is told the token, and the library frees it.
     *
     * @throws IpcException {@link ProtocolError#SERVER_BUSY} (answered to the caller) when the Space's
     *     reply pool or slots are exhausted
     * @throws IllegalStateException for a one-way message, which nobody waits for
     */
    public long defer() throws IpcException {
        Syscalls s = sys;
        if (!call || s == null) {
            throw new IllegalStateException("only a Call can be deferred; a one-way message has nobody to answer");
        }
        if (token != 0) {
            return token;
        }
        Status st = s.suspend();
        if (st != Status.OK) {
            throw IpcException.of(ProtocolError.SERVER_BUSY);
        }
        token = s.ipc().handle();
        return token;
    }

    /** True if {@link #defer} moved this call aside. */
    public boolean isDeferred() {
        return token != 0;
    }

    /** The slot of a deferred call's reply capability (for logs), or -1. */
    public int deferredSlot() {
        return token == 0 ? -1 : Handles.slot(token);
    }

    /**
     * The slot where the {@code index}-th capability of this message landed (the server's receive
     * slot); generated dispatchers give it to a {@link Cap} parameter.
     */
    public int receivedSlot(int index) {
        return server.receiveSlot(index);
    }

    /** Asks the server to stop after this message (see {@link Server#stop}). */
    public void stopServer() {
        server.stop();
    }

    /** The server handling this message. */
    public Server server() {
        return server;
    }
}
