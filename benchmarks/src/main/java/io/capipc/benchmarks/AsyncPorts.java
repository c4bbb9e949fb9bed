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
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One-way messages from one or four producers to one consumer (docs/semantics.md §5.5): capipc's
 * AsyncSend through a port of {@link #CAPACITY} entries per producer, drained by a server task in a
 * Recv loop, against the queues a Java user would pick for the same job (ArrayBlockingQueue,
 * JCTools MpscArrayQueue, Agrona ManyToOneConcurrentArrayQueue), each of {@link #CAPACITY} entries
 * per producer, drained by a consumer thread. Producers are JMH's threads; each operation is one
 * message accepted (a full port or queue is retried, spinning, as a producer would). Throughput in
 * messages per microsecond; the messages are one register, or one preallocated object, so
 * gc.alloc.rate.norm shows only what the mechanism allocates.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// Agrona 2 reads jdk.internal.misc.Unsafe, which java.base does not export.
@Fork(jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class AsyncPorts {
    static final int CAPACITY = 64;
    static final Object MESSAGE = new Object();
    private static final int EP = 0;
    private static final int REPLY = 1;
    private static final int PORT = 2;
    private static final int STOP = Integer.MAX_VALUE;

    /** The kernel, its endpoint and the server task draining it on its own platform thread. */
    @State(Scope.Benchmark)
    public static class Capipc {
        final Kernel kernel = new Kernel();
        final ObjectHandle endpoint = kernel.createEndpoint();
        final ThreadedRuntime runtime = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        final AtomicInteger producers = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() {
            SpaceHandle s = kernel.createSpace("server", 4);
            kernel.install(s, EP, endpoint, Rights.READ, 0);
            runtime.start(kernel.createTask(s, "server"), sys -> {
                Status st = sys.recv(EP);
                while (st == Status.OK && sys.ipc().label() != STOP) {
                    st = sys.recv(EP);
                }
            });
        }

        /** A client task in its own space, with the endpoint and a reply endpoint. */
        synchronized TaskHandle client() {
            int n = producers.incrementAndGet();
            SpaceHandle s = kernel.createSpace("producer-" + n, 4);
            kernel.install(s, EP, endpoint, Rights.WRITE, n);
            kernel.install(s, REPLY, kernel.createEndpoint(), Rights.READ, 0);
            return kernel.createTask(s, "producer-" + n);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            TaskHandle t = client();
            Syscalls stopper = runtime.adopt(t);
            CapipcPair.check(stopper.send(EP, MessageInfo.of(STOP, 0)), "send STOP");
            runtime.exit(t);
            if (!runtime.awaitTermination(Duration.ofSeconds(10))) {
                throw new IllegalStateException("the server did not stop");
            }
        }
    }

    /** A producer: JMH's thread adopted as a task that bound its own port. */
    @State(Scope.Thread)
    public static class Producer {
        Syscalls sys;
        TaskHandle task;
        ThreadedRuntime runtime;
        final long info = MessageInfo.of(1, 1);

        @Setup(Level.Trial)
        public void setUp(Capipc c) {
            task = c.client();
            runtime = c.runtime;
            sys = runtime.adopt(task);
            CapipcPair.check(sys.bind(EP, REPLY, CAPACITY, PORT), "bind");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            runtime.exit(task);
        }
    }

    /** A queue of CAPACITY entries per producer and a consumer thread that drains it until stopped. */
    @State(Scope.Benchmark)
    public static class Queues {
        @Param({"ArrayBlockingQueue", "MpscArrayQueue", "ManyToOneConcurrentArrayQueue"})
        public String queue;

        Queue<Object> q;
        volatile boolean running = true;
        Thread consumer;

        /** The queue holds CAPACITY entries for each producer, as each producer's port does. */
        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            int capacity = CAPACITY * params.getThreads();
            q = switch (queue) {
                case "ArrayBlockingQueue" -> new ArrayBlockingQueue<>(capacity);
                case "MpscArrayQueue" -> new MpscArrayQueue<>(capacity);
                case "ManyToOneConcurrentArrayQueue" -> new ManyToOneConcurrentArrayQueue<>(capacity);
                default -> throw new IllegalArgumentException(queue);
            };
            consumer = Thread.ofPlatform().daemon().name("consumer").start(() -> {
                while (running) {
                    if (q.poll() == null) {
                        Thread.onSpinWait();
                    }
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            running = false;
            consumer.join();
        }
    }

    @Benchmark
    @Threads(1)
    public Status capipcAsyncSend1(Producer p) {
        return send(p);
    }

    @Benchmark
    @Threads(4)
    public Status capipcAsyncSend4(Producer p) {
        return send(p);
    }

    @Benchmark
    @Threads(1)
    public boolean queueOffer1(Queues q) {
        return offer(q.q);
    }

    @Benchmark
    @Threads(4)
    public boolean queueOffer4(Queues q) {
        return offer(q.q);
    }

    private static Status send(Producer p) {
        Status s;
        while ((s = p.sys.asyncSend(PORT, p.info)) == Status.WOULD_BLOCK) {
            Thread.onSpinWait();
        }
        return s;
    }

    private static boolean offer(Queue<Object> q) {
        while (!q.offer(MESSAGE)) {
            Thread.onSpinWait();
        }
        return true;
    }
}
