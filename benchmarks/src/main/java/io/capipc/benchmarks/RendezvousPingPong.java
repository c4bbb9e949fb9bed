package io.capipc.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Two lines of padding, as for {@link SpinPingPong}. */
abstract class RvPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The endpoint: 1 while the echo task waits on it as a receiver, 0 once a caller has taken it. */
abstract class RvEndpoint extends RvPad0 {
    long waiting;
}

abstract class RvPad1 extends RvEndpoint {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
}

/**
 * The echo task's mailbox: the request's wake flag and its registers, written by the client, with
 * the client's own sequence and the sink for the parked flags it reads.
 */
abstract class RvServerBox extends RvPad1 {
    long request;
    long s0, s1, s2, s3, s4, s5, s6, s7;
    long seq;
    int parkedSeen;
}

abstract class RvPad2 extends RvServerBox {
    long r00, r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15;
}

/** The client's mailbox: the reply's wake flag and its registers, written by the echo task. */
abstract class RvClientBox extends RvPad2 {
    long reply;
    long c0, c1, c2, c3, c4, c5, c6, c7;
}

abstract class RvPad3 extends RvClientBox {
    long t00, t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15;
}

/** Each side's "I am parked" flag: written only by a waiter about to park, which never happens here. */
abstract class RvParked extends RvPad3 {
    volatile int serverParked;
    volatile int clientParked;
}

abstract class RvPad4 extends RvParked {
    long u00, u01, u02, u03, u04, u05, u06, u07, u08, u09, u10, u11, u12, u13, u14, u15;
}

/**
 * The protocol floor: the cheapest Call/ReplyWait round trip any endpoint IPC can make here, with no
 * kernel at all. The client takes the waiting receiver off the endpoint by compare-and-set, writes
 * the registers into its mailbox and wakes it; the echo task writes the reply's registers into the
 * client's mailbox, wakes it, and waits on the endpoint again by compare-and-set. Each wake is the
 * one a task that may park needs (Dekker's: a volatile store of the flag, then a read of the
 * partner's parked flag; see capipc's Parker), though nobody parks here. The registers live beside
 * the wake flag, as in capipc's Registers mailbox. Both sides spin with {@link Thread#onSpinWait()}.
 *
 * <p>{@code locked}: each side's whole transition instead runs inside one {@code synchronized}
 * block on a lock both share (take, deliver and wake; reply, wake and wait again), as capipc's
 * transitions run under the kernel's lock; the endpoint word is then read and written plainly.
 * The difference between the two is what one kernel lock costs a round trip.
 *
 * <p>It moves the endpoint's line and each mailbox's, and pays two fences; nothing is allocated per
 * round trip.
 */
final class RendezvousPingPong extends RvPad4 {
    private static final VarHandle WAITING;
    private static final VarHandle REQUEST;
    private static final VarHandle REPLY;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WAITING = l.findVarHandle(RvEndpoint.class, "waiting", long.class);
            REQUEST = l.findVarHandle(RvServerBox.class, "request", long.class);
            REPLY = l.findVarHandle(RvClientBox.class, "reply", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 0 or 8: how many registers each message carries. */
    private final int registers;
    private final boolean locked;
    private final Object lock = new Object();
    /** The echo task's sink for the parked flags it reads, stored when it stops. */
    private int echoParkedSeen;
    private volatile boolean running = true;
    private final Thread echo = Thread.ofPlatform().daemon().name("rendezvous-echo").unstarted(this::echo);

    RendezvousPingPong(int registers) {
        this(registers, false);
    }

    RendezvousPingPong(int registers, boolean locked) {
        if (registers != 0 && registers != 8) {
            throw new IllegalArgumentException("registers must be 0 or 8, was " + registers);
        }
        this.registers = registers;
        this.locked = locked;
    }

    RendezvousPingPong start() {
        echo.start();
        return this;
    }

    /** One Call: take the receiver, deliver, wake it, wait for the reply; returns the reply's sequence. */
    long roundTrip() {
        long s = seq + 1;
        seq = s;
        while (!(locked ? lockedCall(s) : call(s))) {
            Thread.onSpinWait();
        }
        while ((long) REPLY.getAcquire(this) != s) {
            Thread.onSpinWait();
        }
        return s;
    }

    /** Sets the echo task up as waiting, for {@link #stepped} on one thread instead of an echo thread ({@link #start}). */
    RendezvousPingPong stepping() {
        WAITING.setVolatile(this, 1L);
        return this;
    }

    /**
     * One round trip with both sides stepped on the calling thread: no line moves and nobody waits,
     * so this is the protocol's own code. Returns the reply's sequence.
     */
    long stepped() {
        long s = seq + 1;
        seq = s;
        if (!(locked ? lockedCall(s) : call(s))) {
            throw new IllegalStateException("the echo task was not waiting");
        }
        long v = (long) REQUEST.getAcquire(this);
        echoParkedSeen += locked ? lockedReplyWait(v) : replyWait(v);
        if ((long) REPLY.getAcquire(this) != s) {
            throw new IllegalStateException("the reply did not arrive");
        }
        return s;
    }

    void stop() throws InterruptedException {
        running = false;
        echo.join();
    }

    /** False if no receiver waits yet. */
    private boolean call(long s) {
        if (!WAITING.compareAndSet(this, 1L, 0L)) {
            return false;
        }
        deliver(s);
        return true;
    }

    private boolean lockedCall(long s) {
        synchronized (lock) {
            if (waiting != 1L) {
                return false;
            }
            waiting = 0L;
            deliver(s);
            return true;
        }
    }

    private void deliver(long s) {
        if (registers == 8) {
            s0 = c0 + 1;
            s1 = c1;
            s2 = c2;
            s3 = c3;
            s4 = c4;
            s5 = c5;
            s6 = c6;
            s7 = c7;
        }
        REQUEST.setVolatile(this, s);
        parkedSeen += serverParked;
    }

    /** ReplyWait in a loop: reply to the request, then wait on the endpoint again. */
    private void echo() {
        long seen = 0;
        int parked = 0;
        WAITING.setVolatile(this, 1L);
        while (true) {
            long v;
            while ((v = (long) REQUEST.getAcquire(this)) == seen) {
                if (!running) {
                    echoParkedSeen = parked;
                    return;
                }
                Thread.onSpinWait();
            }
            seen = v;
            parked += locked ? lockedReplyWait(v) : replyWait(v);
        }
    }

    /** Returns the client's parked flag, read after the wake. */
    private int replyWait(long v) {
        int parked = answer(v);
        while (!WAITING.compareAndSet(this, 0L, 1L)) {
            Thread.onSpinWait();
        }
        return parked;
    }

    private int lockedReplyWait(long v) {
        synchronized (lock) {
            int parked = answer(v);
            waiting = 1L;
            return parked;
        }
    }

    private int answer(long v) {
        if (registers == 8) {
            c0 = s0;
            c1 = s1;
            c2 = s2;
            c3 = s3;
            c4 = s4;
            c5 = s5;
            c6 = s6;
            c7 = s7;
        }
        REPLY.setVolatile(this, v);
        return clientParked;
    }
}
