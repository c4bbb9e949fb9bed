package io.capipc.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.servers.IpcException;
import io.capipc.servers.channel.ChannelClient;
import io.capipc.servers.channel.ChannelLayout;
import io.capipc.servers.channel.ChannelServer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * The crossover of SPEC §12.3: one round trip of {@code bytes} (8 B to 64 MiB: 8 x 4^k, then 64 MiB)
 * from a client to a server and back, by each transport, against MemorySegment.copy of the same
 * bytes there and back. Platform threads, the runtime's default spin. benchmarks/crossover.py turns
 * the results into docs/crossover.svg and benchmarks/thresholds.properties (SizeStrategy).
 *
 * <ul>
 *   <li>{@link #registers} (up to 512 B): the bytes go into the registers of a Call and come back
 *       in the reply's; the server copies each register into its reply;
 *   <li>{@link #readWrite}: Call with a send and a receive segment; the server Reads all into its
 *       own memory and Writes it back (Buffers' server);
 *   <li>{@link #movedRegion}: the client maps its region, writes its first and last 8 bytes, unmaps,
 *       moves it to the server in a Call; the server maps it, reads and rewrites those bytes, moves it
 *       back in its reply. The bytes are made in place: nothing is copied;
 *   <li>{@link #channel}: a one-block channel of {@code bytes}: the client writes the first 8 bytes,
 *       submits, takes the answer; the server's handler reads and rewrites the first and last 8 bytes
 *       in place. Again the bytes are made in the shared block;
 *   <li>{@link #copy}: MemorySegment.copy of the bytes to a second segment and back, on one thread.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Crossover {
    private static final int EP = 0;
    private static final int BLOCK = 1;

    @State(Scope.Thread)
    public static class Registers {
        @Param({"8", "32", "128", "512"})
        public int bytes;

        CapipcPair pair;
        MemorySegment src;
        MemorySegment dst;
        long info;

        @Setup(Level.Trial)
        public void setUp() {
            pair = new CapipcPair(ThreadedRuntime.Threads.PLATFORM, ThreadedRuntime.DEFAULT_SPIN, 1, Crossover::registerEcho);
            src = Arena.ofAuto().allocate(bytes, 64);
            dst = Arena.ofAuto().allocate(bytes, 64);
            info = MessageInfo.of(CapipcPair.WORK, bytes / 8);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.close();
        }
    }

    private static void registerEcho(Syscalls sys) {
        Status s = sys.recv(EP);
        while (s == Status.OK && sys.ipc().label() != CapipcPair.STOP) {
            int n = sys.ipc().length();
            for (int i = 0; i < n; i++) {
                sys.ipc().setMr(i, sys.ipc().mr(i));
            }
            s = sys.replyWait(EP, MessageInfo.of(0, n));
        }
    }

    @Benchmark
    public MemorySegment registers(Registers r) {
        Syscalls sys = r.pair.client;
        int n = r.bytes / 8;
        for (int i = 0; i < n; i++) {
            sys.ipc().setMr(i, r.src.getAtIndex(JAVA_LONG, i));
        }
        CapipcPair.check(sys.call(EP, r.info), "call");
        for (int i = 0; i < n; i++) {
            r.dst.setAtIndex(JAVA_LONG, i, sys.ipc().mr(i));
        }
        return r.dst;
    }

    @State(Scope.Thread)
    public static class ReadWrite {
        @Param({"8", "32", "128", "512", "2048", "8192", "32768", "131072", "524288", "2097152", "8388608",
                "33554432", "67108864"})
        public long bytes;

        CapipcPair pair;
        MemorySegment send;
        MemorySegment recv;
        final long info = MessageInfo.of(CapipcPair.WORK, 0);

        @Setup(Level.Trial)
        public void setUp() {
            send = Arena.ofAuto().allocate(bytes, 64);
            recv = Arena.ofAuto().allocate(bytes, 64);
            MemorySegment own = Arena.ofAuto().allocate(bytes, 64);
            pair = new CapipcPair(ThreadedRuntime.Threads.PLATFORM, ThreadedRuntime.DEFAULT_SPIN, 1,
                    CapipcPair.readWriteBack(own));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.close();
        }
    }

    @Benchmark
    public Status readWrite(ReadWrite r) {
        return r.pair.client.call(EP, r.info, r.send, r.recv);
    }

    @State(Scope.Thread)
    public static class Moved {
        @Param({"8", "32", "128", "512", "2048", "8192", "32768", "131072", "524288", "2097152", "8388608",
                "33554432", "67108864"})
        public long bytes;

        final Kernel kernel = new Kernel();
        final ThreadedRuntime runtime = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        TaskHandle clientTask;
        Syscalls client;
        final long oneCap = MessageInfo.of(CapipcPair.WORK, 0, 1);

        @Setup(Level.Trial)
        public void setUp() {
            ObjectHandle ep = kernel.createEndpoint();
            SpaceHandle cs = kernel.createSpace("client", 4);
            kernel.install(cs, EP, ep, Rights.WRITE | Rights.GRANT, 0);
            kernel.install(cs, BLOCK, kernel.createRegion(bytes), Rights.ALL, 0);
            SpaceHandle ss = kernel.createSpace("server", 4);
            kernel.install(ss, EP, ep, Rights.READ | Rights.GRANT, 0);
            runtime.start(kernel.createTask(ss, "server"), Crossover::regionServer);
            clientTask = kernel.createTask(cs, "client");
            client = runtime.adopt(clientTask);
            client.ipc().setCap(0, BLOCK);
            client.ipc().setMove(0, true);
            client.ipc().setReceiveSlot(0, BLOCK);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            client.ipc().setMove(0, false);
            CapipcPair.check(client.send(EP, MessageInfo.of(CapipcPair.STOP, 0)), "send STOP");
            runtime.exit(clientTask);
            if (!runtime.awaitTermination(Duration.ofSeconds(10)) || !runtime.failures().isEmpty()) {
                throw new IllegalStateException("the region server did not stop cleanly: " + runtime.failures());
            }
        }
    }

    /** Maps what arrives, reads and rewrites its first and last 8 bytes, moves it back. */
    private static void regionServer(Syscalls sys) {
        sys.ipc().setReceiveSlot(0, BLOCK);
        sys.ipc().setCap(0, BLOCK);
        sys.ipc().setMove(0, true);
        long back = MessageInfo.of(0, 0, 1);
        Status s = sys.recv(EP);
        while (s == Status.OK && sys.ipc().label() != CapipcPair.STOP) {
            CapipcPair.check(sys.map(BLOCK), "server map");
            MemorySegment v = sys.ipc().mapping();
            long last = v.byteSize() - 8;
            v.set(JAVA_LONG, last, v.get(JAVA_LONG, 0) + v.get(JAVA_LONG, last));
            s = sys.replyWait(EP, back);
        }
    }

    @Benchmark
    public long movedRegion(Moved m) {
        Syscalls sys = m.client;
        CapipcPair.check(sys.map(BLOCK), "map");
        MemorySegment v = sys.ipc().mapping();
        v.set(JAVA_LONG, 0, 1);
        long seen = v.get(JAVA_LONG, v.byteSize() - 8);
        CapipcPair.check(sys.unmap(BLOCK), "unmap");
        CapipcPair.check(sys.call(EP, m.oneCap), "call");
        return seen;
    }

    @State(Scope.Thread)
    public static class Chan {
        @Param({"8", "32", "128", "512", "2048", "8192", "32768", "131072", "524288", "2097152", "8388608",
                "33554432", "67108864"})
        public int bytes;

        final Channels.ChannelPair pair = new Channels.ChannelPair() {};

        @Setup(Level.Trial)
        public void setUp() throws IpcException {
            pair.start(1, bytes, (client, data, at, length) -> {
                long last = at + length - 8;
                data.set(JAVA_LONG, last, data.get(JAVA_LONG, at) + data.get(JAVA_LONG, last));
                return length;
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.stop();
        }
    }

    @Benchmark
    public long channel(Chan c) {
        ChannelClient cl = c.pair.client;
        long at = cl.blockAt(0);
        cl.memory().set(JAVA_LONG, at, 1);
        if (!cl.submit(0, c.bytes, 0) || cl.take() != Status.OK || cl.responseStatus() != ChannelLayout.OK) {
            throw new IllegalStateException("channel round trip failed");
        }
        return cl.memory().get(JAVA_LONG, at + c.bytes - 8);
    }

    @State(Scope.Thread)
    public static class Copy {
        @Param({"8", "32", "128", "512", "2048", "8192", "32768", "131072", "524288", "2097152", "8388608",
                "33554432", "67108864"})
        public long bytes;

        MemorySegment a;
        MemorySegment b;

        @Setup(Level.Trial)
        public void setUp() {
            a = Arena.ofAuto().allocate(bytes, 64);
            b = Arena.ofAuto().allocate(bytes, 64);
            a.fill((byte) 1);
        }
    }

    @Benchmark
    public byte copy(Copy c) {
        MemorySegment.copy(c.a, 0, c.b, 0, c.bytes);
        MemorySegment.copy(c.b, 0, c.a, 0, c.bytes);
        return c.a.get(JAVA_BYTE, c.bytes - 1);
    }

}
