package io.capipc.benchmarks;

import io.capipc.api.Rights;
import io.capipc.api.Syscalls;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.servers.IpcException;
import io.capipc.servers.channel.ChannelClient;
import io.capipc.servers.channel.ChannelHandler;
import io.capipc.servers.channel.ChannelLayout;
import io.capipc.servers.channel.ChannelServer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * 64-byte messages over a channel (docs/servers.md "Channels") against Agrona's
 * {@link OneToOneRingBuffer} and JCTools' {@link SpscArrayQueue} moving the same bytes, both ends on
 * platform threads: JMH's thread produces, one daemon thread (a capipc server task for the
 * channel) consumes.
 *
 * <p>One way ({@code *OneWay}, messages per second): the producer copies 64 bytes in and publishes;
 * the consumer copies the 64 bytes out into its own memory. The channel's consumer also answers
 * each request with a descriptor (no bytes): those answers are how blocks come back to the client,
 * as Agrona's consumer index is how its space comes back. JCTools moves byte[64] slots, returned to
 * the producer through a second queue.
 *
 * <p>Round trip ({@code *RoundTrip}, ns): 64 bytes there, copied by the consumer into its memory and
 * back, 64 bytes read by the producer.
 */
// Agrona 2 reads jdk.internal.misc.Unsafe, which java.base does not export.
@Fork(jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class Channels {
    static final int BYTES = 64;
    static final int CAPACITY = 1024;

    /** A channel server task and a client adopted by JMH's thread. */
    abstract static class ChannelPair {
        final Kernel kernel = new Kernel();
        final ThreadedRuntime runtime = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        ChannelServer server;
        ChannelClient client;
        TaskHandle clientTask;
        final MemorySegment src = Arena.ofAuto().allocate(BYTES, 64);
        final MemorySegment dst = Arena.ofAuto().allocate(BYTES, 64);

        void start(int capacity, int blockSize, ChannelHandler handler) throws IpcException {
            ObjectHandle ep = kernel.createEndpoint();
            SpaceHandle ss = kernel.createSpace("channel-server", 8);
            kernel.install(ss, 0, ep, Rights.READ | Rights.GRANT, 0);
            kernel.install(ss, 1, kernel.createNotification(), Rights.ALL, 0);
            server = new ChannelServer(0, 1, 2, 1, handler);
            runtime.start(kernel.createTask(ss, "channel-server"), sys -> server.serve(sys));
            ChannelLayout layout = new ChannelLayout(capacity, blockSize);
            SpaceHandle cs = kernel.createSpace("channel-client", 8);
            kernel.install(cs, 0, ep, Rights.WRITE | Rights.GRANT, 0);
            kernel.install(cs, 1, kernel.createRegion(layout.regionBytes()), Rights.ALL, 0);
            kernel.install(cs, 2, kernel.createNotification(), Rights.ALL, 0);
            clientTask = kernel.createTask(cs, "channel-client");
            Syscalls sys = runtime.adopt(clientTask);
            client = ChannelClient.connect(sys, 0, 1, 2, 3, layout, 0, ChannelServer.DEFAULT_SPIN_NANOS);
            for (int i = 0; i < BYTES; i++) {
                src.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
        }

        void stop() throws InterruptedException {
            server.stop();
            runtime.exit(clientTask);
            if (!runtime.awaitTermination(Duration.ofSeconds(10)) || !runtime.failures().isEmpty()) {
                throw new IllegalStateException("the channel server did not stop cleanly: " + runtime.failures());
            }
        }
    }

    @State(Scope.Thread)
    public static class OneWayChannel extends ChannelPair {
        final MemorySegment sink = Arena.ofAuto().allocate(BYTES, 64);

        @Setup(Level.Trial)
        public void setUp() throws IpcException {
            start(CAPACITY, BYTES, (client, data, at, length) -> {
                MemorySegment.copy(data, at, sink, 0, length);
                return 0;
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop();
        }
    }

    @State(Scope.Thread)
    public static class EchoChannel extends ChannelPair {
        final MemorySegment sink = Arena.ofAuto().allocate(BYTES, 64);

        @Setup(Level.Trial)
        public void setUp() throws IpcException {
            start(1, BYTES, (client, data, at, length) -> {
                MemorySegment.copy(data, at, sink, 0, length);
                MemorySegment.copy(sink, 0, data, at, length);
                return length;
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int channelOneWay(OneWayChannel s) {
        ChannelClient c = s.client;
        int b;
        while ((b = c.acquire()) < 0) {   // every block in flight: take back the answered ones
            if (c.poll()) {
                c.release(c.responseId());
            } else {
                Thread.onSpinWait();
            }
        }
        MemorySegment.copy(s.src, 0, c.memory(), c.blockAt(b), BYTES);
        if (!c.submit(b, BYTES, b)) {
            throw new IllegalStateException("a free block but no free descriptor");
        }
        return b;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public MemorySegment channelRoundTrip(EchoChannel s) {
        ChannelClient c = s.client;
        int b = c.acquire();
        MemorySegment.copy(s.src, 0, c.memory(), c.blockAt(b), BYTES);
        if (!c.submit(b, BYTES, b) || c.take() != io.capipc.api.Status.OK) {
            throw new IllegalStateException("channel round trip failed");
        }
        MemorySegment.copy(c.memory(), c.responseAt(), s.dst, 0, c.responseLength());
        c.release(b);
        return s.dst;
    }

    /** A consumer thread that runs {@code poll} until stopped. */
    abstract static class Consumer {
        volatile boolean running = true;
        Thread thread;

        abstract boolean pollOnce();

        void startConsumer() {
            thread = Thread.ofPlatform().daemon().name("peer-consumer").start(() -> {
                while (running) {
                    if (!pollOnce()) {
                        Thread.onSpinWait();
                    }
                }
            });
        }

        void stopConsumer() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    static OneToOneRingBuffer ring(int capacity) {
        return new OneToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /** Agrona: 64-byte messages (plus its 8-byte header) through a 64 KiB ring (910 messages; the channel has 1024 blocks). */
    @State(Scope.Thread)
    public static class AgronaOneWay extends Consumer {
        final OneToOneRingBuffer requests = ring(1 << 16);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[BYTES]);
        final UnsafeBuffer sink = new UnsafeBuffer(new byte[BYTES]);
        final MessageHandler read = (type, buffer, index, length) -> buffer.getBytes(index, sink, 0, length);

        @Override
        boolean pollOnce() {
            return requests.read(read) > 0;
        }

        @Setup(Level.Trial)
        public void setUp() {
            startConsumer();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stopConsumer();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public boolean agronaOneWay(AgronaOneWay s) {
        while (!s.requests.write(1, s.src, 0, BYTES)) {
            Thread.onSpinWait();
        }
        return true;
    }

    @State(Scope.Thread)
    public static class AgronaEcho extends Consumer {
        final OneToOneRingBuffer requests = ring(4096);
        final OneToOneRingBuffer responses = ring(4096);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[BYTES]);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[BYTES]);
        final UnsafeBuffer sink = new UnsafeBuffer(new byte[BYTES]);
        final MessageHandler echo = (type, buffer, index, length) -> {
            buffer.getBytes(index, sink, 0, length);
            while (!responses.write(type, sink, 0, length)) {
                Thread.onSpinWait();
            }
        };
        final MessageHandler answer = (type, buffer, index, length) -> buffer.getBytes(index, dst, 0, length);

        @Override
        boolean pollOnce() {
            return requests.read(echo) > 0;
        }

        @Setup(Level.Trial)
        public void setUp() {
            startConsumer();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stopConsumer();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public UnsafeBuffer agronaRoundTrip(AgronaEcho s) {
        while (!s.requests.write(1, s.src, 0, BYTES)) {
            Thread.onSpinWait();
        }
        while (s.responses.read(s.answer) == 0) {
            Thread.onSpinWait();
        }
        return s.dst;
    }

    /** JCTools: byte[64] slots through an SPSC queue, returned through another. */
    @State(Scope.Thread)
    public static class JctoolsOneWay extends Consumer {
        final SpscArrayQueue<byte[]> queue = new SpscArrayQueue<>(CAPACITY);
        final SpscArrayQueue<byte[]> free = new SpscArrayQueue<>(CAPACITY);
        final byte[] src = new byte[BYTES];
        final byte[] sink = new byte[BYTES];

        @Override
        boolean pollOnce() {
            byte[] m = queue.relaxedPoll();
            if (m == null) {
                return false;
            }
            System.arraycopy(m, 0, sink, 0, BYTES);
            free.offer(m);
            return true;
        }

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < CAPACITY; i++) {
                free.offer(new byte[BYTES]);
            }
            startConsumer();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stopConsumer();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public boolean jctoolsOneWay(JctoolsOneWay s) {
        byte[] m;
        while ((m = s.free.relaxedPoll()) == null) {
            Thread.onSpinWait();
        }
        System.arraycopy(s.src, 0, m, 0, BYTES);
        return s.queue.offer(m);
    }

    @State(Scope.Thread)
    public static class JctoolsEcho extends Consumer {
        final SpscArrayQueue<byte[]> requests = new SpscArrayQueue<>(16);
        final SpscArrayQueue<byte[]> responses = new SpscArrayQueue<>(16);
        final byte[] slot = new byte[BYTES];
        final byte[] src = new byte[BYTES];
        final byte[] dst = new byte[BYTES];
        final byte[] sink = new byte[BYTES];

        @Override
        boolean pollOnce() {
            byte[] m = requests.relaxedPoll();
            if (m == null) {
                return false;
            }
            System.arraycopy(m, 0, sink, 0, BYTES);
            System.arraycopy(sink, 0, m, 0, BYTES);
            return responses.offer(m);
        }

        @Setup(Level.Trial)
        public void setUp() {
            startConsumer();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stopConsumer();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte[] jctoolsRoundTrip(JctoolsEcho s) {
        System.arraycopy(s.src, 0, s.slot, 0, BYTES);
        s.requests.offer(s.slot);
        byte[] m;
        while ((m = s.responses.relaxedPoll()) == null) {
            Thread.onSpinWait();
        }
        System.arraycopy(m, 0, s.dst, 0, BYTES);
        return s.dst;
    }
}
