package io.capipc.servers.channel;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskBody;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A kernel with one channel server task and the slots clients need. Client space slots: 0 the
 * server's endpoint, 1 a region, 2 the client's doorbell, 3 empty (the server's doorbell arrives).
 */
final class ChannelRig {
    static final int EP = 0;
    static final int REGION = 1;
    static final int BELL = 2;
    static final int SERVER_BELL = 3;

    final Kernel kernel = new Kernel();
    final ThreadedRuntime runtime = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
    final ObjectHandle endpoint = kernel.createEndpoint();
    final ChannelServer server;
    final AtomicReference<Status> serverEnded = new AtomicReference<>();
    final Thread serverThread;
    final List<Thread> clients = new CopyOnWriteArrayList<>();

    ChannelRig(int maxChannels, ChannelServer.Data data, int copyBytes) {
        this(maxChannels, data, copyBytes, ChannelRig::triple);
    }

    ChannelRig(int maxChannels, ChannelServer.Data data, int copyBytes, ChannelHandler handler) {
        SpaceHandle ss = kernel.createSpace("channel-server", 2 + 3 * maxChannels);
        kernel.install(ss, 0, endpoint, Rights.READ | Rights.GRANT, 0);
        kernel.install(ss, 1, kernel.createNotification(), Rights.ALL, 0);
        server = new ChannelServer(0, 1, 2, maxChannels, handler, data, copyBytes,
                ChannelServer.DEFAULT_SPIN_NANOS, 5_000_000);
        serverThread = runtime.start(kernel.createTask(ss, "channel-server"), sys -> serverEnded.set(server.serve(sys)));
    }

    ChannelRig() {
        this(8, ChannelServer.Data.SHARED, 0);
    }

    /**
     * The test handler: the first 8 bytes x become 3x + 1, and when the request has 16 bytes or
     * more, bytes 8..16 become the sum of every byte from 8 to the end (so every byte of the range is
     * read). Each value is read once. Under 8 bytes: a bad length, answered FAILED.
     */
    static int triple(int client, MemorySegment data, long at, int length) {
        if (length < 8) {
            return -1;
        }
        long x = data.get(JAVA_LONG_UNALIGNED, at);
        data.set(JAVA_LONG_UNALIGNED, at, 3 * x + 1);
        if (length < 16) {
            return 8;
        }
        long sum = 0;
        for (long i = at + 8; i < at + length; i++) {
            sum += data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i);
        }
        data.set(JAVA_LONG_UNALIGNED, at + 8, sum);
        return 16;
    }

    /** A client space with a region of {@code regionBytes} and its own doorbell; a task in it. */
    TaskHandle clientTask(String name, long regionBytes) {
        SpaceHandle cs = kernel.createSpace(name, 8);
        kernel.install(cs, EP, endpoint, Rights.WRITE | Rights.GRANT, 0);
        kernel.install(cs, REGION, kernel.createRegion(regionBytes), Rights.ALL, 0);
        kernel.install(cs, BELL, kernel.createNotification(), Rights.ALL, 0);
        return kernel.createTask(cs, name);
    }

    Thread start(TaskHandle task, TaskBody body) {
        Thread t = runtime.start(task, body);
        clients.add(t);
        return t;
    }

    /**
     * Waits for the clients, then stops the server and waits for it; the server's loop must have
     * returned OK and no task may have thrown.
     */
    void stop() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Thread t : clients) {
            if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                throw new AssertionError(t.getName() + " still running after 30 s: the server or a client hangs; "
                        + runtime.failures());
            }
        }
        server.stop();
        if (!runtime.awaitTermination(Duration.ofSeconds(20))) {
            throw new AssertionError("tasks still running after 20 s: the server or a client hangs");
        }
        if (!runtime.failures().isEmpty()) {
            throw new AssertionError("a task threw: " + runtime.failures(), runtime.failures().values().iterator().next());
        }
        if (serverEnded.get() != Status.OK) {
            throw new AssertionError("the server's loop ended with " + serverEnded.get());
        }
    }
}
