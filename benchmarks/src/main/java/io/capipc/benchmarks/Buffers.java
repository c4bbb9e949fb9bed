package io.capipc.benchmarks;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.kernel.ThreadedRuntime.Threads;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * Call with buffers: the client Calls with a send and a receive segment of {@code bytes} each; the
 * server Reads the whole send buffer into its own segment and Writes it back into the receive
 * buffer, then ReplyWaits (platform threads, the default spin of 20 us unless {@code spinMicros} is given). {@link #memorySegmentCopy} does the same
 * two copies on one thread with plain {@link MemorySegment#copy}, with the same three segments, so
 * both move 2 x {@code bytes} per op and their bandwidth ratio is the inverse of their time ratio.
 * Segments are native, 64-byte aligned, from a shared arena (the server's thread reads the client's).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Buffers {
    static final long INFO = MessageInfo.of(CapipcPair.WORK, 0);

    @State(Scope.Thread)
    public static class Segments {
        @Param({"64", "4096", "65536", "1048576"})
        public int bytes;

        Arena arena;
        MemorySegment send;
        MemorySegment own;
        MemorySegment recv;

        @Setup(Level.Trial)
        @SuppressWarnings("MustBeClosedChecker") // closed in free(), at the end of the trial
        public void allocate() {
            arena = Arena.ofShared();
            send = arena.allocate(bytes, 64);
            own = arena.allocate(bytes, 64);
            recv = arena.allocate(bytes, 64);
            for (long i = 0; i < bytes; i++) {
                send.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
        }

        @TearDown(Level.Trial)
        public void free() {
            arena.close();
        }
    }

    @State(Scope.Thread)
    public static class Server {
        /**
         * The runtime's spin before parking, in microseconds; the default is the runtime's. Raise it
         * (-p spinMicros=2000) to see what parking costs a Call whose copies outlast the spin.
         */
        @Param({"20"})
        public long spinMicros;

        CapipcPair pair;

        @Setup(Level.Trial)
        public void setUp(Segments s) {
            Duration spin = Duration.ofNanos(spinMicros * 1000);
            pair = new CapipcPair(Threads.PLATFORM, spin, 1, CapipcPair.readWriteBack(s.own));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.close();
        }
    }

    @Benchmark
    public Status callReadWrite(Server server, Segments s) {
        return server.pair.client.call(0, INFO, s.send, s.recv);
    }

    @Benchmark
    public MemorySegment memorySegmentCopy(Segments s) {
        MemorySegment.copy(s.send, 0, s.own, 0, s.bytes);
        MemorySegment.copy(s.own, 0, s.recv, 0, s.bytes);
        return s.recv;
    }
}
