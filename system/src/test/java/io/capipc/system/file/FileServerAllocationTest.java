package io.capipc.system.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capipc.api.Rights;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.servers.IpcException;
import io.capipc.system.SlotPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After warm-up, a read through the file server allocates nothing on the server's thread: a whole
 * 64 KiB chunk and a short read alike (ThreadMXBean, on platform threads; the smallest of a few
 * measured rounds, as docs/testing.md measures the kernel's paths).
 */
class FileServerAllocationTest {
    private static final com.sun.management.ThreadMXBean BEAN =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int WARM = 20_000;
    private static final int ROUND = 2_000;
    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void read_afterWarmUp_allocatesNothingOnTheServer() throws Exception {
        Files.write(dir.resolve("data.bin"), new byte[1 << 20]);
        Kernel kernel = new Kernel();
        ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        ObjectHandle ep = kernel.createEndpoint();
        SpaceHandle fs = kernel.createSpace("files", 48);
        kernel.install(fs, 0, ep, Rights.READ | Rights.GRANT, 0);
        Thread server = rt.start(kernel.createTask(fs, "files"), sys -> {
            var _ = new FileServer(sys, 0, dir, (f, slot) -> -1, new SlotPool(8, 8), 4, 1 << 20).serve(false);
        });
        SpaceHandle cs = kernel.createSpace("client", 4);
        kernel.install(cs, 0, ep, Rights.WRITE | Rights.GRANT, 1);
        TaskHandle client = kernel.createTask(cs, "client");
        List<Long> full = new ArrayList<>();
        List<Long> shortReads = new ArrayList<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        rt.start(client, sys -> {
            try (Arena arena = Arena.ofShared()) {
                FileServiceClient files = new FileServiceClient(sys, 0);
                long fd = files.open(MemorySegment.ofArray("data.bin".getBytes(StandardCharsets.US_ASCII)), FileService.Mode.READ);
                MemorySegment chunk = arena.allocate(FileServer.CHUNK);
                MemorySegment small = arena.allocate(1000);
                rounds(files, fd, chunk, server, WARM, 1, new ArrayList<>());
                rounds(files, fd, chunk, server, ROUND, ROUNDS, full);
                rounds(files, fd, small, server, WARM, 1, new ArrayList<>());
                rounds(files, fd, small, server, ROUND, ROUNDS, shortReads);
            } catch (IpcException | RuntimeException e) {
                failed.set(e);
            }
        });
        while (kernel.inspect().task(client.id()).state() != io.capipc.api.TaskState.DEAD) {
            Thread.sleep(10);
        }
        assertEquals(null, failed.get());
        assertEquals(0L, full.stream().mapToLong(Long::longValue).min().orElseThrow(), "64 KiB reads: " + full);
        assertEquals(0L, shortReads.stream().mapToLong(Long::longValue).min().orElseThrow(), "1000 B reads: " + shortReads);
    }

    private static void rounds(FileServiceClient files, long fd, MemorySegment into, Thread server, int calls, int rounds,
                               List<Long> out) throws IpcException {
        for (int r = 0; r < rounds; r++) {
            long before = BEAN.getThreadAllocatedBytes(server.threadId());
            for (int i = 0; i < calls; i++) {
                long n = files.read(fd, (long) (i % 16) * FileServer.CHUNK, into);
                if (n != into.byteSize()) {
                    throw new IllegalStateException("read " + n + " of " + into.byteSize());
                }
            }
            out.add(BEAN.getThreadAllocatedBytes(server.threadId()) - before);
        }
    }
}
