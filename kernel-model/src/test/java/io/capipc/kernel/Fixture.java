package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capipc.api.Rights;
import io.capipc.cap.KernelObject;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;
import io.capipc.kernel.run.DeterministicDriver;
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
    final Endpoint endpoint = kernel.createEndpoint();
    final Space serverSpace;
    final Task server;
    final Task clientA;
    final Task clientB;
    final Task clientC;

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
    Task client(String name, long badge) {
        return task(name, endpoint, Rights.WRITE, badge);
    }

    /** A started task in a new space whose slot EP holds {@code object} with {@code rights}, {@code badge}. */
    Task task(String name, KernelObject object, int rights, long badge) {
        Space space = kernel.createSpace(name, SLOTS);
        kernel.install(space, EP, object, rights, badge);
        return started(kernel.createTask(space, name));
    }

    /** Another started task sharing the server's space. */
    Task serverThread(String name) {
        return started(kernel.createTask(serverSpace, name));
    }

    Task started(Task t) {
        driver.start(t);
        return t;
    }

    KernelView view() {
        return kernel.inspect();
    }

    KernelView.TaskView view(Task t) {
        return kernel.inspect().task(t.id());
    }

    TaskState state(Task t) {
        return view(t).state();
    }

    /** The ids of the tasks queued on the fixture's endpoint, oldest first. */
    List<Integer> queued() {
        return kernel.inspect().endpoint(endpoint.id()).queued();
    }

    Endpoint.Queue queueKind() {
        return kernel.inspect().endpoint(endpoint.id()).queue();
    }

    /** Fails the test if any kernel invariant is broken. */
    void assertConsistent() {
        assertEquals(List.of(), kernel.invariantViolations(), "kernel invariants");
    }

    /** Sets message registers 0.. of {@code t} to {@code values}. */
    static void setMrs(Task t, long... values) {
        for (int i = 0; i < values.length; i++) {
            t.ipc().setMr(i, values[i]);
        }
    }

    /** Sets every message register of {@code t} to {@link #UNTOUCHED}. */
    static void presetMrs(Task t) {
        for (int i = 0; i < 64; i++) {
            t.ipc().setMr(i, UNTOUCHED);
        }
    }

    /** Message registers 0..n-1 of {@code t}. */
    static long[] mrs(Task t, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = t.ipc().mr(i);
        }
        return out;
    }
}
