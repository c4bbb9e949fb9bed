package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 13 for the fast paths (issue 23): a Call or ReplyWait that holds only
 * its endpoint's lock is still one atomic transition, against other fast paths on the endpoint and
 * against transitions under the kernel-wide lock (here the kernel's view, which reads every task and
 * queue in one section).
 *
 * <p>The world: an endpoint, made hot by one round trip, with a server blocked in Recv on it, and two
 * clients. {@link Scenario#call1}, {@link Scenario#call2} and {@link Scenario#serve} act as one task each and are never run
 * in parallel with themselves (a task is one thread); a task that is blocked answers BUSY. Lincheck,
 * in model-checking mode, explores their interleavings with each other and with {@link Scenario#observe}
 * at every shared-memory access, and requires every outcome to equal some sequential order's.
 * {@link #fastPathIgnoringTheLock_isCaught} shows the check fails when a fast path ignores the
 * kernel-wide lock's flag (injected bug FAST_PATH_IGNORES_LOCK).
 */
class Guarantee13FastPaths {
    /** The world and its operations; Lincheck makes one per scenario. */
    public static class Scenario {
        /** True while the injected-bug test runs: the scenarios' kernels have FAST_PATH_IGNORES_LOCK. */
        static volatile boolean buggy;

        private final Kernel kernel;
        private final DeterministicDriver driver;
        private final ObjectHandle ep;
        private final TaskHandle server;
        private final TaskHandle client1;
        private final TaskHandle client2;

        public Scenario() {
            this.kernel = buggy ? InjectedBugs.with(InjectedBugs.of(InjectedBug.FAST_PATH_IGNORES_LOCK), Kernel::new) : new Kernel();
            this.driver = new DeterministicDriver(kernel);
            this.ep = kernel.createEndpoint();
            this.server = task("server", Rights.READ, 0);
            this.client1 = task("client1", Rights.WRITE, 0xC1);
            this.client2 = task("client2", Rights.WRITE, 0xC2);
            // One round trip: the Call, under the kernel-wide lock, makes the endpoint hot.
            expect(Outcome.BLOCKED, driver.recv(server, 0));
            expect(Outcome.BLOCKED, driver.call(client1, 0, MessageInfo.of(9, 0)));
            expect(Outcome.BLOCKED, driver.replyWait(server, 0, MessageInfo.of(9, 0)));
        }

        private TaskHandle task(String name, int rights, long badge) {
            SpaceHandle space = kernel.createSpace(name, 2);
            kernel.install(space, 0, ep, rights, badge);
            TaskHandle t = kernel.createTask(space, name);
            driver.start(t);
            return t;
        }

        private static void expect(Outcome want, Outcome got) {
            if (got != want) {
                throw new IllegalStateException("setup: expected " + want + ", got " + got);
            }
        }

        // ---- Operations.

        /** Client 1 calls with label 1 and MR0 = 11: BLOCKED (the server takes it or it queues), or BUSY. */
        @Operation(nonParallelGroup = "client1")
        public String call1() {
            return call(client1, 1);
        }

        /** Client 2 calls with label 2 and MR0 = 22. */
        @Operation(nonParallelGroup = "client2")
        public String call2() {
            return call(client2, 2);
        }

        private String call(TaskHandle c, int label) {
            if (driver.isBlocked(c)) {
                return "BUSY";
            }
            driver.ipc(c).setMr(0, 11L * label);
            return driver.call(c, 0, MessageInfo.of(label, 1)).name();
        }

        /** The server replies (label 5, MR0 = 50) and waits: BLOCKED, or OK and the Call it took; BUSY while blocked. */
        @Operation(nonParallelGroup = "server")
        public String serve() {
            if (driver.isBlocked(server)) {
                return "BUSY";
            }
            driver.ipc(server).setMr(0, 50);
            Outcome s = driver.replyWait(server, 0, MessageInfo.of(5, 1));
            return s == Outcome.OK ? "OK " + received(server) : s.name();
        }

        /** Every task's state and what it received, and the queue, read in one kernel-wide section. */
        @Operation
        public String observe() {
            KernelView v = kernel.inspect();
            return v.task(server.id()).state() + " " + v.task(client1.id()).state() + " " + v.task(client2.id()).state()
                    + " queue=" + v.endpoint(ep.id()).queue() + v.endpoint(ep.id()).queued();
        }

        private String received(TaskHandle t) {
            long info = driver.ipc(t).info();
            return MessageInfo.kind(info) + " b=" + Long.toHexString(driver.ipc(t).badge()) + " l="
                    + MessageInfo.label(info) + " mr0=" + driver.ipc(t).mr(0);
        }

        /** After each part of a scenario: every kernel invariant holds. */
        @Validate
        public void invariantsHold() {
            List<String> broken = kernel.invariantViolations();
            if (!broken.isEmpty()) {
                throw new IllegalStateException("kernel invariants broken: " + broken);
            }
        }
    }

    // ---- Tests.

    private static ModelCheckingOptions options(int iterations, int invocations) {
        return new ModelCheckingOptions()
                .iterations(iterations)
                .invocationsPerIteration(invocations)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1);
    }

    @Test
    void fastPaths_concurrentWithEachOtherAndTheView_areLinearizable() {
        options(Integer.getInteger("g13.iterations", 30), Integer.getInteger("g13.invocations", 100))
                .check(Scenario.class);
    }

    @Test
    void fastPathIgnoringTheLock_isCaught() {
        Scenario.buggy = true;
        LincheckAssertionError e;
        try {
            e = assertThrows(LincheckAssertionError.class, () -> options(30, 200).check(Scenario.class));
        } finally {
            Scenario.buggy = false;
        }
        // Caught for the right reason: a view no sequential order gives, or a broken invariant.
        String m = e.getMessage();
        assertTrue(m.contains("Invalid execution results") || m.contains("kernel invariants broken"), m);
    }

    /**
     * On the threaded runtime: a client and a server make round trips, on the fast path, while this
     * thread reads the kernel's invariants under the kernel-wide lock again and again; it never finds a
     * transition half done.
     */
    @Test
    void threaded_roundTripsBesideKernelWideSections_neverSeenHalfDone() throws Exception {
        assertEquals(List.of(), halfDoneSeen(new Kernel(), Duration.ofMillis(500)));
    }

    /** The same with the injected bug: a section sees a fast path's transition half done. */
    @Test
    void threaded_fastPathIgnoringTheLock_isSeenHalfDone() throws Exception {
        Kernel buggy = InjectedBugs.with(InjectedBugs.of(InjectedBug.FAST_PATH_IGNORES_LOCK), Kernel::new);
        assertFalse(halfDoneSeen(buggy, Duration.ofSeconds(30)).isEmpty());
    }

    /** Runs the round trips and checks the invariants until one breaks or {@code limit} passes; what broke. */
    private static List<String> halfDoneSeen(Kernel kernel, Duration limit) throws InterruptedException {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM, Duration.ofMillis(10));
        ObjectHandle ep = kernel.createEndpoint();
        SpaceHandle ss = kernel.createSpace("server", 2);
        kernel.install(ss, 0, ep, Rights.READ, 0);
        SpaceHandle cs = kernel.createSpace("client", 2);
        kernel.install(cs, 0, ep, Rights.WRITE, 1);
        TaskHandle server = kernel.createTask(ss, "server");
        TaskHandle client = kernel.createTask(cs, "client");
        AtomicBoolean stop = new AtomicBoolean();
        rt.start(server, sys -> {
            var _ = sys.recv(0);
            while (true) {
                var _ = sys.replyWait(0, MessageInfo.of(0, 0));
            }
        });
        rt.start(client, sys -> {
            while (!stop.get()) {
                var _ = sys.call(0, MessageInfo.of(0, 0));
            }
        });
        List<String> broken = List.of();
        long end = System.nanoTime() + limit.toNanos();
        try {
            while (broken.isEmpty() && System.nanoTime() < end) {
                try {
                    broken = kernel.invariantViolations();
                } catch (RuntimeException | AssertionError e) {
                    broken = List.of("the check itself failed: " + e);
                }
            }
        } finally {
            stop.set(true);
            rt.kill(server);
            rt.awaitTermination(Duration.ofSeconds(10));
        }
        return broken;
    }

    /** The operations run in sequence, without Lincheck: the setup and the outcomes are as specified. */
    @Test
    void operations_sequentialScript_returnSpecifiedOutcomes() {
        Scenario t = new Scenario();
        assertEquals("BLOCKED_ON_RECEIVE RUNNING RUNNING queue=RECEIVERS[" + t.server.id() + "]", t.observe());
        assertEquals("BLOCKED", t.call1());
        assertEquals("BUSY", t.call1());
        assertEquals("RUNNING BLOCKED_ON_REPLY RUNNING queue=IDLE[]", t.observe());
        assertEquals("BLOCKED", t.call2());
        assertEquals("RUNNING BLOCKED_ON_REPLY BLOCKED_ON_SEND queue=SENDERS[" + t.client2.id() + "]", t.observe());
        assertEquals("OK CALL b=c2 l=2 mr0=22", t.serve());
        assertEquals("RUNNING RUNNING BLOCKED_ON_REPLY queue=IDLE[]", t.observe());
        assertEquals("BLOCKED", t.serve());
        assertEquals("BUSY", t.serve());
        assertEquals("BLOCKED_ON_RECEIVE RUNNING RUNNING queue=RECEIVERS[" + t.server.id() + "]", t.observe());
        assertEquals(5, MessageInfo.label(t.driver.ipc(t.client1).info()));
        assertEquals(50, t.driver.ipc(t.client2).mr(0));
        t.invariantsHold();
    }
}
