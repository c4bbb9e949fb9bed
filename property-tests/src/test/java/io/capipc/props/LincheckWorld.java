package io.capipc.props;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;

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
 * <p>The syscalls go through the kernel's dispatch by way of a {@link DeterministicDriver}: each is
 * one transition under the kernel's lock, whichever thread makes it, and a blocking one leaves its
 * task blocked without parking the thread that made it, so the three blocked tasks cost no thread.
 * (The threaded runtime's syscalls may be made only from their task's own thread, and Lincheck
 * chooses the threads.)
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
    final DeterministicDriver driver = new DeterministicDriver(kernel);
    /** Makes a syscall and the reading of its result one observation (see Guarantee13Linearizability). */
    final Object lock = new Object();
    final ObjectHandle inbox = kernel.createEndpoint();
    final ObjectHandle work = kernel.createEndpoint();
    final TaskHandle[] actors = new TaskHandle[ACTORS];
    final TaskHandle server;
    final TaskHandle caller;
    final TaskHandle sender;

    LincheckWorld() {
        for (int i = 0; i < ACTORS; i++) {
            SpaceHandle space = kernel.createSpace("actor" + i, SLOTS);
            kernel.install(space, INBOX, inbox, Rights.READ | Rights.WRITE, actorBadge(i));
            kernel.install(space, WORK, work, Rights.READ | Rights.WRITE, 0);
            actors[i] = kernel.createTask(space, "actor" + i);
            driver.start(actors[i]);
        }
        server = started("server", inbox, Rights.READ, 0);
        caller = started("caller", work, Rights.WRITE, CALLER_BADGE);
        sender = started("sender", work, Rights.WRITE, SENDER_BADGE);
        blocked(driver.recv(server, 0), server);
        driver.ipc(caller).setMr(0, CALL_MR0);
        blocked(driver.call(caller, 0, MessageInfo.of(CALL_LABEL, 1)), caller);
        driver.ipc(sender).setMr(0, SEND_MR0);
        blocked(driver.send(sender, 0, MessageInfo.of(SEND_LABEL, 1)), sender);
    }

    /** Actor {@code i}'s IPC buffer. */
    IpcBuffer ipc(int i) {
        return driver.ipc(actors[i]);
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
    String received(TaskHandle t) {
        IpcBuffer ipc = driver.ipc(t);
        long info = ipc.info();
        return MessageInfo.kind(info) + " b=" + Long.toHexString(ipc.badge()) + " l=" + MessageInfo.label(info)
                + " mr0=" + ipc.mr(0);
    }

    /** {@code status}, followed by what arrived when it is OK. */
    String statusAndReceived(Outcome outcome, TaskHandle t) {
        return outcome == Outcome.OK ? "OK " + received(t) : outcome.name();
    }

    /** The blocked tasks' states and what reached them, and both queues: the effects actors cannot see directly. */
    String observe() {
        KernelView v = kernel.inspect();
        return "server=" + state(v, server) + (driver.isBlocked(server) ? "" : " " + received(server))
                + " | caller=" + state(v, caller) + (driver.isBlocked(caller) ? "" : " " + driver.ipc(caller).status()
                        + " " + received(caller))
                + " | sender=" + state(v, sender) + (driver.isBlocked(sender) ? "" : " " + driver.ipc(sender).status())
                + " | inbox=" + v.endpoint(inbox.id()).queue() + " work=" + v.endpoint(work.id()).queue();
    }

    private static String state(KernelView v, TaskHandle t) {
        return v.task(t.id()).state().name();
    }

    private TaskHandle started(String name, ObjectHandle ep, int rights, long badge) {
        SpaceHandle space = kernel.createSpace(name, SLOTS);
        kernel.install(space, 0, ep, rights, badge);
        TaskHandle t = kernel.createTask(space, name);
        driver.start(t);
        return t;
    }

    private void blocked(Outcome result, TaskHandle t) {
        if (result != Outcome.BLOCKED || !driver.isBlocked(t)) {
            throw new IllegalStateException(t + " should be blocked, but returned " + result + " in " + driver.state(t));
        }
    }
}
