package io.capipc.props.ports;

import io.capipc.api.Rights;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.props.harness.TracerView;

/**
 * The kernel side of an async-port run: one Space of {@link #SLOTS} slots shared by every task
 * (servers 0 and 1, clients 2 and 3, the synchronous sender 4), so capabilities derive from each other
 * with plain Copy and Mint. At boot: slot 0 holds the endpoint (all rights, unbadged), slot 3 and
 * slot 7 the two reply endpoints; then server 0 mints slot 1 (the clients' capability to the
 * endpoint: all rights, badge {@link #CLIENT_BADGE}) and slot 2 (the synchronous sender's: WRITE,
 * badge {@link #SYNC_BADGE}) from slot 0. A port bound into slot 5 answers on slot 3's reply
 * endpoint, one in slot 6 on slot 7's, so each reply endpoint serves at most one live port and an
 * answer names its port. Slot 4 is for a copy of slot 1.
 */
final class PortWorld {
    static final int SLOTS = 8;
    static final int TASKS = 5;
    static final int[] SERVERS = {0, 1};
    static final int[] CLIENTS = {2, 3};
    static final int SENDER = 4;
    static final int ENDPOINT = 0;
    static final int CLIENT_EP = 1;
    static final int SYNC = 2;
    static final int SPARE_EP = 4;
    static final int[] PORT_SLOTS = {5, 6};
    static final int[] REPLY_SLOTS = {3, 7};
    static final long CLIENT_BADGE = 7;
    static final long SYNC_BADGE = 9;

    /** The reply endpoint a port bound into {@code portSlot} answers on. */
    static int replySlotOf(int portSlot) {
        return portSlot == PORT_SLOTS[0] ? REPLY_SLOTS[0] : REPLY_SLOTS[1];
    }

    final Kernel kernel;
    final DeterministicDriver d;
    /** Checks what a tracer is shown of each IPC buffer (PortInfo's loss count among it). */
    final TracerView tracer;
    final SpaceHandle space;
    final TaskHandle[] tasks = new TaskHandle[TASKS];
    /** The endpoint, then the reply endpoints of slots 3 and 7 (the model's objects 0, 1, 2). */
    final ObjectHandle[] endpoints = new ObjectHandle[3];

    PortWorld(InjectedBugs bugs) {
        kernel = bugs == InjectedBugs.NONE ? new Kernel() : InjectedBugs.with(bugs, Kernel::new);
        d = new DeterministicDriver(kernel);
        tracer = TracerView.watch(kernel, d);
        space = kernel.createSpace("s", SLOTS);
        for (int e = 0; e < endpoints.length; e++) {
            endpoints[e] = kernel.createEndpoint();
        }
        kernel.install(space, ENDPOINT, endpoints[0], Rights.ALL, 0);
        kernel.install(space, REPLY_SLOTS[0], endpoints[1], Rights.ALL, 0);
        kernel.install(space, REPLY_SLOTS[1], endpoints[2], Rights.ALL, 0);
        for (int t = 0; t < TASKS; t++) {
            tasks[t] = kernel.createTask(space, "t" + t);
            d.start(tasks[t]);
        }
        expectOk(d.mint(tasks[0], ENDPOINT, CLIENT_EP, Rights.ALL, CLIENT_BADGE));
        expectOk(d.mint(tasks[0], ENDPOINT, SYNC, Rights.WRITE, SYNC_BADGE));
    }

    private static void expectOk(Outcome o) {
        if (o != Outcome.OK) {
            throw new IllegalStateException("set-up refused: " + o);
        }
    }

    static boolean isServer(int t) {
        return t == SERVERS[0] || t == SERVERS[1];
    }
}
