package io.capipc.benchmarks;

import java.util.concurrent.locks.LockSupport;

/**
 * The floor for a blocking round trip: the same handoff as {@link SpinPingPong}, but each side parks
 * at once with {@link LockSupport#park} and is woken with {@link LockSupport#unpark}; no spinning.
 * Must be created on the client thread (JMH's benchmark thread), which it unparks.
 */
final class ParkPingPong {
    private final Thread client = Thread.currentThread();
    private final Thread echo = Thread.ofPlatform().daemon().name("park-echo").unstarted(this::echo);
    private volatile long request;
    private volatile long response;
    private volatile boolean running = true;
    private long seq;

    ParkPingPong start() {
        echo.start();
        return this;
    }

    long roundTrip() {
        long s = ++seq;
        request = s;
        LockSupport.unpark(echo);
        while (response != s) {
            LockSupport.park(this);
        }
        return s;
    }

    void stop() throws InterruptedException {
        running = false;
        LockSupport.unpark(echo);
        echo.join();
    }

    private void echo() {
        long seen = 0;
        while (true) {
            long v;
            while ((v = request) == seen) {
                if (!running) {
                    return;
                }
                LockSupport.park(this);
            }
            seen = v;
            response = v;
            LockSupport.unpark(client);
        }
    }
}
