package io.capipc.system.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.servers.IpcException;
import io.capipc.system.Harness;
import io.capipc.system.SlotPool;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The file server on both runtimes: every operation, every refusal, windows and their revocation. */
class FileServerTest {
    static final int FS = 0;
    static final int WIN = 1;
    static final int BIG = 256 * 1024;

    @TempDir
    Path tmp;

    static List<String> runtimes() {
        return Harness.runtimes();
    }

    /** The served directory: small.txt, big.bin, sub/inner.txt, a link inside and one leading out. */
    Path served() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(root.resolve("small.txt"), "hello, file server");
        Files.write(root.resolve("big.bin"), pattern(BIG, 1));
        Files.write(root.resolve("big2.bin"), pattern(BIG, 2));
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/inner.txt"), "inner");
        Files.writeString(tmp.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(root.resolve("out"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outdir"), tmp);
        Files.createSymbolicLink(root.resolve("inlink"), root.resolve("small.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("made-outside.txt"));
        return root;
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** Starts a file server over {@code root} on {@code h}; returns its endpoint. */
    static ObjectHandle fileServer(Harness h, Path root, long cacheBytes, Consumer<FileServer> configure, List<FileServer> out) {
        ObjectHandle ep = h.kernel().createEndpoint();
        SpaceHandle space = h.kernel().createSpace("files", 48);
        h.kernel().install(space, 0, ep, Rights.READ | Rights.GRANT, 0);
        RegionSource regions = (file, slot) -> {
            try {
                long size = Files.size(file);
                h.kernel().install(space, slot, h.kernel().createRegion(file), Rights.ALL, 0);
                return size;
            } catch (IOException | IllegalArgumentException e) {
                return -1;
            }
        };
        TaskHandle t = h.kernel().createTask(space, "files");
        h.start(t, sys -> {
            FileServer fs = new FileServer(sys, 0, root, regions, new SlotPool(8, 40), 4, cacheBytes);
            configure.accept(fs);
            out.add(fs);
            var _ = fs.serve();
        });
        return ep;
    }

    static SpaceHandle client(Harness h, ObjectHandle fs, String name, long badge) {
        SpaceHandle space = h.kernel().createSpace(name, 4);
        h.kernel().install(space, FS, fs, Rights.WRITE | Rights.GRANT, badge);
        return space;
    }

    interface Body {
        void run(Syscalls sys, FileServiceClient files) throws IpcException;
    }

    static TaskHandle run(Harness h, SpaceHandle space, String name, Body body) throws InterruptedException {
        TaskHandle t = h.kernel().createTask(space, name);
        h.start(t, sys -> {
            try {
                body.run(sys, new FileServiceClient(sys, FS).receiveSlot(WIN));
            } catch (IpcException e) {
                throw new AssertionError(name + ": " + e.getMessage(), e);
            }
        });
        h.awaitEnded(t);
        return t;
    }

    static MemorySegment text(String s) {
        return MemorySegment.ofArray(s.getBytes(StandardCharsets.UTF_8));
    }

    interface Attempt {
        long run() throws IpcException;
    }

    static String outcome(Attempt a) {
        try {
            return "OK " + a.run();
        } catch (IpcException e) {
            return e.error() != null ? e.error().name() : e.status().name();
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void openReadStatListClose_answerWhatIsOnDisk(String runtime) throws Exception {
        Path root = served();
        List<String> got = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle fs = fileServer(h, root, 1 << 20, f -> { }, new ArrayList<>());
            run(h, client(h, fs, "c", 1), "c", (sys, files) -> {
                long fd = files.open(text("small.txt"), FileService.Mode.READ);
                byte[] buf = new byte[64];
                long n = files.read(fd, 0, MemorySegment.ofArray(buf));
                got.add(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
                n = files.read(fd, 7, MemorySegment.ofArray(buf));
                got.add(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
                got.add("at end " + files.read(fd, 18, MemorySegment.ofArray(buf)));
                got.add("past end " + outcome(() -> files.read(fd, 19, MemorySegment.ofArray(buf))));
                files.close(fd);
                got.add("closed " + outcome(() -> files.read(fd, 0, MemorySegment.ofArray(buf))));
                got.add("stat " + files.stat(text("sub/inner.txt")));
                got.add("stat link " + files.stat(text("inlink")));
                n = files.list(text("."), MemorySegment.ofArray(buf));
                got.add(new String(buf, 0, (int) Math.min(n, buf.length), StandardCharsets.UTF_8).replace('\n', ' ').trim());
                byte[] small = new byte[10];
                got.add("list truncated " + files.list(text("."), MemorySegment.ofArray(small)) + " "
                        + new String(small, StandardCharsets.UTF_8).replace('\n', ' '));
                n = files.list(text("sub"), MemorySegment.ofArray(buf));
                got.add(new String(buf, 0, (int) n, StandardCharsets.UTF_8).trim());
                long bigFd = files.open(text("big.bin"), FileService.Mode.READ);
                byte[] big = new byte[BIG];
                got.add("big read " + files.read(bigFd, 0, MemorySegment.ofArray(big)));
                got.add("big same " + java.util.Arrays.equals(big, pattern(BIG, 1)));
            });
        }
        assertEquals(List.of("hello, file server", "file server", "at end 0", "past end PAST_END", "closed BAD_HANDLE",
                "stat 5", "stat link 18", "big.bin big2.bin dangling inlink out outdir small.txt sub",
                "list truncated 58 big.bin bi", "inner.txt", "big read " + BIG, "big same true"), got);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void badPaths_andBadHandles_areRefused(String runtime) throws Exception {
        Path root = served();
        List<String> got = new CopyOnWriteArrayList<>();
        long[] theirs = new long[1];
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle fs = fileServer(h, root, 1 << 20, f -> { }, new ArrayList<>());
            run(h, client(h, fs, "other", 2), "other", (sys, files) -> theirs[0] = files.open(text("small.txt"), FileService.Mode.READ));
            run(h, client(h, fs, "c", 1), "c", (sys, files) -> {
                for (String p : List.of("../secret.txt", "sub/../../secret.txt", "sub/..", "out", "outdir/secret.txt",
                        "/etc/passwd", "a//b", "./small.txt", "sub/", "nothing", "sub/nothing", "dangling",
                        "x".repeat(256), ("a/").repeat(512) + "b", "sub")) {
                    got.add(outcome(() -> files.open(text(p), FileService.Mode.READ)));
                }
                got.add("empty " + outcome(() -> files.stat(MemorySegment.ofArray(new byte[0]))));
                got.add("nul " + outcome(() -> files.stat(text("small\0.txt"))));
                got.add("not utf8 " + outcome(() -> files.stat(MemorySegment.ofArray(new byte[] {(byte) 0xC3, (byte) 0x28}))));
                got.add("create through dangling link " + outcome(() -> files.open(text("dangling"), FileService.Mode.CREATE)));
                got.add("create outside " + outcome(() -> files.open(text("outdir/new.txt"), FileService.Mode.CREATE)));
                got.add("list a file " + outcome(() -> files.list(text("small.txt"), MemorySegment.ofArray(new byte[8]))));
                got.add("stat a directory " + outcome(() -> files.stat(text("sub"))));
                got.add("their handle " + outcome(() -> files.read(theirs[0], 0, MemorySegment.ofArray(new byte[8]))));
                got.add("made up handle " + outcome(() -> files.read(12345, 0, MemorySegment.ofArray(new byte[8]))));
                long fd = files.open(text("small.txt"), FileService.Mode.READ);
                got.add("write read-only " + outcome(() -> files.write(fd, 0, text("x"))));
                got.add("negative offset " + outcome(() -> files.read(fd, -1, MemorySegment.ofArray(new byte[8]))));
                got.add("window past end " + outcome(() -> files.window(fd, 10, 9)));
                for (int i = 0; i < 3; i++) {
                    long unused = files.open(text("small.txt"), FileService.Mode.READ);
                }
                got.add("fifth open " + outcome(() -> files.open(text("small.txt"), FileService.Mode.READ)));
            });
        }
        assertEquals(List.of("ESCAPES_ROOT", "ESCAPES_ROOT", "ESCAPES_ROOT", "ESCAPES_ROOT", "ESCAPES_ROOT",
                "BAD_PATH", "BAD_PATH", "BAD_PATH", "BAD_PATH", "NOT_FOUND", "NOT_FOUND", "ESCAPES_ROOT",
                "PATH_TOO_LONG", "PATH_TOO_LONG", "NOT_A_FILE",
                "empty BAD_PATH", "nul BAD_PATH", "not utf8 BAD_PATH", "create through dangling link ESCAPES_ROOT",
                "create outside ESCAPES_ROOT", "list a file NOT_A_DIRECTORY", "stat a directory NOT_A_FILE",
                "their handle BAD_HANDLE", "made up handle BAD_HANDLE", "write read-only NOT_WRITABLE",
                "negative offset PAST_END", "window past end PAST_END", "fifth open TOO_MANY_OPEN"), got);
        assertTrue(Files.notExists(tmp.resolve("made-outside.txt")), "nothing was made through the dangling link");
        assertTrue(Files.notExists(tmp.resolve("new.txt")));
    }

    /** True while {@code space}'s slot {@code slot} holds a capability. */
    static boolean holds(Harness h, SpaceHandle space, int slot) {
        return h.kernel().inspect().space(space.id()).slots().stream().anyMatch(v -> v.index() == slot);
    }

    /** Waits (real time, for the threaded runtime's server thread) until the slot is empty. */
    static boolean awaitEmpty(Harness h, SpaceHandle space, int slot) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (holds(h, space, slot) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return !holds(h, space, slot);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void window_mapsTheFileInPlace_readOnly_andIsRevokedOnClose(String runtime) throws Exception {
        Path root = served();
        List<String> got = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            List<FileServer> servers = new ArrayList<>();
            ObjectHandle fs = fileServer(h, root, 1 << 20, f -> { }, servers);
            run(h, client(h, fs, "c", 1), "c", (sys, files) -> {
                long fd = files.open(text("big.bin"), FileService.Mode.READ);
                int w = files.window(fd, 4096, BIG - 4096);
                got.add("map " + sys.map(w));
                MemorySegment view = sys.ipc().mapping();
                byte[] seen = view.toArray(ValueLayout.JAVA_BYTE);
                got.add("same bytes " + java.util.Arrays.equals(seen, java.util.Arrays.copyOfRange(pattern(BIG, 1), 4096, BIG)));
                got.add("read-only " + view.isReadOnly());
                files.close(fd);
                got.add("view after close " + view.scope().isAlive());
                got.add("map after close " + sys.map(w));
            });
            assertEquals(1, servers.getFirst().stats().windowsRevoked());
        }
        assertEquals(List.of("map OK", "same bytes true", "read-only true", "view after close false",
                "map after close INVALID_CAPABILITY"), got);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void write_changesTheFile_aWritableWindowWritesInPlace_growingRevokesOldWindows(String runtime) throws Exception {
        Path root = served();
        List<String> got = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle fs = fileServer(h, root, 1 << 20, f -> { }, new ArrayList<>());
            run(h, client(h, fs, "c", 1), "c", (sys, files) -> {
                long fd = files.open(text("sub/new.txt"), FileService.Mode.CREATE);
                got.add("wrote " + files.write(fd, 0, text("0123456789")));
                got.add("hole " + outcome(() -> files.write(fd, 11, text("x"))));
                int w = files.window(fd, 0, 10);
                got.add("map " + sys.map(w) + " writable " + !sys.ipc().mapping().isReadOnly());
                MemorySegment view = sys.ipc().mapping();
                view.set(ValueLayout.JAVA_BYTE, 0, (byte) 'A');
                byte[] back = new byte[10];
                files.read(fd, 0, MemorySegment.ofArray(back));
                got.add("read back " + new String(back, StandardCharsets.UTF_8));
                got.add("appended " + files.write(fd, 10, text("!!")));
                got.add("old window after growth " + view.scope().isAlive());
                got.add("stat " + files.stat(text("sub/new.txt")));
                files.close(fd);
            });
        }
        assertEquals(List.of("wrote 10", "hole PAST_END", "map OK writable true", "read back A123456789", "appended 2",
                "old window after growth false", "stat 12"), got);
        assertEquals("A123456789!!", Files.readString(root.resolve("sub/new.txt")));
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void cacheEviction_revokesTheWindowsOfTheRegionItDrops(String runtime) throws Exception {
        Path root = served();
        List<String> got = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            List<FileServer> servers = new ArrayList<>();
            ObjectHandle fs = fileServer(h, root, BIG + BIG / 2, f -> { }, servers); // room for one of the two
            run(h, client(h, fs, "c", 1), "c", (sys, files) -> {
                long a = files.open(text("big.bin"), FileService.Mode.READ);
                long b = files.open(text("big2.bin"), FileService.Mode.READ);
                int wa = files.receiveSlot(WIN).window(a, 0, BIG);
                got.add("map a " + sys.map(wa));
                MemorySegment va = sys.ipc().mapping();
                int wb = files.receiveSlot(WIN + 1).window(b, 0, BIG);
                got.add("map b " + sys.map(wb));
                MemorySegment vb = sys.ipc().mapping();
                got.add("a evicted " + !va.scope().isAlive());
                got.add("b first byte " + vb.get(ValueLayout.JAVA_BYTE, 0));
                got.add("a again " + outcome(() -> files.receiveSlot(WIN).window(a, 0, 16)));
                got.add("too large " + outcome(() -> {
                    long c = files.open(text("big.bin"), FileService.Mode.READ_WRITE);
                    files.write(c, BIG, MemorySegment.ofArray(new byte[BIG]));
                    return files.window(c, 0, 1);
                }));
            });
            FileServer.Stats st = servers.getFirst().stats();
            assertTrue(st.regionsDropped() >= 2, st.toString());
        }
        assertEquals(List.of("map a OK", "map b OK", "a evicted true", "b first byte 2", "a again OK " + WIN,
                "too large TOO_LARGE"), got);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void clientBadgeDisconnects_itsWindowsAreRevoked(String runtime) throws Exception {
        Path root = served();
        List<String> got = new CopyOnWriteArrayList<>();
        boolean emptied;
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle fs = fileServer(h, root, 1 << 20, f -> { }, new ArrayList<>());
            SpaceHandle space = client(h, fs, "c", 1);
            run(h, space, "c", (sys, files) -> {
                long fd = files.open(text("big.bin"), FileService.Mode.READ);
                int w = files.window(fd, 0, 4096);
                got.add("map " + sys.map(w));
                got.add("leaves " + sys.delete(FS)); // the badge's last capability: the server closes its files
            });
            emptied = awaitEmpty(h, space, WIN);
        }
        assertEquals(List.of("map OK", "leaves OK"), got);
        assertTrue(emptied, "the window went with the client's badge");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void clientDiesMidCall_theServerGoesOnServingOthers(String runtime) throws Exception {
        Path root = served();
        List<String> got = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            // The server starts only after the client is blocked in its Call, and the client is killed there.
            ObjectHandle ep = h.kernel().createEndpoint();
            SpaceHandle doomedSpace = client(h, ep, "doomed", 1);
            TaskHandle doomed = h.kernel().createTask(doomedSpace, "doomed");
            h.start(doomed, sys -> {
                try {
                    long unused = new FileServiceClient(sys, FS).stat(text("small.txt"));
                    got.add("doomed was answered");
                } catch (IpcException e) {
                    got.add("doomed " + e.getMessage());
                }
            });
            h.awaitBlocked(doomed);
            h.kill(doomed);
            SpaceHandle space = h.kernel().createSpace("files", 48);
            h.kernel().install(space, 0, ep, Rights.READ | Rights.GRANT, 0);
            h.start(h.kernel().createTask(space, "files"), sys -> {
                var _ = new FileServer(sys, 0, root, (f, slot) -> -1, new SlotPool(8, 40), 4, 1 << 20).serve();
            });
            run(h, client(h, ep, "c", 2), "c", (sys, files) -> got.add("stat " + files.stat(text("small.txt"))));
        }
        assertEquals(List.of("stat 18"), got);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void serverFaultsMidCall_theCallerGetsPeerDied(String runtime) throws Exception {
        Path root = served();
        List<String> got = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            h.expectFailures(io.capipc.system.InjectedFault.class);
            ObjectHandle fs = fileServer(h, root, 1 << 20, f -> f.crashAtRead(2), new ArrayList<>());
            run(h, client(h, fs, "c", 1), "c", (sys, f) -> {
                FileServiceClient files = f.timeout(100_000_000L);
                long fd = files.open(text("small.txt"), FileService.Mode.READ);
                byte[] buf = new byte[8];
                got.add("first " + outcome(() -> files.read(fd, 0, MemorySegment.ofArray(buf))));
                got.add("second " + outcome(() -> files.read(fd, 0, MemorySegment.ofArray(buf))));
                got.add("third " + outcome(() -> files.read(fd, 0, MemorySegment.ofArray(buf))));
            });
            Throwable fault = h.failures().values().stream().findFirst().orElseThrow();
            assertTrue(fault instanceof io.capipc.system.InjectedFault, String.valueOf(fault));
        }
        // The server died holding the second call; the third finds nobody receiving (nobody restarts
        // this server) and ends at its timeout.
        assertEquals(List.of("first OK 8", "second PEER_DIED", "third TIMEOUT"), got);
    }
}
