package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Rights;
import io.capipc.api.TaskState;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.QueueState;
import java.util.List;

/**
 * A small system for the deterministic tests: one endpoint; a server whose slot {@link #EP} holds it
 * with READ; three clients, each in its own space, whose slot {@link #EP} holds it with WRITE and a
 * badge of its own. Every task is started. Slots other than {@link #EP} are empty.
 */
final class Fixture {
    /** The endpoint's slot in every space of the fixture. */
    static final int EP = 0;
    /** Slots per space. */
    static final int SLOTS = 8;
    static final long BADGE_A = 0xA1;
    static final long BADGE_B = 0xB2;
    static final long BADGE_C = 0xC3;
    /** A value a register is preset to, so that a copy past {@code length} shows. */
    static final long UNTOUCHED = 0xDEAD_BEEF_0000_0001L;

    final Kernel kernel = new Kernel();
    final DeterministicDriver driver = new DeterministicDriver(kernel);
    final ObjectHandle endpoint = kernel.createEndpoint();
    final SpaceHandle serverSpace;
    final TaskHandle server;
    final TaskHandle clientA;
    final TaskHandle clientB;
    final TaskHandle clientC;

    Fixture() {
        this(0);
    }

    /** The fixture with a reply pool of {@code replyPool} entries in the server's space. */
    Fixture(int replyPool) {
        serverSpace = kernel.createSpace("server", SLOTS, replyPool);
        kernel.install(serverSpace, EP, endpoint, Rights.READ, 0);
        server = started(kernel.createTask(serverSpace, "server"));
        clientA = client("clientA", BADGE_A);
        clientB = client("clientB", BADGE_B);
        clientC = client("clientC", BADGE_C);
    }

    /** A started task in a new space whose slot EP holds the endpoint with WRITE and {@code badge}. */
    TaskHandle client(String name, long badge) {
        return task(name, endpoint, Rights.WRITE, badge);
    }

    /** A started task in a new space whose slot EP holds {@code object} with {@code rights}, {@code badge}. */
    TaskHandle task(String name, ObjectHandle object, int rights, long badge) {
        SpaceHandle space = kernel.createSpace(name, SLOTS);
        kernel.install(space, EP, object, rights, badge);
        return started(kernel.createTask(space, name));
    }

    /** Another started task sharing the server's space. */
    TaskHandle serverThread(String name) {
        return started(kernel.createTask(serverSpace, name));
    }

    TaskHandle started(TaskHandle t) {
        driver.start(t);
        return t;
    }

    /** {@code t}'s IPC buffer. */
    IpcBuffer ipc(TaskHandle t) {
        return driver.ipc(t);
    }

    KernelView view() {
        return kernel.inspect();
    }

    KernelView.TaskView view(TaskHandle t) {
        return kernel.inspect().task(t.id());
    }

    TaskState state(TaskHandle t) {
        return view(t).state();
    }

    /** The ids of the tasks queued on the fixture's endpoint, oldest first. */
    List<Integer> queued() {
        return kernel.inspect().endpoint(endpoint.id()).queued();
    }

    QueueState queueKind() {
        return kernel.inspect().endpoint(endpoint.id()).queue();
    }

    /** Fails the test if any kernel invariant is broken. */
    void assertConsistent() {
        assertEquals(List.of(), kernel.invariantViolations(), "kernel invariants");
    }

    /** Sets message registers 0.. of {@code t} to {@code values}. */
    void setMrs(TaskHandle t, long... values) {
        for (int i = 0; i < values.length; i++) {
            ipc(t).setMr(i, values[i]);
        }
    }

    /** Sets every message register of {@code t} to {@link #UNTOUCHED}. */
    void presetMrs(TaskHandle t) {
        for (int i = 0; i < 64; i++) {
            ipc(t).setMr(i, UNTOUCHED);
        }
    }

    /** Message registers 0..n-1 of {@code t}. */
    long[] mrs(TaskHandle t, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = ipc(t).mr(i);
        }
        return out;
    }
}
