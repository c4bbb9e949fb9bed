package io.capipc.kernel.object;

import org.jspecify.annotations.Nullable;

import io.capipc.kernel.object.CallerBuffers;

/**
 * A caller context: the one-shot right to answer one Call (docs/semantics.md §1, "Reply"; seL4's reply
 * object, QNX's rcvid).
 *
 * <p>Each task owns exactly one, created with it, because a task has at most one Call outstanding:
 * while it waits for a reply it runs no code. The context keeps what the Call carried that the server
 * may still ask for: the badge and label the caller sent (CallerInfo), its buffers (Read, Write), and
 * the endpoint it was received through (where a CALLER_CANCELLED notice goes).
 *
 * <p>States: <em>idle</em> (the caller is not in a Call, or its Call is still queued); <em>current</em>
 * ({@code holder} is the server task whose current context this is); <em>suspended</em> (held by a
 * reply-pool entry of a Space, named by a handle). Invariant: current or suspended exactly when the
 * caller is BLOCKED_ON_REPLY, and then the holder or the entry points back here. Each new Call advances
 * the generation, so the context of an earlier Call can be told apart.
 */
public final class CallerContext extends CallerContextPad {
    private @Nullable Task holder;
    private @Nullable ReplyPoolEntry suspendedIn;
    private @Nullable Endpoint receivedOn;
    private long generation;
    private long badge;
    private int label;
    private boolean grant;

    CallerContext(Task caller) {
        super(caller);
    }

    /** The task waiting for this reply. */
    public Task caller() {
        return caller;
    }

    /*
     * Whether a server holds this context as its current one is a flag beside the caller's state,
     * which the server's reply writes anyway; the holder itself is written only when it changes
     * (docs/benchmarks.md, "The line budget").
     */
    private boolean current() {
        return caller.stateLine[TaskIdentity.CONTEXT_HELD] != 0;
    }

    private void current(boolean current) {
        caller.stateLine[TaskIdentity.CONTEXT_HELD] = (byte) (current ? 1 : 0);
    }

    /** The task holding this context as its current one, or null. */
    public @Nullable Task holder() {
        return current() ? holder : null;
    }

    /** The reply-pool entry holding this context suspended, or null. */
    public @Nullable ReplyPoolEntry suspendedIn() {
        return suspendedIn;
    }

    /** True if a server holds this context, current or suspended. */
    public boolean isHeld() {
        return current() || suspendedIn != null;
    }

    /** The endpoint the holder received the Call through (after Forwards, the last one). */
    public @Nullable Endpoint receivedOn() {
        return receivedOn;
    }

    /** Advances with every Call the caller makes. */
    public long generation() {
        return generation;
    }

    /** The badge of the capability the caller invoked. */
    public long badge() {
        return badge;
    }

    /** The label of the caller's message. */
    public int label() {
        return label;
    }

    /** True if the holder received the Call through a capability with GRANT: it may reply with capabilities. */
    public boolean grant() {
        return grant;
    }

    /** The caller's attached buffers; empty for a Call without them. */
    public CallerBuffers buffers() {
        return buffers;
    }

    /** Kernel: a new Call begins with this badge and label; its buffers are already attached. */
    public void begin(long badge, int label) {
        generation++;
        this.badge = badge;
        this.label = label;
    }

    /** Kernel: {@code server} takes the Call through {@code through}; the context becomes its current one. */
    public void attach(Task server, Endpoint through) {
        if (isHeld()) {
            throw new AssertionError("context of " + caller + " attached twice");
        }
        // The server's flag under -ea only: it is written here without being fetched first (the
        // invariants check that a task holds at most one context).
        assert server.heldContext() == null : "context attached to " + server + ", which holds one";
        holdBy(server);
        if (receivedOn != through) {
            receivedOn = through;
        }
        boolean g = server.receiveGrant();
        if (grant != g) {
            grant = g;
        }
    }

    /** Kernel: Suspend moves the current context into {@code entry}. */
    public void suspend(ReplyPoolEntry entry) {
        if (!current()) {
            throw new AssertionError("suspend of a context of " + caller + " that is not current");
        }
        holder.releaseHeld();
        current(false);
        suspendedIn = entry;
        entry.hold(this);
    }

    /** Kernel: Resume makes the suspended context {@code server}'s current one. */
    public void resume(Task server) {
        if (suspendedIn == null || server.heldContext() != null) {
            throw new AssertionError("resume of a context of " + caller + " into " + server);
        }
        suspendedIn.hold(null);
        suspendedIn = null;
        holdBy(server);
    }

    /** Kernel: the holder forwarded the Call; the context leaves it, the caller's buffers stay attached. */
    public void forwarded() {
        release();
    }

    /**
     * Kernel: the caller gave up or died; a task holding it keeps the mark that it was cancelled, an
     * entry holding it answers CANCELLED until its handle is consumed.
     */
    public void cancel() {
        if (current()) {
            holder.holdsCancelled(true);
        }
        detach();
    }

    /**
     * Kernel: {@code server}, whose current context this is, answered it; as {@link #detach}, but
     * without reading the holder, so the server's reply reads no line of the caller's context that
     * the caller's Call wrote.
     */
    public void answeredBy(Task server) {
        assert current() && holder == server : "context of " + caller + " answered by " + server + ", not its holder";
        server.releaseHeld();
        current(false);
        buffers.clear();
    }

    /** Kernel: the context is consumed or dropped; nobody holds it any more. */
    public void detach() {
        release();
        buffers.clear();
    }

    /** {@code server} holds this context as its current one. */
    private void holdBy(Task server) {
        if (holder != server) {
            holder = server;
        }
        current(true);
        server.hold(this);
    }

    private void release() {
        if (current()) {
            holder.releaseHeld();
            current(false);
        } else if (suspendedIn != null) {
            suspendedIn.hold(null);
            suspendedIn = null;
        } else {
            throw new AssertionError("release of a context of " + caller + " nobody holds");
        }
    }
}
