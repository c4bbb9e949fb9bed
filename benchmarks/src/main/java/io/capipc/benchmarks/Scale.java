package io.capipc.benchmarks;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Many clients, one endpoint: {@code clients} virtual threads, each an adopted client task, Call a
 * pool of {@link #SERVERS} server tasks (virtual threads, default spin) that ReplyWait on the same
 * endpoint. One invocation is {@link #CALLS} calls in all, {@code CALLS / clients} by each client,
 * so the reported time is per call (and calls per second is its inverse).
 *
 * <p>The clients live for the whole trial and wait for work on a semaphore: an invocation releases
 * one permit per client and waits until every permit's calls are done. The release and the wait
 * (waking up to {@code clients} parked virtual threads) are part of the measured cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Scale {
    /** Calls per invocation; every {@code clients} value divides it. */
    static final int CALLS = 100_000;
    static final int SERVERS = 4;

    @State(Scope.Benchmark)
    public static class Pool {
        @Param({"1", "10", "1000", "100000"})
        public int clients;

        Kernel kernel;
        ThreadedRuntime runtime;
        SpaceHandle clientSpace;
        Thread[] threads;
        final Semaphore go = new Semaphore(0);
        volatile CountDownLatch done;
        volatile boolean running = true;
        /** Set by a client whose call failed; checked at teardown. */
        volatile Status failure;

        @Setup(Level.Trial)
        public void setUp() throws InterruptedException {
            if (CALLS % clients != 0) {
                throw new IllegalArgumentException("clients must divide " + CALLS + ", was " + clients);
            }
            kernel = new Kernel();
            runtime = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.VIRTUAL);
            ObjectHandle ep = kernel.createEndpoint();
            SpaceHandle ss = kernel.createSpace("servers", 4);
            kernel.install(ss, 0, ep, Rights.READ, 0);
            clientSpace = kernel.createSpace("clients", 4);
            kernel.install(clientSpace, 0, ep, Rights.WRITE, 1);
            for (int i = 0; i < SERVERS; i++) {
                runtime.start(kernel.createTask(ss, "server-" + i), CapipcPair.echo(1));
            }
            int perClient = CALLS / clients;
            CountDownLatch adopted = new CountDownLatch(clients);
            threads = new Thread[clients];
            for (int i = 0; i < clients; i++) {
                TaskHandle task = kernel.createTask(clientSpace, "client-" + i);
                threads[i] = Thread.ofVirtual().name("client-" + i).start(() -> client(task, perClient, adopted));
            }
            adopted.await();
        }

        private void client(TaskHandle task, int perClient, CountDownLatch adopted) {
            Syscalls sys = runtime.adopt(task);
            adopted.countDown();
            long info = MessageInfo.of(CapipcPair.WORK, 1);
            try {
                while (true) {
                    go.acquireUninterruptibly();
                    if (!running) {
                        return;
                    }
                    for (int i = 0; i < perClient; i++) {
                        sys.ipc().setMr(0, i);
                        Status s = sys.call(0, info);
                        if (s != Status.OK) {
                            failure = s;
                        }
                    }
                    done.countDown();
                }
            } finally {
                runtime.exit(task);
            }
        }

        void round() throws InterruptedException {
            CountDownLatch latch = new CountDownLatch(clients);
            done = latch;
            go.release(clients);
            latch.await();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            running = false;
            go.release(clients);
            for (Thread t : threads) {
                t.join();
            }
            TaskHandle stopper = kernel.createTask(clientSpace, "stopper");
            Syscalls sys = runtime.adopt(stopper);
            for (int i = 0; i < SERVERS; i++) {
                CapipcPair.check(sys.send(0, MessageInfo.of(CapipcPair.STOP, 0)), "send STOP");
            }
            runtime.exit(stopper);
            if (!runtime.awaitTermination(Duration.ofSeconds(10))) {
                throw new IllegalStateException("a server did not stop within 10 s");
            }
            if (failure != null) {
                throw new IllegalStateException("a client's call returned " + failure);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public void callsFromManyClients(Pool pool) throws InterruptedException {
        pool.round();
    }
}
