package io.capipc.benchmarks;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.inspect.Outcome;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The kernel's own cost of a round trip: the Call and the ReplyWait transitions, both stepped on
 * JMH's thread by the deterministic driver, with no runtime, so no line moves between
 * cores and nobody spins or parks. The protocol floor and the design floor of issue 23 are stepped
 * the same way, so each threaded round trip's cost over its one-thread code can be compared
 * (docs/benchmarks.md, "The design's own floor": code whose loads do not wait on the other core's
 * lines runs while they are in flight, so this plus the protocol floor is no lower bound).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Transitions {

    @State(Scope.Thread)
    public static class OneThread {
        @Param({"0", "8"})
        public int registers;

        final Kernel kernel = new Kernel();
        final DeterministicDriver driver = new DeterministicDriver(kernel);
        TaskHandle client;
        TaskHandle server;
        long info;
        long replyInfo;

        @Setup(Level.Trial)
        public void setUp() {
            ObjectHandle ep = kernel.createEndpoint();
            SpaceHandle ss = kernel.createSpace("server", 4);
            kernel.install(ss, 0, ep, Rights.READ, 0);
            SpaceHandle cs = kernel.createSpace("client", 4);
            kernel.install(cs, 0, ep, Rights.WRITE, 1);
            server = kernel.createTask(ss, "server");
            client = kernel.createTask(cs, "client");
            driver.start(server);
            driver.start(client);
            info = MessageInfo.of(CapipcPair.WORK, registers);
            replyInfo = MessageInfo.of(0, registers);
            if (driver.recv(server, 0) != Outcome.BLOCKED) {
                throw new IllegalStateException("the server should block in Recv");
            }
        }
    }

    /** Call (delivered to the waiting server), then ReplyWait (the reply, and the server waits again). */
    @Benchmark
    public Status callThenReplyWait(OneThread s) {
        Outcome call = s.driver.call(s.client, 0, s.info);
        Outcome wait = s.driver.replyWait(s.server, 0, s.replyInfo);
        Status reply = s.driver.ipc(s.client).status();
        if (call != Outcome.BLOCKED || wait != Outcome.BLOCKED || reply != Status.OK) {
            throw new IllegalStateException("call " + call + ", replyWait " + wait + ", reply " + reply);
        }
        return reply;
    }

    /** The protocol floor ({@link RendezvousPingPong}, lock-free) stepped on one thread: its own code. */
    @State(Scope.Thread)
    public static class ProtocolFloor {
        @Param({"0", "8"})
        public int registers;

        RendezvousPingPong floor;

        @Setup(Level.Trial)
        public void setUp() {
            floor = new RendezvousPingPong(registers).stepping();
        }
    }

    /** Call then ReplyWait of the protocol floor, both on this thread. */
    @Benchmark
    public long protocolFloorStepped(ProtocolFloor s) {
        return s.floor.stepped();
    }

    /** The design's floor ({@link HotLinePingPong}) stepped on one thread: its representation's two transitions. */
    @State(Scope.Thread)
    public static class DesignFloor {
        @Param({"0", "8"})
        public int registers;

        HotLinePingPong floor;

        @Setup(Level.Trial)
        public void setUp() {
            floor = new HotLinePingPong(registers).stepping();
        }
    }

    /**
     * Call then ReplyWait of the design's floor, both on this thread: compare with
     * {@link #callThenReplyWait} minus {@link #driverLookupsOnly}.
     */
    @Benchmark
    public long designFloorStepped(DesignFloor s) {
        return s.floor.stepped();
    }

    /**
     * The driver's share of {@link #callThenReplyWait}: the same three task lookups (each handle
     * checked and resolved to its task, its state read) and the reply's status, with no transition.
     * {@code callThenReplyWait} minus this is the two transitions' own code.
     */
    @Benchmark
    public Status driverLookupsOnly(OneThread s) {
        if (s.driver.state(s.client) != TaskState.RUNNING || s.driver.state(s.server) != TaskState.BLOCKED_ON_RECEIVE) {
            throw new IllegalStateException("client " + s.driver.state(s.client) + ", server " + s.driver.state(s.server));
        }
        return s.driver.ipc(s.client).status();
    }
}
