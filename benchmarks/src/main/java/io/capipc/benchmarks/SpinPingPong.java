package io.capipc.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** 128 bytes before {@code ping}: two 64-byte lines, so Zen's adjacent-line prefetch pairs no neighbour with it. */
abstract class SpinPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** Written only by the client thread: the sequence it sends and the last one it used. */
abstract class SpinPing extends SpinPadBefore {
    long ping;
    long seq;
}

abstract class SpinPadMiddle extends SpinPing {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
}

/** Written only by the echo thread. */
abstract class SpinPong extends SpinPadMiddle {
    long pong;
}

abstract class SpinPadAfter extends SpinPong {
    long r00, r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15;
}

/**
 * The floor for a round trip between two platform threads: the client publishes a sequence number
 * with a release store and spins with acquire loads until the echo thread has released it back.
 * {@code ping} and {@code pong} live on cache lines of their own (the JVM keeps superclass fields
 * before subclass fields, so the padding classes cannot be reordered away), and both sides call
 * {@link Thread#onSpinWait()} while they wait. Nothing is allocated per round trip.
 */
final class SpinPingPong extends SpinPadAfter {
    private static final VarHandle PING;
    private static final VarHandle PONG;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PING = l.findVarHandle(SpinPing.class, "ping", long.class);
            PONG = l.findVarHandle(SpinPong.class, "pong", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Read by the echo thread only while it waits; written once, at stop. */
    private volatile boolean running = true;
    private final Thread echo = Thread.ofPlatform().daemon().name("spin-echo").unstarted(this::echo);

    SpinPingPong start() {
        echo.start();
        return this;
    }

    /** One round trip; returns the sequence number that came back. */
    long roundTrip() {
        long s = seq + 1;
        seq = s;
        PING.setRelease(this, s);
        while ((long) PONG.getAcquire(this) != s) {
            Thread.onSpinWait();
        }
        return s;
    }

    void stop() throws InterruptedException {
        running = false;
        echo.join();
    }

    private void echo() {
        long seen = 0;
        while (true) {
            long v;
            while ((v = (long) PING.getAcquire(this)) == seen) {
                if (!running) {
                    return;
                }
                Thread.onSpinWait();
            }
            seen = v;
            PONG.setRelease(this, v);
        }
    }
}
