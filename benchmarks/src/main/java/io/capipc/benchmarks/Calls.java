package io.capipc.benchmarks;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.ThreadedRuntime.Threads;
import java.time.Duration;
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
 * capipc's round trip: the client (JMH's thread) Calls, the server answers with ReplyWait in a loop.
 * {@code runtime} picks the server's thread and how each blocked side waits:
 * <ul>
 *   <li>SPIN: platform thread, {@link ThreadedRuntime#DEFAULT_SPIN} (spin, then park);
 *   <li>PARK: platform thread, spin {@link Duration#ZERO} (park at once);
 *   <li>VIRTUAL: virtual thread, default spin.
 * </ul>
 * The client spins or parks the same way as the server (one runtime).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Calls {
    public enum Runtime {
        SPIN(Threads.PLATFORM, ThreadedRuntime.DEFAULT_SPIN),
        PARK(Threads.PLATFORM, Duration.ZERO),
        VIRTUAL(Threads.VIRTUAL, ThreadedRuntime.DEFAULT_SPIN);

        final Threads threads;
        final Duration spin;

        Runtime(Threads threads, Duration spin) {
            this.threads = threads;
            this.spin = spin;
        }
    }

    @State(Scope.Thread)
    public static class Pair {
        @Param({"SPIN", "PARK", "VIRTUAL"})
        public Runtime runtime;

        @Param({"0", "8", "64"})
        public int registers;

        CapipcPair pair;
        long info;

        @Setup(Level.Trial)
        public void setUp() {
            pair = new CapipcPair(runtime.threads, runtime.spin, 1, CapipcPair.echo(registers));
            info = MessageInfo.of(CapipcPair.WORK, registers);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.close();
        }
    }

    @Benchmark
    public Status callReplyWait(Pair p) {
        return p.pair.client.call(0, p.info);
    }
}
