package io.capipc.benchmarks;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.ThreadedRuntime.Threads;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One-way messages, platform threads, default spin: the client (JMH's thread) sends, a server loops
 * on Recv. Neither waits for a reply, so these are pipelined handoffs: a Send finds the receiver
 * waiting (and returns at once) or blocks until the server's next Recv takes it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Messages {
    static final long INFO = MessageInfo.of(CapipcPair.WORK, 1);

    @State(Scope.Thread)
    public static class Receiver {
        CapipcPair pair;

        @Setup(Level.Trial)
        public void setUp() {
            pair = new CapipcPair(Threads.PLATFORM, ThreadedRuntime.DEFAULT_SPIN, 1, CapipcPair.receiver());
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.close();
        }
    }

    @Benchmark
    public Status sendToRecv(Receiver r) {
        return r.pair.client.send(0, INFO);
    }

    /**
     * NBSend to a waiting receiver: retried (spinning) while the server has not yet returned to
     * Recv, so one op is one delivered message, and WOULD_BLOCKs cost what they cost.
     */
    @Benchmark
    public Status nbSendToWaitingRecv(Receiver r) {
        Status s;
        while ((s = r.pair.client.nbSend(0, INFO)) == Status.WOULD_BLOCK) {
            Thread.onSpinWait();
        }
        return s;
    }
}
