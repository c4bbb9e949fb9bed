package io.capipc.system.file;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.servers.Caller;
import io.capipc.servers.IpcException;
import io.capipc.servers.Leased;
import io.capipc.servers.Server;
import io.capipc.system.InjectedFault;
import io.capipc.system.SlotPool;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The file server: one task serving one directory on disk through {@link FileService}.
 *
 * <p><b>Clients.</b> Each client's badge has a session holding its open files; a handle is the
 * file's index in the session with a generation above it, so another client's handle, or a closed
 * one, is BAD_HANDLE. When the badge disconnects, its files are closed and their windows revoked.
 *
 * <p><b>Small transfers</b> go through the caller's leases: {@code read} copies the file through one
 * direct buffer of the server's into the caller's receive buffer with Write, {@code write} the other
 * way with Read. After warm-up a read allocates nothing on the server.
 *
 * <p><b>Large reads</b> go by window. A file's region (a mapping of the file, made by the boot code's
 * {@link RegionSource}) is kept in a Caffeine cache bounded by bytes (each region weighs its size);
 * {@code window} carves a window of it into a slot of the server's and answers with a child of it, so
 * the client maps the file's pages in place. The server keeps every window it handed out, and revokes
 * it (the client's capability and mapping go with it) when the handle is closed, the client's badge
 * disconnects, or the cache drops the region: evicted for space, or invalidated because a write
 * changed the file's size. Caffeine runs its maintenance and the removal listener on the server's own
 * thread ({@code executor(Runnable::run)}), since only that thread may make the server's syscalls.
 *
 * <p><b>Paths</b> are checked by {@link PathGuard} before the file system is touched.
 */
public final class FileServer implements FileServiceServer {
    /** A region of the cache: a file's mapping in {@code slot}, and the windows carved from it. */
    static final class Region {
        final Path path;
        final int slot;
        final long size;
        final List<Window> windows = new ArrayList<>();
        boolean gone;

        Region(Path path, int slot, long size) {
            this.path = path;
            this.slot = slot;
            this.size = size;
        }
    }

    /** A window handed out: the server's slot holding it, the region and open file it belongs to. */
    static final class Window {
        final int slot;
        final Region region;
        final OpenFile file;

        Window(int slot, Region region, OpenFile file) {
            this.slot = slot;
            this.region = region;
            this.file = file;
        }
    }

    /** An open file of a client. */
    static final class OpenFile {
        final Path path;
        final FileChannel channel;
        final boolean writable;
        final long handle;
        final List<Window> windows = new ArrayList<>();

        OpenFile(Path path, FileChannel channel, boolean writable, long handle) {
            this.path = path;
            this.channel = channel;
            this.writable = writable;
            this.handle = handle;
        }
    }

    /** A badge's session: its open files by index. */
    static final class Client {
        final @Nullable OpenFile[] files;
        int generation;

        Client(int maxOpen) {
            files = new OpenFile[maxOpen];
        }
    }

    /** Bytes of the server's buffer for Read and Write transfers. */
    public static final int CHUNK = 64 * 1024;
    private static final int HANDLE_INDEX_BITS = 8;
    private static final int REGION_TRIES = 3;

    private final Syscalls sys;
    private final int endpoint;
    private final PathGuard guard;
    private final RegionSource regions;
    private final SlotPool pool;
    private final int maxOpen;
    private final long cacheBytes;
    private final Cache<Path, Region> cache;
    private final byte[] pathBytes = new byte[PathGuard.MAX_PATH];
    private final MemorySegment pathSegment = MemorySegment.ofArray(pathBytes);
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
    private final MemorySegment bufferSegment = MemorySegment.ofBuffer(buffer);
    private MemorySegment partial = bufferSegment;
    private long crashAtRead = -1;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong windows = new AtomicLong();
    private final AtomicLong windowsRevoked = new AtomicLong();
    private final AtomicLong regionsDropped = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    /**
     * A file server for the task {@code sys} on the endpoint in {@code endpoint} (READ and GRANT),
     * serving {@code root}, making regions with {@code regions} into {@code pool}'s slots (which also
     * hold the windows), at most {@code maxOpen} (1..255) files open per client and {@code cacheBytes}
     * of regions cached at once.
     */
    public FileServer(Syscalls sys, int endpoint, Path root, RegionSource regions, SlotPool pool, int maxOpen,
                      long cacheBytes) {
        if (maxOpen < 1 || maxOpen >= 1 << HANDLE_INDEX_BITS) {
            throw new IllegalArgumentException("maxOpen is 1..255, was " + maxOpen);
        }
        if (cacheBytes < 1) {
            throw new IllegalArgumentException("cacheBytes is 1 or more, was " + cacheBytes);
        }
        this.sys = sys;
        this.endpoint = endpoint;
        this.guard = new PathGuard(root);
        this.regions = regions;
        this.pool = pool;
        this.maxOpen = maxOpen;
        this.cacheBytes = cacheBytes;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(cacheBytes)
                .weigher((Path p, Region r) -> (int) Math.min(Integer.MAX_VALUE, Math.max(1, r.size)))
                .executor(Runnable::run)
                .removalListener((@Nullable Path p, @Nullable Region r, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
                    if (r != null) {
                        dropped(r);
                    }
                })
                .build();
    }

    /** The server loop: a session per badge, its files closed when the badge disconnects. */
    public Server server() {
        return Server.builder(endpoint, new FileServiceDispatcher(this))
                .sessions(badge -> new Client(maxOpen), (badge, session) -> disconnected((Client) session))
                .build();
    }

    /** Empties the pool (a restarted server's leftovers: their windows are revoked), then serves until stopped. */
    public Status serve() {
        return serve(true);
    }

    /**
     * Serves until stopped, emptying the pool first if {@code leftovers} (a restarted server's
     * Space still holds what its previous run put there); a first run may skip that.
     */
    public Status serve(boolean leftovers) {
        if (leftovers) {
            pool.reset(sys);
        }
        return server().serve(sys);
    }

    @Override
    public long open(Caller caller, Leased path, FileService.Mode mode) throws IpcException {
        Client c = caller.session(Client.class);
        Path p = guard.resolve(pathBytes, readPath(path), mode == FileService.Mode.CREATE);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw refuse(FileService.Error.NOT_A_FILE);
        }
        int index = -1;
        for (int i = 0; i < c.files.length && index < 0; i++) {
            if (c.files[i] == null) {
                index = i;
            }
        }
        if (index < 0) {
            throw refuse(FileService.Error.TOO_MANY_OPEN);
        }
        boolean writable = mode != FileService.Mode.READ;
        FileChannel ch;
        try {
            ch = writable
                    ? (mode == FileService.Mode.CREATE
                        ? FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                                LinkOption.NOFOLLOW_LINKS)
                        : FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS))
                    : FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw refuse(FileService.Error.NOT_FOUND);
        } catch (IOException e) {
            throw refuse(FileService.Error.IO_ERROR);
        }
        long handle = ((long) ++c.generation << HANDLE_INDEX_BITS) | (index + 1);
        c.files[index] = new OpenFile(p, ch, writable, handle);
        return handle;
    }

    /**
     * Makes the {@code n}-th read (counting from 1) fault the server while it holds the call, with an
     * {@link InjectedFault}: the demo's crash, and the tests' server that faults mid-call.
     */
    public FileServer crashAtRead(long n) {
        crashAtRead = n;
        return this;
    }

    @Override
    public long read(Caller caller, long handle, long offset, Leased into) throws IpcException {
        OpenFile f = file(caller, handle);
        if (reads.get() + 1 == crashAtRead) {
            throw new InjectedFault("file server: injected crash at read " + crashAtRead);
        }
        long size = size(f);
        if (offset < 0 || offset > size) {
            throw refuse(FileService.Error.PAST_END);
        }
        long n = Math.min(into.size(), size - offset);
        long done = 0;
        try {
            while (done < n) {
                int chunk = (int) Math.min(CHUNK, n - done);
                buffer.clear().limit(chunk);
                int got = f.channel.read(buffer, offset + done);
                if (got <= 0) {
                    break; // the file shrank under us: what was there is what is answered
                }
                Status s = into.write(done, slice(got));
                if (s != Status.OK) {
                    throw IpcException.of(s); // the caller gave up (CANCELLED): nobody to answer
                }
                done += got;
            }
        } catch (IOException e) {
            throw refuse(FileService.Error.IO_ERROR);
        }
        reads.incrementAndGet();
        bytesRead.addAndGet(done);
        return done;
    }

    @Override
    public long write(Caller caller, long handle, long offset, Leased from) throws IpcException {
        OpenFile f = file(caller, handle);
        if (!f.writable) {
            throw refuse(FileService.Error.NOT_WRITABLE);
        }
        long size = size(f);
        if (offset < 0 || offset > size) {
            throw refuse(FileService.Error.PAST_END);
        }
        long n = from.size();
        long done = 0;
        try {
            while (done < n) {
                int chunk = (int) Math.min(CHUNK, n - done);
                Status s = from.read(done, slice(chunk));
                if (s != Status.OK) {
                    throw IpcException.of(s);
                }
                buffer.clear().limit(chunk);
                while (buffer.hasRemaining()) {
                    f.channel.write(buffer, offset + done + buffer.position());
                }
                done += chunk;
            }
            if (f.channel.size() != size) {
                cache.invalidate(f.path); // the cached region no longer covers the file: its windows go
            }
        } catch (IOException e) {
            throw refuse(FileService.Error.IO_ERROR);
        }
        writes.incrementAndGet();
        return done;
    }

    @Override
    public long stat(Caller caller, Leased path) throws IpcException {
        Path p = guard.resolve(pathBytes, readPath(path), false);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw refuse(FileService.Error.NOT_A_FILE);
        }
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw refuse(FileService.Error.IO_ERROR);
        }
    }

    @Override
    public long list(Caller caller, Leased path, Leased names) throws IpcException {
        Path p = guard.resolve(pathBytes, readPath(path), false);
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw refuse(FileService.Error.NOT_A_DIRECTORY);
        }
        StringBuilder listing = new StringBuilder();
        try (Stream<Path> entries = Files.list(p)) {
            entries.map(e -> String.valueOf(e.getFileName())).sorted().forEach(n -> listing.append(n).append('\n'));
        } catch (IOException e) {
            throw refuse(FileService.Error.IO_ERROR);
        }
        byte[] bytes = listing.toString().getBytes(StandardCharsets.UTF_8);
        Status s = names.write(0, MemorySegment.ofArray(bytes)); // as much as fits
        if (s != Status.OK) {
            throw IpcException.of(s);
        }
        return bytes.length;
    }

    @Override
    public void close(Caller caller, long handle) throws IpcException {
        OpenFile f = file(caller, handle);
        closeFile(f);
        caller.session(Client.class).files[(int) (handle & ((1 << HANDLE_INDEX_BITS) - 1)) - 1] = null;
    }

    @Override
    public int window(Caller caller, long handle, long offset, long length) throws IpcException {
        OpenFile f = file(caller, handle);
        long size = size(f);
        if (offset < 0 || length < 1 || offset > size || length > size - offset) {
            throw refuse(FileService.Error.PAST_END);
        }
        if (size > cacheBytes) {
            throw refuse(FileService.Error.TOO_LARGE);
        }
        Region r = region(f.path, size);
        int slot = pool.take();
        if (slot < 0) {
            throw refuse(FileService.Error.BUSY);
        }
        int rights = f.writable ? Rights.READ | Rights.WRITE : Rights.READ;
        Status s = sys.carve(r.slot, offset, length, rights, slot);
        if (s != Status.OK) {
            pool.giveBack(sys, slot);
            throw new IllegalStateException("carving a window of " + f.path + ": " + s + " (" + sys.ipc().reason() + ")");
        }
        Window w = new Window(slot, r, f);
        r.windows.add(w);
        f.windows.add(w);
        windows.incrementAndGet();
        return slot;
    }

    /** The region of {@code path} covering {@code size} bytes, from the cache or made now. */
    private Region region(Path path, long size) throws IpcException {
        for (int i = 0; i < REGION_TRIES; i++) {
            Region r = cache.getIfPresent(path);
            if (r == null) {
                makeRoom(size);
                r = load(path);
                if (r == null) {
                    throw refuse(FileService.Error.BUSY); // no slot for it, or the region could not be made
                }
                cache.put(path, r); // may evict others, or this one at once (then r.gone)
            }
            if (!r.gone && r.size != size) {
                cache.invalidate(path); // made before the file changed size
                continue;
            }
            if (!r.gone) {
                return r;
            }
            // Turned away by the cache's admission policy as it came in: each try raises its frequency.
        }
        throw refuse(FileService.Error.BUSY);
    }

    /**
     * Drops the coldest regions (in the cache's own order) until one of {@code size} bytes fits, so
     * the region a client asks for now is not turned away by the admission policy: the asker wins,
     * and the windows of what is dropped are revoked.
     */
    private void makeRoom(long size) {
        cache.cleanUp();
        var eviction = cache.policy().eviction().orElseThrow();
        while (eviction.weightedSize().orElse(0) + size > cacheBytes) {
            var coldest = eviction.coldest(1);
            if (coldest.isEmpty()) {
                return;
            }
            cache.invalidate(coldest.keySet().iterator().next());
            cache.cleanUp();
        }
    }

    private @Nullable Region load(Path path) {
        int slot = pool.take();
        if (slot < 0) {
            return null;
        }
        long size = regions.install(path, slot);
        if (size < 0) {
            pool.giveBack(sys, slot);
            return null;
        }
        return new Region(path, slot, size);
    }

    /**
     * The cache dropped {@code r}: every window of it revoked, then the region's own capability. Each
     * is tried even if one before it failed (a failure means the server's own slots are not what it
     * thinks, which no client causes); the first failure is then thrown, and Caffeine logs it.
     */
    private void dropped(Region r) {
        r.gone = true;
        @Nullable RuntimeException first = null;
        for (Window w : r.windows) {
            w.file.windows.remove(w);
            try {
                revoke(w);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        r.windows.clear();
        try {
            pool.giveBack(sys, r.slot);
        } catch (RuntimeException e) {
            first = first == null ? e : first;
        }
        regionsDropped.incrementAndGet();
        if (first != null) {
            throw first;
        }
    }

    private void closeFile(OpenFile f) {
        for (Window w : f.windows) {
            w.region.windows.remove(w);
            revoke(w);
        }
        f.windows.clear();
        try {
            f.channel.close();
        } catch (IOException e) {
            // closing a channel we only read or wrote through: nothing left to lose
        }
    }

    private void revoke(Window w) {
        pool.giveBack(sys, w.slot); // Revoke takes the client's capability, and its mapping, with it
        windowsRevoked.incrementAndGet();
    }

    private void disconnected(Client c) {
        for (int i = 0; i < c.files.length; i++) {
            OpenFile f = c.files[i];
            if (f != null) {
                closeFile(f);
                c.files[i] = null;
            }
        }
    }

    private OpenFile file(Caller caller, long handle) throws IpcException {
        Client c = caller.session(Client.class);
        int index = (int) (handle & ((1 << HANDLE_INDEX_BITS) - 1)) - 1;
        OpenFile f = index >= 0 && index < c.files.length ? c.files[index] : null;
        if (f == null || f.handle != handle) {
            throw refuse(FileService.Error.BAD_HANDLE);
        }
        return f;
    }

    private long size(OpenFile f) throws IpcException {
        try {
            return f.channel.size();
        } catch (IOException e) {
            throw refuse(FileService.Error.IO_ERROR);
        }
    }

    /** The first {@code n} bytes of the buffer, as a segment; the last partial length is kept, so a steady read allocates nothing. */
    private MemorySegment slice(int n) {
        if (n == CHUNK) {
            return bufferSegment;
        }
        if (partial.byteSize() != n) {
            partial = bufferSegment.asSlice(0, n);
        }
        return partial;
    }

    private int readPath(Leased path) throws IpcException {
        long size = path.size();
        if (size > PathGuard.MAX_PATH) {
            throw refuse(FileService.Error.PATH_TOO_LONG);
        }
        if (size < 1) {
            throw refuse(FileService.Error.BAD_PATH);
        }
        if (path.read(0, pathSegment.asSlice(0, size)) != Status.OK || path.count() != size) {
            throw refuse(FileService.Error.BAD_PATH);
        }
        return (int) size;
    }

    private IpcException refuse(FileService.Error error) {
        refusals.incrementAndGet();
        return IpcException.of(error);
    }

    /** What the server did so far (for the CLI and tests; from any thread). */
    public Stats stats() {
        return new Stats(reads.get(), bytesRead.get(), writes.get(), windows.get(), windowsRevoked.get(),
                regionsDropped.get(), refusals.get());
    }

    /** Bytes of regions the cache holds now (the server's thread only). */
    long cachedBytes() {
        cache.cleanUp();
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /**
     * Counters of a file server.
     *
     * @param reads reads answered
     * @param bytesRead bytes those reads copied
     * @param writes writes answered
     * @param windows windows handed out
     * @param windowsRevoked windows revoked (closed, disconnected, or their region dropped)
     * @param regionsDropped regions the cache dropped (evicted for space, or invalidated by a size change)
     * @param refusals requests answered with an error
     */
    public record Stats(long reads, long bytesRead, long writes, long windows, long windowsRevoked,
                        long regionsDropped, long refusals) {}
}
