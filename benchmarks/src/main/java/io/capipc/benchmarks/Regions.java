package io.capipc.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Bulk data by region (docs/semantics.md §12.1, §12.3). {@link #moveThereAndBack}: the producer
 * (JMH's thread, adopted as a task) maps a region, touches one byte, unmaps it and moves its
 * capability to a consumer task in a Call; the consumer maps it, touches one byte and moves it back
 * in its ReplyWait (its mapping ends with the move). Against {@link #copyThereAndBack}: the same
 * bytes copied to the consumer's memory and back with MemorySegment.copy, and {@link #callOnly}:
 * the same Call and ReplyWait with no capability, the floor the move adds to. Flat in size is the
 * goal: the 64 MiB move within 1.5x of the 4 KiB one.
 *
 * <p>{@link #endAMapping}: Map and Unmap of a 4 KiB region, with {@code liveThreads} other platform
 * threads alive (parked), and with one of them reading through the very mapping being ended
 * ({@code reader}): closing a shared arena is a handshake with every thread, capipc's TLB shootdown.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Regions {
    private static final int EP = 0;
    private static final int BLOCK = 1;
    private static final int STOP = Integer.MAX_VALUE;

    /** A producer and a consumer that move a region of {@code bytes} between them. */
    @State(Scope.Thread)
    public static class Move {
        @Param({"4096", "1048576", "67108864"})
        public long bytes;

        final Kernel kernel = new Kernel();
        final ThreadedRuntime runtime = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        TaskHandle producerTask;
        Syscalls producer;
        final long oneCap = MessageInfo.of(0, 0, 1);
        final long noCap = MessageInfo.of(0, 0);
        MemorySegment source;
        MemorySegment target;
        Arena arena;

        @Setup(Level.Trial)
        @SuppressWarnings("MustBeClosedChecker") // closed in tearDown, at the end of the trial
        public void setUp() {
            ObjectHandle ep = kernel.createEndpoint();
            SpaceHandle ps = kernel.createSpace("producer", 4);
            kernel.install(ps, EP, ep, Rights.WRITE | Rights.GRANT, 0);
            kernel.install(ps, BLOCK, kernel.createRegion(bytes), Rights.ALL, 0);
            SpaceHandle cs = kernel.createSpace("consumer", 4);
            kernel.install(cs, EP, ep, Rights.READ | Rights.GRANT, 0);
            runtime.start(kernel.createTask(cs, "consumer"), Regions::consumer);
            producerTask = kernel.createTask(ps, "producer");
            producer = runtime.adopt(producerTask);
            producer.ipc().setCap(0, BLOCK);
            producer.ipc().setMove(0, true);
            producer.ipc().setReceiveSlot(0, BLOCK);
            arena = Arena.ofShared();
            source = arena.allocate(bytes, 64);
            target = arena.allocate(bytes, 64);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            CapipcPair.check(producer.send(EP, MessageInfo.of(STOP, 0)), "send STOP");
            runtime.exit(producerTask);
            if (!runtime.awaitTermination(Duration.ofSeconds(10)) || !runtime.failures().isEmpty()) {
                throw new IllegalStateException("the consumer did not stop cleanly: " + runtime.failures());
            }
            arena.close();
        }
    }

    /** Receives the block in slot 1, maps it, touches a byte and moves it back, until STOP. */
    private static void consumer(Syscalls sys) {
        sys.ipc().setReceiveSlot(0, BLOCK);
        sys.ipc().setCap(0, BLOCK);
        sys.ipc().setMove(0, true);
        long back = MessageInfo.of(0, 0, 1);
        long none = MessageInfo.of(0, 0);
        Status s = sys.recv(EP);
        while (s == Status.OK && sys.ipc().label() != STOP) {
            if (sys.ipc().caps() == 1) {
                CapipcPair.check(sys.map(BLOCK), "consumer map");
                MemorySegment view = sys.ipc().mapping();
                view.set(JAVA_BYTE, view.byteSize() - 1, (byte) (view.get(JAVA_BYTE, 0) + 1));
                s = sys.replyWait(EP, back);
            } else {
                s = sys.replyWait(EP, none);
            }
        }
    }

    @Benchmark
    public byte moveThereAndBack(Move m) {
        Syscalls sys = m.producer;
        CapipcPair.check(sys.map(BLOCK), "map");
        MemorySegment view = sys.ipc().mapping();
        view.set(JAVA_BYTE, 0, (byte) 1);
        CapipcPair.check(sys.unmap(BLOCK), "unmap");
        CapipcPair.check(sys.call(EP, m.oneCap), "call");
        return sys.ipc().status() == Status.OK ? (byte) sys.ipc().caps() : 0;
    }

    @Benchmark
    public byte copyThereAndBack(Move m) {
        m.source.set(JAVA_BYTE, 0, (byte) 1);
        MemorySegment.copy(m.source, 0, m.target, 0, m.bytes);
        m.target.set(JAVA_BYTE, m.bytes - 1, (byte) 2);
        MemorySegment.copy(m.target, 0, m.source, 0, m.bytes);
        return m.source.get(JAVA_BYTE, m.bytes - 1);
    }

    @Benchmark
    public byte callOnly(Move m) {
        CapipcPair.check(m.producer.call(EP, m.noCap), "call");
        return (byte) m.producer.ipc().caps();
    }

    /** A task that maps and unmaps a 4 KiB region, with other live threads. */
    @State(Scope.Thread)
    public static class Unmapping {
        @Param({"1", "2", "8", "64"})
        public int liveThreads;

        /** Whether one of the live threads reads through the mapping being ended. */
        @Param({"false", "true"})
        public boolean reader;

        final Kernel kernel = new Kernel();
        final ThreadedRuntime runtime = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        TaskHandle task;
        Syscalls sys;
        final List<Thread> others = new ArrayList<>();
        volatile boolean running = true;
        volatile MemorySegment current = MemorySegment.NULL;

        @Setup(Level.Trial)
        public void setUp() {
            SpaceHandle s = kernel.createSpace("mapper", 4);
            kernel.install(s, BLOCK, kernel.createRegion(4096), Rights.ALL, 0);
            task = kernel.createTask(s, "mapper");
            sys = runtime.adopt(task);
            for (int i = 0; i < liveThreads; i++) {
                Runnable body = reader && i == 0 ? this::read : this::idle;
                others.add(Thread.ofPlatform().daemon().name("live-" + i).start(body));
            }
        }

        private void idle() {
            while (running) {
                LockSupport.parkNanos(1_000_000);
            }
        }

        /** Reads through whatever view is current; an ended one refuses, and the next is taken. */
        private void read() {
            long sum = 0;
            while (running) {
                try {
                    MemorySegment v = current;
                    for (int i = 0; i < v.byteSize(); i += 64) {
                        sum += v.get(JAVA_BYTE, i);
                    }
                } catch (IllegalStateException ended) {
                    sum++;
                }
                Thread.onSpinWait();
            }
            if (sum == Long.MIN_VALUE) {
                throw new AssertionError();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            running = false;
            for (Thread t : others) {
                t.join();
            }
            runtime.exit(task);
        }
    }

    @Benchmark
    public long endAMapping(Unmapping u) {
        CapipcPair.check(u.sys.map(BLOCK), "map");
        MemorySegment view = u.sys.ipc().mapping();
        u.current = view;
        CapipcPair.check(u.sys.unmap(BLOCK), "unmap");
        return view.byteSize();
    }
}
