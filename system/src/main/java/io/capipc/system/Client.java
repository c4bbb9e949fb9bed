package io.capipc.system;

import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.servers.IpcException;
import io.capipc.system.file.FileService;
import io.capipc.system.file.FileServiceClient;
import io.capipc.system.name.Names;
import io.capipc.system.name.NamesClient;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A client of the whole system ({@link SystemImage}): it finds the file server by name, then makes
 * its file operations in turn: write its own file, read it back, read the shared README (the first
 * client also reads a large file by windows, every other time). It checks every answer against
 * what it knows the bytes are.
 *
 * <p><b>Every call ends.</b> An operation ends in a right answer, a wrong one (counted), or a
 * failure it recovers from: a transport failure (PEER_DIED when the file server dies holding the
 * call; INVALID_CAPABILITY or REVOKED when its looked-up capability was revoked because the file
 * server registered again; TIMEOUT) or BAD_HANDLE (a restarted server knows no old handle). To
 * recover it looks the file server up again (waiting on its watch notification while the name is
 * gone) and reopens its file, then tries the operation again, at most {@value #TRIES} times. Each
 * call has a timeout, so nothing waits for ever. What each failure was is counted, by name.
 */
public final class Client {
    static final int NAMES = 0;
    static final int UNTYPED = 1;
    static final int FILES = 2;
    static final int WATCH = 3;
    static final int WIN = 4;
    public static final int TRIES = 8;
    static final long CALL_TIMEOUT = 10_000_000_000L;

    private final int number;
    private final int calls;
    private final boolean reader;
    private final int bigBytes;
    private final String own;
    private final AtomicLong ops = new AtomicLong();
    private final AtomicLong right = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final AtomicLong recoveries = new AtomicLong();
    private final AtomicLong windowBytes = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final List<String> wrongs = new CopyOnWriteArrayList<>();
    private volatile boolean finished;


    Client(int number, int calls, boolean reader, int bigBytes) {
        this.number = number;
        this.calls = calls;
        this.reader = reader;
        this.bigBytes = bigBytes;
        this.own = String.format("client-%02d.txt", number);
    }

    /** The body of the client's task. */
    void run(Syscalls s) {
        new Session(s).run();
    }

    /** One run of the client's body: its syscalls, its capabilities, its open file. */
    private final class Session {
        private final Syscalls sys;
        private final NamesClient names;
        private @Nullable FileServiceClient files;
        private long fd = -1;
        private String written = "";

        Session(Syscalls s) {
            sys = s;
            names = new NamesClient(s, NAMES).timeout(CALL_TIMEOUT);
        }

        void run() {
            try {
                names.donate(UNTYPED);
                int unused = names.receiveSlot(WATCH).watch(name(SystemImage.FILES));
            } catch (IpcException e) {
                wrong("setting up its watch: " + e.getMessage());
                finished = true;
                return;
            }
            for (int c = 0; c < calls; c++) {
                operation(c);
            }
            FileServiceClient f = files;
            if (fd >= 0 && f != null) {
                try {
                    f.close(fd);
                } catch (IpcException e) {
                    failed(e); // the server may have gone again; nothing is left to check
                }
            }
            finished = true;
        }

        private void operation(int c) {
            ops.incrementAndGet();
            for (int t = 0; t < TRIES; t++) {
                try {
                    FileServiceClient f = files;
                    if (f == null) {
                        f = connect();
                    }
                    String problem = switch (c % 3) {
                        case 0 -> writeOwn(f, c);
                        case 1 -> readOwn(f);
                        default -> readShared(f, c);
                    };
                    if (problem == null) {
                        right.incrementAndGet();
                    } else {
                        wrong(problem);
                    }
                    return;
                } catch (IpcException e) {
                    if (e.isAnswer() && e.error() != FileService.Error.BAD_HANDLE && e.error() != Names.Error.NOT_FOUND) {
                        wrong("operation " + c + " answered " + e.getMessage());
                        return;
                    }
                    failed(e);
                    files = null; // look the server up again, reopen
                    fd = -1;
                } catch (IllegalStateException e) {
                    failures.computeIfAbsent("window revoked while mapped", k -> new AtomicLong()).incrementAndGet();
                    recoveries.incrementAndGet();
                }
            }
            wrong("operation " + c + " failed " + TRIES + " times");
        }

        /** Looks the file server up, waiting on the watch while the name is gone. */
        private FileServiceClient connect() throws IpcException {
            var _ = sys.delete(FILES); // a revoked or stale capability: empty the slot for the new one
            for (int t = 0; ; t++) {
                try {
                    int slot = names.receiveSlot(FILES).lookup(name(SystemImage.FILES));
                    FileServiceClient f = new FileServiceClient(sys, slot).timeout(CALL_TIMEOUT).receiveSlot(WIN);
                    files = f;
                    return f;
                } catch (IpcException e) {
                    if (e.error() != Names.Error.NOT_FOUND || t == TRIES) {
                        throw e;
                    }
                    var _ = sys.waitNotification(WATCH, CALL_TIMEOUT); // CHANGED when it is registered again
                }
            }
        }

        private @Nullable String writeOwn(FileServiceClient f, int c) throws IpcException {
            if (fd < 0) {
                fd = f.open(name(own), FileService.Mode.CREATE);
            }
            String text = String.format("client %02d wrote call %07d%n", number, c);
            long n = f.write(fd, 0, name(text));
            written = text;
            return n == text.length() ? null : "write answered " + n + " of " + text.length() + " bytes";
        }

        private @Nullable String readOwn(FileServiceClient f) throws IpcException {
            if (fd < 0) {
                fd = f.open(name(own), FileService.Mode.CREATE);
            }
            byte[] buf = new byte[64];
            long n = f.read(fd, 0, MemorySegment.ofArray(buf));
            String got = new String(buf, 0, (int) n, StandardCharsets.US_ASCII);
            return got.equals(written) ? null : "read back '" + got.trim() + "', wrote '" + written.trim() + "'";
        }

        private @Nullable String readShared(FileServiceClient f, int c) throws IpcException {
            long h = f.open(name(SystemImage.README), FileService.Mode.READ);
            byte[] buf = new byte[256];
            long n = f.read(h, 0, MemorySegment.ofArray(buf));
            f.close(h);
            String got = new String(buf, 0, (int) n, StandardCharsets.US_ASCII);
            if (!got.equals(SystemImage.README_TEXT)) {
                return "README read as '" + got.trim() + "'";
            }
            return reader && c % 6 == 2 ? readBig(f, (c / 6) % SystemImage.BIG.size()) : null;
        }

        /** Reads a large file by windows of a quarter of it, mapping each and checking every byte. */
        private @Nullable String readBig(FileServiceClient f, int which) throws IpcException {
            long h = f.open(name(SystemImage.BIG.get(which)), FileService.Mode.READ);
            try {
                long size = f.stat(name(SystemImage.BIG.get(which)));
                long step = Math.max(1, size / 4);
                for (long off = 0; off < size; off += step) {
                    long len = Math.min(step, size - off);
                    int slot = f.window(h, off, len);
                    if (sys.map(slot) != Status.OK) {
                        return "a window of " + SystemImage.BIG.get(which) + " could not be mapped: " + sys.ipc().reason();
                    }
                    MemorySegment view = sys.ipc().mapping();
                    for (long j = 0; j < len; j++) {
                        if (view.get(ValueLayout.JAVA_BYTE, j) != bigByte(off + j, which)) {
                            return SystemImage.BIG.get(which) + " differs at byte " + (off + j);
                        }
                    }
                    windowBytes.addAndGet(len);
                    var _ = sys.delete(slot); // our copy; the server revokes its own at close
                }
                return size == bigBytes ? null : SystemImage.BIG.get(which) + " has " + size + " bytes";
            } finally {
                f.close(h);
            }
        }
    }

    private void failed(IpcException e) {
        String what = e.isAnswer() ? String.valueOf(e.error()) : e.status().name();
        failures.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
        recoveries.incrementAndGet();
    }

    private void wrong(String what) {
        wrong.incrementAndGet();
        if (wrongs.size() < 5) {
            wrongs.add("client-" + number + ": " + what);
        }
    }

    static MemorySegment name(String s) {
        return MemorySegment.ofArray(s.getBytes(StandardCharsets.US_ASCII));
    }

    static byte bigByte(long i, int which) {
        return (byte) (i * 31 + (i >>> 9) + 7 * (which + 1));
    }

    static byte[] bigContents(int n, int which) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = bigByte(i, which);
        }
        return b;
    }

    /** The client's number, from 1. */
    public int number() {
        return number;
    }

    /** Operations made. */
    public long operations() {
        return ops.get();
    }

    /** Operations whose answer was right. */
    public long right() {
        return right.get();
    }

    /** Operations whose answer was wrong, or that never got one. */
    public long wrong() {
        return wrong.get();
    }

    /** Failures it recovered from (each followed by another try). */
    public long recoveries() {
        return recoveries.get();
    }

    /** Bytes it read by windows. */
    public long windowBytes() {
        return windowBytes.get();
    }

    /** The failures it recovered from, by name (PEER_DIED, INVALID_CAPABILITY, BAD_HANDLE...). */
    public Map<String, Long> failures() {
        Map<String, Long> m = new TreeMap<>();
        failures.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** The first few wrong answers, described. */
    public List<String> wrongs() {
        return List.copyOf(wrongs);
    }

    /** True once its body ended normally. */
    public boolean finished() {
        return finished;
    }
}
