package io.capipc.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The least a kernel's Call and ReplyWait must do, laid out as issue 23's design would lay them
 * out: the floor of that design, to set against the protocol floor ({@link RendezvousPingPong})
 * before building it (docs/benchmarks.md, "The line budget of a round trip").
 *
 * <p>Beyond the protocol floor, each transition takes a per-endpoint lock (a compare-and-set on the
 * word beside the endpoint's queue, so it costs the line the queue costs anyway), reads the
 * kernel-wide "exclusive" flag a slow-path syscall would raise (a line nobody writes here),
 * checks the capability it goes through (a read-only line; Call only), checks and changes both tasks' states
 * and the caller context's generation and holder, writes the status, and releases the lock before
 * it wakes the partner. Every task's hot state lives on the first line of its mailbox, beside its
 * wake flag, status, info, badge and first registers, so a transition writes the endpoint's line,
 * the partner's mailbox line and its own. Nothing else: no decode beyond one capability, no
 * tracing, no generality. What it costs over the protocol floor is what the design cannot save.
 *
 * <p>One native segment, 128-byte aligned, each part 128 bytes from the next (Zen's adjacent-line
 * prefetch pairs lines within 128 bytes): the endpoint (lock, queued receiver), the read-only line
 * (exclusive flag, the capability), the server's mailbox (two lines) and the client's (two lines).
 */
final class HotLinePingPong {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    // The endpoint.
    private static final long LOCK_AT = 0;
    private static final long QUEUED = 8;
    // The read-only line: the exclusive flag and the client's capability (object, rights, badge).
    private static final long EXCLUSIVE = 128;
    private static final long CAP_OBJECT = 136;
    private static final long CAP_RIGHTS = 144;
    private static final long CAP_BADGE = 152;
    // A mailbox: its first line (flags, state, context, info, badge, status, register 0), then registers 1-7 on the next.
    private static final long SERVER = 256;
    private static final long CLIENT = 512;
    private static final long SIGNAL = 0;
    private static final long PARKED = 8;
    private static final long STATE = 12;
    /** The caller context: the server holds its generation; the client's records the generation and its holder. */
    private static final long CONTEXT = 16;
    private static final long HOLDER = 24;
    private static final long INFO = 32;
    private static final long BADGE = 40;
    private static final long STATUS = 48;
    private static final long MR = 56;

    private static final int RUNNING = 1;
    private static final int BLOCKED_ON_RECEIVE = 2;
    private static final int BLOCKED_ON_REPLY = 3;
    private static final long ENDPOINT = 7;
    private static final long WRITE = 2;
    private static final long SERVER_ID = 11;
    private static final long OK = 1;

    /**
     * {@code parts}: the per-endpoint lock, with the capability check and the exclusive flag's read
     * that go with it (without it, the endpoint word is taken by compare-and-set as the protocol
     * floor's, and the echo waits on it again after its wake instead of before).
     */
    static final int LOCK = 1;
    /** {@code parts}: each side records its own state on its own mailbox line (without it, only the partner's line). */
    static final int OWN_LINE = 2;
    static final int ALL = LOCK | OWN_LINE;

    /** 0 or 8: how many registers each message carries. */
    private final int registers;
    /** Which parts of the design run: {@link #ALL} in PairedRatio, fewer in {@link HotLineParts}, to price each. */
    private final boolean locked;
    private final boolean ownLine;
    private final MemorySegment m = Arena.ofAuto().allocate(768, 128);
    /**
     * The client's sequence ({@code [SEQ]}) and its sink for the parked flags it reads
     * ({@code [PARKED_SEEN]}), two lines from either end of the array: written every round trip, so
     * not on this object's line, which the echo thread polls ({@link #running}).
     */
    private final long[] clientOnly = new long[SEQ + 18];
    private static final int SEQ = 16;
    private static final int PARKED_SEEN = 17;
    /** The echo thread's sink, stored when it stops. */
    private int echoParkedSeen;
    private volatile boolean running = true;
    private final Thread echo = Thread.ofPlatform().daemon().name("hot-line-echo").unstarted(this::echo);

    HotLinePingPong(int registers) {
        this(registers, ALL);
    }

    HotLinePingPong(int registers, int parts) {
        if (registers != 0 && registers != 8) {
            throw new IllegalArgumentException("registers must be 0 or 8, was " + registers);
        }
        if ((parts & ~ALL) != 0) {
            throw new IllegalArgumentException("parts must be a subset of LOCK | OWN_LINE, was " + parts);
        }
        this.registers = registers;
        this.locked = (parts & LOCK) != 0;
        this.ownLine = (parts & OWN_LINE) != 0;
        m.set(ValueLayout.JAVA_LONG, CAP_OBJECT, ENDPOINT);
        m.set(ValueLayout.JAVA_LONG, CAP_RIGHTS, WRITE);
        m.set(ValueLayout.JAVA_LONG, CAP_BADGE, 5);
        m.set(ValueLayout.JAVA_INT, CLIENT + STATE, RUNNING);
    }

    HotLinePingPong start() {
        echo.start();
        return this;
    }

    /**
     * Sets the server up as waiting, for {@link #stepped} on one thread instead of an echo thread
     * ({@link #start}).
     */
    HotLinePingPong stepping() {
        waitOnEndpoint();
        return this;
    }

    /**
     * One round trip with both transitions stepped on the calling thread, as the deterministic
     * driver steps capipc's: no line moves and nobody waits, so this is the design's own code.
     * Returns the reply's sequence.
     */
    long stepped() {
        long s = ++clientOnly[SEQ];
        if (!call(s)) {
            throw new IllegalStateException("the server was not waiting");
        }
        int _ = replyWait(s);
        if ((long) LONG.getAcquire(m, CLIENT + SIGNAL) != s || m.get(ValueLayout.JAVA_INT, CLIENT + STATE) != RUNNING
                || m.get(ValueLayout.JAVA_LONG, CLIENT + STATUS) != OK) {
            throw new IllegalStateException("the reply did not arrive");
        }
        return s;
    }

    void stop() throws InterruptedException {
        running = false;
        echo.join();
    }

    /** One Call: take the waiting server, deliver, wake it, wait for the reply; returns the reply's sequence. */
    long roundTrip() {
        long s = ++clientOnly[SEQ];
        while (!call(s)) {
            Thread.onSpinWait();
        }
        while ((long) LONG.getAcquire(m, CLIENT + SIGNAL) != s) {
            Thread.onSpinWait();
        }
        if (m.get(ValueLayout.JAVA_INT, CLIENT + STATE) != RUNNING || m.get(ValueLayout.JAVA_LONG, CLIENT + STATUS) != OK) {
            throw new IllegalStateException("the reply left the client " + m.get(ValueLayout.JAVA_INT, CLIENT + STATE));
        }
        return s;
    }

    /** The client's register {@code i} (0-7), as the last reply left it. */
    long register(int i) {
        return m.get(ValueLayout.JAVA_LONG, CLIENT + MR + (long) i * 8);
    }

    /** The client's register 0, which each request carries plus one and each reply brings back (0 with no registers). */
    long firstRegister() {
        return register(0);
    }

    /** Sets the client's registers 1-7 to {@code base + i}, before any round trip: they travel there and back unchanged. */
    HotLinePingPong seedRegisters(long base) {
        for (int i = 1; i < 8; i++) {
            m.set(ValueLayout.JAVA_LONG, CLIENT + MR + (long) i * 8, base + i);
        }
        return this;
    }

    /** False if no receiver waits yet (nothing changed). */
    private boolean call(long s) {
        if (!takeReceiver()) {
            return false;
        }
        if (ownLine && m.get(ValueLayout.JAVA_INT, SERVER + STATE) != BLOCKED_ON_RECEIVE) {
            throw new IllegalStateException("a queued receiver that is not receiving");
        }
        if (ownLine) {
            m.set(ValueLayout.JAVA_INT, CLIENT + STATE, BLOCKED_ON_REPLY);
            m.set(ValueLayout.JAVA_LONG, CLIENT + CONTEXT, s);
            m.set(ValueLayout.JAVA_LONG, CLIENT + HOLDER, SERVER_ID);
        }
        m.set(ValueLayout.JAVA_INT, SERVER + STATE, RUNNING);
        m.set(ValueLayout.JAVA_LONG, SERVER + CONTEXT, s);
        m.set(ValueLayout.JAVA_LONG, SERVER + INFO, s);
        m.set(ValueLayout.JAVA_LONG, SERVER + BADGE, m.get(ValueLayout.JAVA_LONG, CAP_BADGE));
        copyRegisters(CLIENT, SERVER, 1);
        m.set(ValueLayout.JAVA_LONG, SERVER + STATUS, OK);
        if (locked) {
            unlock();
        }
        LONG.setVolatile(m, SERVER + SIGNAL, s);
        clientOnly[PARKED_SEEN] += (int) INT.getVolatile(m, SERVER + PARKED);
        return true;
    }

    /**
     * Locked: takes the lock, checks the capability, takes the queued receiver if there is one. Not
     * locked: takes it by compare-and-set, as the protocol floor does. False if none waits (nothing changed).
     */
    private boolean takeReceiver() {
        if (!locked) {
            return LONG.compareAndSet(m, QUEUED, SERVER_ID, 0L);
        }
        lock();
        if (m.get(ValueLayout.JAVA_LONG, CAP_OBJECT) != ENDPOINT
                || (m.get(ValueLayout.JAVA_LONG, CAP_RIGHTS) & WRITE) == 0) {
            throw new IllegalStateException("the capability is not a writable endpoint");
        }
        if (m.get(ValueLayout.JAVA_LONG, QUEUED) != SERVER_ID) {
            unlock();
            return false;
        }
        m.set(ValueLayout.JAVA_LONG, QUEUED, 0);
        return true;
    }

    /** The server's first wait on the endpoint: under the lock, or published by a volatile store. */
    private void waitOnEndpoint() {
        if (locked) {
            lock();
        }
        m.set(ValueLayout.JAVA_INT, SERVER + STATE, BLOCKED_ON_RECEIVE);
        if (locked) {
            m.set(ValueLayout.JAVA_LONG, QUEUED, SERVER_ID);
            unlock();
        } else {
            LONG.setVolatile(m, QUEUED, SERVER_ID);
        }
    }

    /** ReplyWait in a loop: answer the held context, wait on the endpoint again. */
    private void echo() {
        waitOnEndpoint();
        long seen = 0;
        int parked = 0;
        while (true) {
            long v;
            while ((v = (long) LONG.getAcquire(m, SERVER + SIGNAL)) == seen) {
                if (!running) {
                    echoParkedSeen = parked;
                    return;
                }
                Thread.onSpinWait();
            }
            seen = v;
            parked += replyWait(v);
        }
    }

    /** Returns the client's parked flag, read after the wake. */
    private int replyWait(long v) {
        if (locked) {
            lock();
        }
        long held = m.get(ValueLayout.JAVA_LONG, SERVER + CONTEXT);
        if (ownLine && (m.get(ValueLayout.JAVA_LONG, CLIENT + HOLDER) != SERVER_ID
                || m.get(ValueLayout.JAVA_LONG, CLIENT + CONTEXT) != held
                || m.get(ValueLayout.JAVA_INT, CLIENT + STATE) != BLOCKED_ON_REPLY)) {
            throw new IllegalStateException("the held context is not the waiting caller's");
        }
        m.set(ValueLayout.JAVA_LONG, CLIENT + INFO, v);
        m.set(ValueLayout.JAVA_LONG, CLIENT + BADGE, 0);
        copyRegisters(SERVER, CLIENT, 0);
        m.set(ValueLayout.JAVA_LONG, CLIENT + STATUS, OK);
        m.set(ValueLayout.JAVA_LONG, CLIENT + HOLDER, 0);
        m.set(ValueLayout.JAVA_INT, CLIENT + STATE, RUNNING);
        if (ownLine) {
            m.set(ValueLayout.JAVA_LONG, SERVER + CONTEXT, 0);
            m.set(ValueLayout.JAVA_INT, SERVER + STATE, BLOCKED_ON_RECEIVE);
        }
        if (locked) {
            m.set(ValueLayout.JAVA_LONG, QUEUED, SERVER_ID);
            unlock();
        }
        LONG.setVolatile(m, CLIENT + SIGNAL, v);
        int parked = (int) INT.getVolatile(m, CLIENT + PARKED);
        if (!locked) {
            while (!LONG.compareAndSet(m, QUEUED, 0L, SERVER_ID)) { // the protocol floor's wait on the endpoint
                Thread.onSpinWait();
            }
        }
        return parked;
    }

    /** The registers from one mailbox to the other, the first plus {@code add}, as the protocol floor's. */
    private void copyRegisters(long from, long to, long add) {
        if (registers == 8) {
            m.set(ValueLayout.JAVA_LONG, to + MR, m.get(ValueLayout.JAVA_LONG, from + MR) + add);
            for (long i = 1; i < 8; i++) {
                m.set(ValueLayout.JAVA_LONG, to + MR + i * 8, m.get(ValueLayout.JAVA_LONG, from + MR + i * 8));
            }
        }
    }

    /** The endpoint's lock, by compare-and-set (a full fence), then the exclusive flag, which a slow path would raise. */
    private void lock() {
        while (!LONG.compareAndSet(m, LOCK_AT, 0L, 1L)) {
            Thread.onSpinWait();
        }
        if ((long) LONG.getOpaque(m, EXCLUSIVE) != 0) {
            throw new IllegalStateException("no slow path runs here");
        }
    }

    private void unlock() {
        LONG.setRelease(m, LOCK_AT, 0L);
    }
}
