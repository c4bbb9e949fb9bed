package io.capipc.props;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ipc.CallerBuffers;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Registers;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.run.ThreadedRuntime;

/**
 * The small system the Lincheck checks of guarantee 13 run on; Lincheck builds a fresh one for every
 * scenario, through the test class's constructor.
 *
 * <p>Two endpoints. {@code inbox} has a server blocked in Recv, so one NBSend to it can succeed.
 * {@code work} has two blocked senders queued, oldest first: a caller in Call (badge
 * {@link #CALLER_BADGE}, label {@link #CALL_LABEL}, MR0 {@link #CALL_MR0}) and a sender in Send
 * (badge {@link #SENDER_BADGE}, label {@link #SEND_LABEL}, MR0 {@link #SEND_MR0}), so two NBRecvs
 * can succeed and the first gives its taker a caller context to Reply to or ask CallerInfo about.
 *
 * <p>{@link #ACTORS} actor tasks, each in its own Space of {@link #SLOTS} slots: {@link #INBOX} holds
 * {@code inbox} with READ|WRITE and badge {@code 0xA0 + i}; {@link #WORK} holds {@code work} with
 * READ|WRITE, unbadged (so Mint can badge it); {@link #COPY_DST} and {@link #MINT_DST} are empty.
 * Actors never block: they make only non-blocking syscalls.
 *
 * <p>Every task is started through a {@link ThreadedRuntime} ({@code adopt}), so the actors' syscalls
 * go through the threaded runtime's own {@link Syscalls} objects. The non-blocking syscalls there are
 * the kernel's transition and nothing else, so a Lincheck thread other than the adopting one may make
 * them. The three blocked tasks are blocked through the kernel directly: the runtime's blocking
 * syscalls would park the constructing thread. Waking them only raises their parker's flag (none of
 * them ever parked), so no thread is unparked.
 */
final class LincheckWorld {
    static final int ACTORS = 3;
    static final int SLOTS = 4;
    static final int INBOX = 0;
    static final int WORK = 1;
    static final int COPY_DST = 2;
    static final int MINT_DST = 3;
    static final long CALLER_BADGE = 0xC0;
    static final long SENDER_BADGE = 0x5E;
    static final int CALL_LABEL = 7;
    static final int SEND_LABEL = 8;
    static final long CALL_MR0 = 4242;
    static final long SEND_MR0 = 777;

    final Kernel kernel = new Kernel();
    final ThreadedRuntime runtime = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
    final Endpoint inbox = kernel.createEndpoint();
    final Endpoint work = kernel.createEndpoint();
    final Task[] actors = new Task[ACTORS];
    final Syscalls[] syscalls = new Syscalls[ACTORS];
    final Task server;
    final Task caller;
    final Task sender;

    LincheckWorld() {
        for (int i = 0; i < ACTORS; i++) {
            Space space = kernel.createSpace("actor" + i, SLOTS);
            kernel.install(space, INBOX, inbox, Rights.READ | Rights.WRITE, actorBadge(i));
            kernel.install(space, WORK, work, Rights.READ | Rights.WRITE, 0);
            actors[i] = kernel.createTask(space, "actor" + i);
            syscalls[i] = runtime.adopt(actors[i]);
        }
        server = adopted("server", inbox, Rights.READ, 0);
        caller = adopted("caller", work, Rights.WRITE, CALLER_BADGE);
        sender = adopted("sender", work, Rights.WRITE, SENDER_BADGE);
        blocked(kernel.recv(server, 0), server);
        caller.ipc().setMr(0, CALL_MR0);
        blocked(kernel.call(caller, 0, MessageInfo.of(CALL_LABEL, 1), CallerBuffers.NONE, CallerBuffers.NONE), caller);
        sender.ipc().setMr(0, SEND_MR0);
        blocked(kernel.send(sender, 0, MessageInfo.of(SEND_LABEL, 1)), sender);
    }

    /** The badge of actor {@code i}'s inbox capability. */
    static long actorBadge(int i) {
        return 0xA0 + i;
    }

    /** The badge actor {@code i} asks Mint for. */
    static long mintBadge(int i) {
        return 0xD0 + i;
    }

    /** What arrived in {@code t}'s IPC buffer: kind, badge, label and MR0, e.g. {@code CALL b=c0 l=7 mr0=4242}. */
    static String received(Task t) {
        Registers ipc = t.ipc();
        long info = ipc.info();
        return MessageInfo.kind(info) + " b=" + Long.toHexString(ipc.badge()) + " l=" + MessageInfo.label(info)
                + " mr0=" + ipc.mr(0);
    }

    /** {@code status}, followed by what arrived when it is OK. */
    static String statusAndReceived(Status status, Task t) {
        return status == Status.OK ? "OK " + received(t) : status.name();
    }

    /** The blocked tasks' states and what reached them, and both queues: the effects actors cannot see directly. */
    String observe() {
        return "server=" + server.state() + (server.state().isBlocked() ? "" : " " + received(server))
                + " | caller=" + caller.state() + (caller.state().isBlocked() ? "" : " " + caller.ipc().status()
                        + " " + received(caller))
                + " | sender=" + sender.state() + (sender.state().isBlocked() ? "" : " " + sender.ipc().status())
                + " | inbox=" + inbox.queue() + " work=" + work.queue();
    }

    private Task adopted(String name, Endpoint ep, int rights, long badge) {
        Space space = kernel.createSpace(name, SLOTS);
        kernel.install(space, 0, ep, rights, badge);
        Task t = kernel.createTask(space, name);
        runtime.adopt(t);
        return t;
    }

    private static void blocked(Status result, Task t) {
        if (result != null || !t.state().isBlocked()) {
            throw new IllegalStateException(t + " should be blocked, but returned " + result + " in " + t.state());
        }
    }
}
