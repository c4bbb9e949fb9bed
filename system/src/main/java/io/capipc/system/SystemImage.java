package io.capipc.system;

import io.capipc.api.Rights;
import io.capipc.api.TaskBody;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.servers.IpcException;
import io.capipc.system.file.FileServer;
import io.capipc.system.file.RegionSource;
import io.capipc.system.name.NameRights;
import io.capipc.system.name.NameServer;
import io.capipc.system.name.NamesClient;
import io.capipc.system.supervisor.Intensity;
import io.capipc.system.supervisor.RestartPolicy;
import io.capipc.system.supervisor.Supervisor;
import io.capipc.system.supervisor.SupervisorReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The whole small system, booted on a kernel (what {@code ./capipc demo} runs, and what
 * {@code SystemImageTest} runs on both runtimes): a supervisor over the name server and the file
 * server, and clients that find the file server by name and read and write files through it.
 *
 * <pre>
 *   supervisor  (one-for-one, at most 3 restarts in 10 s)
 *     ├─ names   name server; every task's capability to it badged with its number and rights
 *     └─ files   file server over a directory; registers "files" (per-client badges) at each start
 *   client-1..n  donate an untyped, watch "files", look it up, then write, read back and read shared
 *                files; client-1 also reads the large files by windows
 * </pre>
 *
 * <p>Every capability a task holds is installed here, at boot; nothing else connects them. With
 * {@link Config#crashAtRead} the file server's first run faults while holding a client's read: that
 * client gets PEER_DIED, the supervisor restarts the file server, which registers again (revoking
 * every capability looked up before), and the clients recover by looking the name up again and
 * reopening their files. {@link Client} says what every call ended in.
 */
public final class SystemImage {
    /** The name the file server registers. */
    public static final String FILES = "files";
    /** The shared file every client reads, and its contents. */
    public static final String README = "readme.txt";
    /** README's contents. */
    public static final String README_TEXT = "capipc: a whole small system, served by a file server task.\n";
    /** The large files read by windows. */
    public static final List<String> BIG = List.of("big-a.bin", "big-b.bin");

    // Slots. The name server's Space:
    static final int NS_EP = 0;
    static final int NS_RECV = 1;
    static final int NS_OUTBOX = 2;
    static final int FAULT = 3; // in each supervised Space: its fault capability (to the supervisor)
    static final int POOL = 8;
    static final int POOL_SLOTS = 40;
    // The file server's Space:
    static final int FS_EP = 0;
    static final int FS_SERVICE = 1;
    static final int FS_NAMES = 2;
    // The supervisor's Space:
    static final int SUP_EP = 0;
    static final int SUP_NAMES_TASK = 1;
    static final int SUP_FILES_TASK = 2;

    /**
     * What to boot.
     *
     * @param dir the directory the file server serves (made and filled by {@link #prepare})
     * @param clients how many clients, 1..{@value #MAX_CLIENTS}
     * @param callsPerClient how many file operations each client makes (each a write, a read back or a read)
     * @param crashAtRead the file server's first run faults at this read (counting from 1); 0: never
     * @param bigBytes the size of each large file
     * @param cacheBytes the file server's region cache bound
     */
    public record Config(Path dir, int clients, int callsPerClient, int crashAtRead, int bigBytes, long cacheBytes) {
        /** Checks the values. */
        public Config {
            if (clients < 1 || clients > MAX_CLIENTS) {
                throw new IllegalArgumentException("clients is 1.." + MAX_CLIENTS + ", was " + clients);
            }
            if (callsPerClient < 1 || crashAtRead < 0 || bigBytes < 1 || cacheBytes < bigBytes) {
                throw new IllegalArgumentException("calls >= 1, crashAtRead >= 0, bigBytes >= 1, cacheBytes >= bigBytes: " + this);
            }
        }
    }

    /**
     * The most clients: an endpoint tracks 16 badges at once, and the name server's endpoint also
     * counts the file server's badge (and the supervisor's endpoint the two servers').
     */
    public static final int MAX_CLIENTS = 14;

    private final Kernel kernel;
    private final Config config;
    private final AtomicReference<Supervisor> supervisor = new AtomicReference<>();
    private final AtomicReference<NameServer> names = new AtomicReference<>();
    private final AtomicReference<FileServer> files = new AtomicReference<>();
    private final AtomicInteger fileServerRuns = new AtomicInteger();
    private final AtomicInteger nameServerRuns = new AtomicInteger();
    private final List<Client> clients = new ArrayList<>();
    private final List<TaskHandle> clientTasks = new ArrayList<>();
    private TaskHandle namesTask;
    private TaskHandle filesTask;
    private TaskHandle supervisorTask;

    /** Fills {@code dir} with the files the clients expect (README and the large files). */
    public static void prepare(Path dir, int bigBytes) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(README), README_TEXT);
            for (int i = 0; i < BIG.size(); i++) {
                Files.write(dir.resolve(BIG.get(i)), Client.bigContents(bigBytes, i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Boots the system on {@code kernel}, starting each task with {@code start} (a runtime's start),
     * timing the supervisor's restarts by {@code clock}.
     */
    public SystemImage(Kernel kernel, Config config, BiConsumer<TaskHandle, TaskBody> start, LongSupplier clock) {
        this.kernel = kernel;
        this.config = config;
        ObjectHandle nsEp = kernel.createEndpoint();
        ObjectHandle fsEp = kernel.createEndpoint();
        ObjectHandle supEp = kernel.createEndpoint();

        SpaceHandle ns = kernel.createSpace("names", POOL + POOL_SLOTS);
        kernel.install(ns, NS_EP, nsEp, Rights.READ | Rights.GRANT, 0);
        kernel.install(ns, FAULT, supEp, Rights.WRITE, Supervisor.faultBadge(0));
        namesTask = kernel.createTask(ns, "names", FAULT);

        SpaceHandle fs = kernel.createSpace("files", POOL + POOL_SLOTS);
        kernel.install(fs, FS_EP, fsEp, Rights.READ | Rights.GRANT, 0);
        kernel.install(fs, FS_SERVICE, fsEp, Rights.WRITE | Rights.GRANT, 0);
        kernel.install(fs, FS_NAMES, nsEp, Rights.WRITE | Rights.GRANT, NameRights.badge(1, NameRights.REGISTER));
        kernel.install(fs, FAULT, supEp, Rights.WRITE, Supervisor.faultBadge(1));
        filesTask = kernel.createTask(fs, "files", FAULT);

        SpaceHandle sup = kernel.createSpace("supervisor", 4);
        kernel.install(sup, SUP_EP, supEp, Rights.READ, 0);
        kernel.install(sup, SUP_NAMES_TASK, kernel.taskObject(namesTask), Rights.READ | Rights.WRITE, 0);
        kernel.install(sup, SUP_FILES_TASK, kernel.taskObject(filesTask), Rights.READ | Rights.WRITE, 0);
        supervisorTask = kernel.createTask(sup, "supervisor");

        start.accept(supervisorTask, s -> {
            Supervisor v = new Supervisor(s, SUP_EP,
                    List.of(new Supervisor.Child("names", SUP_NAMES_TASK), new Supervisor.Child("files", SUP_FILES_TASK)),
                    RestartPolicy.ONE_FOR_ONE, new Intensity(3, 10_000_000_000L), clock)
                    .knownFaults(List.of(InjectedFault.class));
            supervisor.set(v);
            var _ = v.serve();
        });
        start.accept(namesTask, s -> {
            NameServer n = new NameServer(s, NS_EP, NS_RECV, NS_OUTBOX, new SlotPool(POOL, POOL_SLOTS));
            names.set(n);
            var _ = n.serve(nameServerRuns.getAndIncrement() > 0);
        });
        RegionSource regions = (file, slot) -> {
            try {
                long size = Files.size(file);
                kernel.install(fs, slot, kernel.createRegion(file), Rights.ALL, 0);
                return size;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        };
        start.accept(filesTask, s -> {
            FileServer f = new FileServer(s, FS_EP, config.dir(), regions, new SlotPool(POOL, POOL_SLOTS), 8,
                    config.cacheBytes());
            int run = fileServerRuns.getAndIncrement();
            if (run == 0 && config.crashAtRead() > 0) {
                f.crashAtRead(config.crashAtRead());
            }
            files.set(f);
            try {
                new NamesClient(s, FS_NAMES).register(MemorySegment.ofArray(FILES.getBytes(StandardCharsets.US_ASCII)),
                        FS_SERVICE, true);
            } catch (IpcException e) {
                throw new IllegalStateException("the file server could not register: " + e.getMessage(), e);
            }
            var _ = f.serve(run > 0);
        });

        for (int i = 1; i <= config.clients(); i++) {
            SpaceHandle cs = kernel.createSpace("client-" + i, 8);
            kernel.install(cs, Client.NAMES, nsEp, Rights.WRITE | Rights.GRANT, NameRights.badge(1 + i, NameRights.LOOKUP));
            kernel.install(cs, Client.UNTYPED, kernel.createUntyped(4096), Rights.ALL, 0);
            TaskHandle t = kernel.createTask(cs, "client-" + i);
            Client c = new Client(i, config.callsPerClient(), i == 1, config.bigBytes());
            clients.add(c);
            clientTasks.add(t);
            start.accept(t, c::run);
        }
    }

    /** The clients, in order. */
    public List<Client> clients() {
        return List.copyOf(clients);
    }

    /** The clients' tasks, in order. */
    public List<TaskHandle> clientTasks() {
        return List.copyOf(clientTasks);
    }

    /** The file server's task. */
    public TaskHandle filesTask() {
        return filesTask;
    }

    /** The name server's task. */
    public TaskHandle namesTask() {
        return namesTask;
    }

    /** The supervisor's task. */
    public TaskHandle supervisorTask() {
        return supervisorTask;
    }

    /** The supervisor's newest report, or null before it started. */
    public @Nullable SupervisorReport supervisorReport() {
        Supervisor s = supervisor.get();
        return s == null ? null : s.report();
    }

    /** The current file server run's counters, or null before it started. */
    public FileServer.@Nullable Stats fileStats() {
        FileServer f = files.get();
        return f == null ? null : f.stats();
    }

    /** How many times the file server's body started. */
    public int fileServerRuns() {
        return fileServerRuns.get();
    }

    /** The name server, or null before it started. */
    public @Nullable NameServer nameServer() {
        return names.get();
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** The kernel. */
    public Kernel kernel() {
        return kernel;
    }
}
