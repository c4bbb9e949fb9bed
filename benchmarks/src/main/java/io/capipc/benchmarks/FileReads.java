package io.capipc.benchmarks;

import io.capipc.api.Rights;
import io.capipc.api.Syscalls;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.servers.IpcException;
import io.capipc.system.SlotPool;
import io.capipc.system.file.FileServer;
import io.capipc.system.file.FileService;
import io.capipc.system.file.FileServiceClient;
import io.capipc.system.file.RegionSource;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Reading a whole file through the file server (issue 21), against {@code FileChannel.read} of the
 * same file on a warm page cache, into a heap and a direct buffer, in one run:
 *
 * <ul>
 *   <li>{@link #channelHeap}, {@link #channelDirect}: {@code FileChannel.read} of the whole file at
 *       position 0, the floor;
 *   <li>{@link #serverRead}: one typed {@code read} call; the server copies the file through its
 *       64 KiB direct buffer into the caller's receive buffer with Write;
 *   <li>{@link #windowMapped}: the client holds a window of the whole file, mapped once (the file's
 *       pages in place), and copies it out: what a client that keeps a window pays per read;
 *   <li>{@link #windowOpenMapClose}: open, window, Map, copy, close per read: four calls, a fresh
 *       mapping and its page faults every time.
 * </ul>
 *
 * Every one copies the file into a destination of the client's, so each does the same copy.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FileReads {
    private static final int FS = 0;
    private static final int WIN = 1;
    private static final int WIN2 = 2;

    /** A file of {@code bytes}, a file server over its directory, and a client (JMH's thread) with it open. */
    @State(Scope.Thread)
    public static class Served {
        @Param({"1048576", "67108864"})
        public int bytes;

        Path dir;
        Path file;
        final Kernel kernel = new Kernel();
        final ThreadedRuntime runtime = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        Syscalls client;
        FileServiceClient files;
        MemorySegment name;
        long fd;
        MemorySegment view;
        Arena arena;
        MemorySegment dest;
        ByteBuffer heap;
        ByteBuffer direct;
        FileChannel channel;

        @Setup(Level.Trial)
        @SuppressWarnings("MustBeClosedChecker") // closed in tearDown, at the end of the trial
        public void setUp() throws IOException, IpcException {
            dir = Files.createTempDirectory("capipc-filereads-");
            file = dir.resolve("data.bin");
            byte[] data = new byte[bytes];
            for (int i = 0; i < bytes; i++) {
                data[i] = (byte) (i * 31);
            }
            Files.write(file, data);
            ObjectHandle ep = kernel.createEndpoint();
            SpaceHandle fs = kernel.createSpace("files", 48);
            kernel.install(fs, 0, ep, Rights.READ | Rights.GRANT, 0);
            RegionSource regions = (f, slot) -> {
                try {
                    long size = Files.size(f);
                    kernel.install(fs, slot, kernel.createRegion(f), Rights.ALL, 0);
                    return size;
                } catch (IOException e) {
                    return -1;
                }
            };
            Path root = dir;
            long cache = 2L * bytes;
            runtime.start(kernel.createTask(fs, "files"), sys -> {
                var _ = new FileServer(sys, 0, root, regions, new SlotPool(8, 40), 8, cache).serve(false);
            });
            SpaceHandle cs = kernel.createSpace("client", 4);
            kernel.install(cs, FS, ep, Rights.WRITE | Rights.GRANT, 1);
            TaskHandle ct = kernel.createTask(cs, "client");
            client = runtime.adopt(ct);
            files = new FileServiceClient(client, FS).receiveSlot(WIN);
            name = MemorySegment.ofArray("data.bin".getBytes(StandardCharsets.US_ASCII));
            fd = files.open(name, FileService.Mode.READ);
            int w = files.window(fd, 0, bytes);
            CapipcPair.check(client.map(w), "map");
            view = client.ipc().mapping();
            files.receiveSlot(WIN2);
            arena = Arena.ofShared();
            dest = arena.allocate(bytes, 64);
            heap = ByteBuffer.allocate(bytes);
            direct = ByteBuffer.allocateDirect(bytes);
            channel = FileChannel.open(file, StandardOpenOption.READ);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            channel.close();
            arena.close();
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Benchmark
    public int channelHeap(Served s) throws IOException {
        return readAll(s.channel, s.heap);
    }

    @Benchmark
    public int channelDirect(Served s) throws IOException {
        return readAll(s.channel, s.direct);
    }

    private static int readAll(FileChannel ch, ByteBuffer b) throws IOException {
        b.clear();
        int n = 0;
        while (b.hasRemaining()) {
            int got = ch.read(b, n);
            if (got < 0) {
                break;
            }
            n += got;
        }
        return n;
    }

    @Benchmark
    public long serverRead(Served s) throws IpcException {
        return s.files.read(s.fd, 0, s.dest);
    }

    @Benchmark
    public long windowMapped(Served s) {
        MemorySegment.copy(s.view, 0, s.dest, 0, s.bytes);
        return s.dest.get(java.lang.foreign.ValueLayout.JAVA_BYTE, s.bytes - 1);
    }

    @Benchmark
    public long windowOpenMapClose(Served s) throws IpcException {
        long h = s.files.open(s.name, FileService.Mode.READ);
        int w = s.files.window(h, 0, s.bytes);
        CapipcPair.check(s.client.map(w), "map");
        MemorySegment.copy(s.client.ipc().mapping(), 0, s.dest, 0, s.bytes);
        s.files.close(h); // revokes the window: the client's capability and mapping go with it
        return s.dest.get(java.lang.foreign.ValueLayout.JAVA_BYTE, s.bytes - 1);
    }
}
