package io.capipc.benchmarks;

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
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floors every IPC figure is measured against: the cheapest round trip two platform threads can
 * make by spinning, and by parking. If a peer beats {@link #spinPingPong}, the floor is built wrong
 * (the check; on this VM it holds only loosely, see docs/benchmarks.md).
 * {@link #rendezvousRoundTrip} is the floor of the protocol rather than of the machine: what any
 * endpoint IPC that can park costs before its kernel does anything.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Floors {

    @State(Scope.Thread)
    public static class Spin {
        SpinPingPong pair;

        @Setup(Level.Trial)
        public void setUp() {
            pair = new SpinPingPong().start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.stop();
        }
    }

    @State(Scope.Thread)
    public static class Rendezvous {
        @Param({"0", "8"})
        public int registers;

        /** True: each side's transition under one shared lock, as capipc's run under the kernel's. */
        @Param({"false", "true"})
        public boolean locked;

        RendezvousPingPong pair;

        @Setup(Level.Trial)
        public void setUp() {
            pair = new RendezvousPingPong(registers, locked).start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.stop();
        }
    }

    @State(Scope.Thread)
    public static class Park {
        ParkPingPong pair;

        @Setup(Level.Trial)
        public void setUp() {
            pair = new ParkPingPong().start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.stop();
        }
    }

    @Benchmark
    public long spinPingPong(Spin s) {
        return s.pair.roundTrip();
    }

    /** The protocol floor: a round trip through an endpoint with no kernel (see {@link RendezvousPingPong}). */
    @Benchmark
    public long rendezvousRoundTrip(Rendezvous r) {
        return r.pair.roundTrip();
    }

    @Benchmark
    public long parkUnparkRoundTrip(Park p) {
        return p.pair.roundTrip();
    }
}
