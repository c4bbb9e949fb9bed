package io.capipc.kernel.object;

import io.capipc.kernel.ipc.CallerBuffers;

/**
 * A caller context: the one-shot right to answer one Call (SPEC section 1, "Reply"; seL4's reply
 * object, QNX's rcvid).
 *
 * <p>Each task owns exactly one, created with it, because a task has at most one Call outstanding:
 * while it waits for a reply it runs no code. The context keeps what the Call carried that the server
 * may still ask for: the badge and label the caller sent (CallerInfo) and its buffers (Read, Write).
 *
 * <p>States: <em>idle</em> (the caller is not in a Call, or its Call is still queued: no holder) and
 * <em>held</em> ({@code holder} is the server whose current context this is). Invariant: held exactly
 * when the caller is BLOCKED_ON_REPLY, and then {@code holder.current() == this}. Each new Call
 * advances the generation, so a handle to an earlier Call can be told apart (for Suspend, later).
 */
public final class Reply {
    private final Task caller;
    private final CallerBuffers buffers = new CallerBuffers();
    private Task holder;
    private long generation;
    private long badge;
    private int label;
    private boolean grant;

    Reply(Task caller) {
        this.caller = caller;
    }

    /** The task waiting for this reply. */
    public Task caller() {
        return caller;
    }

    /** The task holding this context as its current one, or null. */
    public Task holder() {
        return holder;
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

    /** Kernel: {@code server} takes the Call; the context becomes its current one. */
    public void attach(Task server) {
        if (holder != null || server.current != null) {
            throw new AssertionError("context of " + caller + " attached twice");
        }
        holder = server;
        grant = server.receiveGrant();
        server.current = this;
    }

    /** Kernel: the holder forwarded the Call; the context leaves it, the caller's buffers stay attached. */
    public void forwarded() {
        holder.current = null;
        holder = null;
    }

    /** Kernel: the caller gave up; the holder keeps only the mark that it was cancelled. */
    public void cancel() {
        holder.holdsCancelled(true);
        detach();
    }

    /** Kernel: the context is consumed or dropped; the holder no longer has a current context. */
    public void detach() {
        holder.current = null;
        holder = null;
        buffers.clear();
    }
}
