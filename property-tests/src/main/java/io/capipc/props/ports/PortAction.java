package io.capipc.props.ports;

/**
 * One step of an async-port run (docs/semantics.md §5.5). Every action names the task that makes it
 * (see {@link PortWorld} for who is who and what each slot holds); an action whose task the model
 * does not have RUNNING is skipped on both sides. {@code mr} seeds the registers: register i holds
 * {@code mr * 100 + i}, and every generated send has its own {@code mr}, so a delivered message names
 * the send it came from.
 */
public sealed interface PortAction {
    int task();

    /** Bind(endpoint {@code ep}, reply endpoint {@code reply}, capacity, dst); the reply endpoint is dst's unless a refusal is made. */
    record Bind(int task, int ep, int reply, int capacity, int dst) implements PortAction {
        Bind(int task, int ep, int capacity, int dst) {
            this(task, ep, PortWorld.replySlotOf(dst), capacity, dst);
        }
    }

    /**
     * AsyncSend; {@code cap} is a slot whose capability goes with the message ({@code move}d or copied),
     * or -1; {@code cap2} a second one, always copied, or -1 (only with a first); a negative
     * {@code label} makes an info word the kernel must refuse.
     */
    record AsyncSend(int task, int port, int label, int len, long mr, int cap, boolean move, int cap2) implements PortAction {
        AsyncSend(int task, int port, int label, int len, long mr, int cap, boolean move) {
            this(task, port, label, len, mr, cap, move, -1);
        }

        AsyncSend(int task, int port, int label, int len, long mr) {
            this(task, port, label, len, mr, -1, false);
        }
    }

    /** AsyncCall; {@code cap}, {@code move} and {@code cap2} as for {@link AsyncSend}. */
    record AsyncCall(int task, int port, int label, int len, long mr, int cap, boolean move, int cap2) implements PortAction {
        AsyncCall(int task, int port, int label, int len, long mr, int cap, boolean move) {
            this(task, port, label, len, mr, cap, move, -1);
        }

        AsyncCall(int task, int port, int label, int len, long mr) {
            this(task, port, label, len, mr, -1, false);
        }
    }

    /** A synchronous Call through the port: the barrier. */
    record PortCall(int task, int port, int label, int len, long mr) implements PortAction {}

    /**
     * A synchronous Send ({@code blocking}) or NBSend through {@code slot}: the other sender's through
     * slot {@link PortWorld#SYNC} (badge 9), or, non-blocking, to a reply endpoint, which frees a
     * client that waits there for an answer that will not come.
     */
    record Send(int task, int slot, int label, int len, long mr, boolean blocking) implements PortAction {}

    /** Recv ({@code blocking}) or NBRecv through {@code slot}: a server on the endpoint, a client on a reply endpoint. */
    record Recv(int task, int slot, boolean blocking) implements PortAction {}

    record Reply(int task, int label, int len, long mr) implements PortAction {}

    record Exit(int task) implements PortAction {}

    record PortInfo(int task, int port) implements PortAction {}

    /** CallerInfo of the context the task holds: a server's, of an AsyncCall's carrier or of a Call through the port. */
    record CallerInfo(int task) implements PortAction {}

    record Copy(int task, int src, int dst) implements PortAction {}

    /** Mint from the endpoint's root: how a server gives the clients (or the sender) a capability again after a Revoke. */
    record Mint(int task, int src, int dst, int rights, long badge) implements PortAction {}

    record Delete(int task, int slot) implements PortAction {}

    record Revoke(int task, int slot) implements PortAction {}

    record CancelBadgedSends(int task, int slot) implements PortAction {}

    /** A line of a shrunk trace. */
    static String show(PortAction a) {
        return "t" + a.task() + ": " + a;
    }
}
