package io.capipc.benchmarks;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
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
 * Round trips while a third platform thread keeps a core busy: on a 2-core machine the client, the
 * server and the hog then share two cores, and a waiter that spins for too long spends the quantum
 * its peer needs. The hog is a daemon started in trial setup and stopped in trial teardown.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Oversubscribed {

    /** A daemon thread that spins on a volatile flag until stopped. */
    @State(Scope.Benchmark)
    public static class Hog {
        volatile boolean running = true;
        Thread thread;

        @Setup(Level.Trial)
        public void start() {
            thread = Thread.ofPlatform().daemon().name("hog").start(() -> {
                while (running) {
                    // spin: keep one core busy
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    @State(Scope.Thread)
    public static class Pair {
        @Param({"SPIN", "PARK"})
        public Calls.Runtime runtime;

        CapipcPair pair;
        final long info = MessageInfo.of(CapipcPair.WORK, 8);

        @Setup(Level.Trial)
        public void setUp(Hog hog) {
            pair = new CapipcPair(runtime.threads, runtime.spin, 1, CapipcPair.echo(8));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.close();
        }
    }

    @State(Scope.Thread)
    public static class Park {
        ParkPingPong pair;

        @Setup(Level.Trial)
        public void setUp(Hog hog) {
            pair = new ParkPingPong().start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.stop();
        }
    }

    @State(Scope.Thread)
    public static class Spin {
        SpinPingPong pair;

        @Setup(Level.Trial)
        public void setUp(Hog hog) {
            pair = new SpinPingPong().start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.stop();
        }
    }

    /** callReplyWait with 8 registers, under the hog. */
    @Benchmark
    public Status callReplyWaitOversubscribed(Pair p) {
        return p.pair.client.call(0, p.info);
    }

    /** The parking floor under the hog. */
    @Benchmark
    public long parkUnparkRoundTripOversubscribed(Park p) {
        return p.pair.roundTrip();
    }

    /** The unbounded-spin floor under the hog: what bounded spinning avoids. */
    @Benchmark
    public long spinPingPongOversubscribed(Spin s) {
        return s.pair.roundTrip();
    }
}
