package io.capipc.benchmarks;

import java.util.Queue;
import java.util.concurrent.Exchanger;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Peers: the same request/response round trip through the JDK's and two libraries' handoffs. The
 * client is JMH's benchmark thread (a platform thread), the echo a platform daemon thread, except in
 * {@link #virtualSynchronousQueueRoundTrip}, where both ends are virtual threads.
 *
 * <p>Every round trip is two one-way handoffs (request, then response), as a Call is. The messages
 * are one preallocated object, so the queues' own allocation is all that gc.alloc.rate.norm shows.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Agrona 2 reads jdk.internal.misc.Unsafe, which java.base does not export.
@Fork(jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class Peers {
    static final Object MESSAGE = new Object();
    /** Round trips per invocation of the virtual-thread benchmark (one handoff in and out per batch). */
    static final int BATCH = 1000;

    /** Echoes each request on a platform daemon thread until stopped. */
    abstract static class Echo {
        volatile boolean running = true;
        Thread echo;

        void start(Runnable loop) {
            echo = Thread.ofPlatform().daemon().name("peer-echo").start(loop);
        }

        void stop() throws InterruptedException {
            running = false;
            echo.interrupt();
            echo.join();
        }
    }

    @State(Scope.Thread)
    public static class SyncQueues extends Echo {
        final SynchronousQueue<Object> requests = new SynchronousQueue<>();
        final SynchronousQueue<Object> responses = new SynchronousQueue<>();

        @Setup(Level.Trial)
        public void setUp() {
            start(() -> {
                try {
                    while (true) {
                        responses.put(requests.take());
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop();
        }
    }

    @State(Scope.Thread)
    public static class Exchange extends Echo {
        final Exchanger<Object> exchanger = new Exchanger<>();

        @Setup(Level.Trial)
        public void setUp() {
            start(() -> {
                try {
                    while (true) {
                        Object request = exchanger.exchange(null);
                        exchanger.exchange(request);
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop();
        }
    }

    /** A pair of single-producer single-consumer queues, both ends spinning with onSpinWait. */
    abstract static class SpinQueues extends Echo {
        Queue<Object> requests;
        Queue<Object> responses;

        void startSpinEcho() {
            start(() -> {
                while (running) {
                    Object m = requests.poll();
                    if (m == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    while (!responses.offer(m)) {
                        Thread.onSpinWait();
                    }
                }
            });
        }

        Object roundTrip() {
            while (!requests.offer(MESSAGE)) {
                Thread.onSpinWait();
            }
            Object m;
            while ((m = responses.poll()) == null) {
                Thread.onSpinWait();
            }
            return m;
        }
    }

    @State(Scope.Thread)
    public static class JcTools extends SpinQueues {
        @Setup(Level.Trial)
        public void setUp() {
            requests = new SpscArrayQueue<>(64);
            responses = new SpscArrayQueue<>(64);
            startSpinEcho();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop();
        }
    }

    @State(Scope.Thread)
    public static class Agrona extends SpinQueues {
        @Setup(Level.Trial)
        public void setUp() {
            requests = new OneToOneConcurrentArrayQueue<>(64);
            responses = new OneToOneConcurrentArrayQueue<>(64);
            startSpinEcho();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop();
        }
    }

    /**
     * Two virtual threads, a client and an echo, exchanging through a pair of SynchronousQueues. JMH's
     * thread is a platform thread, so it only starts a batch of {@link #BATCH} round trips and waits
     * for its end; that one handoff per batch is about 0.1% of the figure.
     */
    @State(Scope.Thread)
    public static class VirtualSyncQueues {
        final SynchronousQueue<Object> requests = new SynchronousQueue<>();
        final SynchronousQueue<Object> responses = new SynchronousQueue<>();
        final Semaphore go = new Semaphore(0);
        final Semaphore done = new Semaphore(0);
        volatile boolean running = true;
        Thread client;
        Thread echo;

        @Setup(Level.Trial)
        public void setUp() {
            echo = Thread.ofVirtual().name("vt-echo").start(() -> {
                try {
                    while (true) {
                        responses.put(requests.take());
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            });
            client = Thread.ofVirtual().name("vt-client").start(() -> {
                try {
                    while (true) {
                        go.acquire();
                        if (!running) {
                            return;
                        }
                        for (int i = 0; i < BATCH; i++) {
                            requests.put(MESSAGE);
                            responses.take();
                        }
                        done.release();
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            });
        }

        void batch() throws InterruptedException {
            go.release();
            done.acquire();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            running = false;
            go.release();
            client.join();
            echo.interrupt();
            echo.join();
        }
    }

    @Benchmark
    public Object synchronousQueueRoundTrip(SyncQueues q) throws InterruptedException {
        q.requests.put(MESSAGE);
        return q.responses.take();
    }

    /** Request and response are one Exchanger rendezvous each. */
    @Benchmark
    public Object exchangerRoundTrip(Exchange x) throws InterruptedException {
        x.exchanger.exchange(MESSAGE);
        return x.exchanger.exchange(null);
    }

    @Benchmark
    public Object jctoolsSpscRoundTrip(JcTools q) {
        return q.roundTrip();
    }

    @Benchmark
    public Object agronaOneToOneRoundTrip(Agrona q) {
        return q.roundTrip();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void virtualSynchronousQueueRoundTrip(VirtualSyncQueues q) throws InterruptedException {
        q.batch();
    }
}
