package io.capipc.benchmarks;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.api.TaskBody;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Map;

/**
 * A kernel with one endpoint, {@code servers} server tasks started by a {@link ThreadedRuntime}, and
 * a client task adopted by the thread that creates the pair (JMH's benchmark thread, when created in
 * a {@code Scope.Thread} state's trial setup). Slot 0 of each space names the endpoint: READ for the
 * servers, WRITE for the client.
 *
 * <p>{@link #close()} must run on the same thread: it sends each server a {@link #STOP} message
 * (Send, so it needs no reply), exits the client task and waits for the servers' threads to end.
 */
final class CapipcPair implements AutoCloseable {
    /** The label that ends a server loop. */
    static final int STOP = Integer.MAX_VALUE;
    /** The label of ordinary work. */
    static final int WORK = 1;

    final Kernel kernel = new Kernel();
    final ThreadedRuntime runtime;
    final TaskHandle clientTask;
    final Syscalls client;
    private final int servers;

    CapipcPair(ThreadedRuntime.Threads kind, Duration spin, int servers, TaskBody server) {
        this.runtime = new ThreadedRuntime(kernel, kind, spin);
        this.servers = servers;
        ObjectHandle ep = kernel.createEndpoint();
        SpaceHandle ss = kernel.createSpace("server", 4);
        kernel.install(ss, 0, ep, Rights.READ, 0);
        SpaceHandle cs = kernel.createSpace("client", 4);
        kernel.install(cs, 0, ep, Rights.WRITE, 1);
        for (int i = 0; i < servers; i++) {
            runtime.start(kernel.createTask(ss, "server-" + i), server);
        }
        clientTask = kernel.createTask(cs, "client");
        client = runtime.adopt(clientTask);
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < servers; i++) {
            check(client.send(0, MessageInfo.of(STOP, 0)), "send STOP");
        }
        runtime.exit(clientTask);
        if (!runtime.awaitTermination(Duration.ofSeconds(10))) {
            throw new IllegalStateException("a server did not stop within 10 s");
        }
        if (!runtime.failures().isEmpty()) {
            Map.Entry<TaskHandle, Throwable> first = runtime.failures().entrySet().iterator().next();
            throw new IllegalStateException("server " + first.getKey() + " failed", first.getValue());
        }
    }

    static void check(Status s, String what) {
        if (s != Status.OK) {
            throw new IllegalStateException(what + " returned " + s);
        }
    }

    /** Answers every Call with {@code registers} registers, by ReplyWait, until a STOP arrives. */
    static TaskBody echo(int registers) {
        long reply = MessageInfo.of(0, registers);
        return sys -> {
            Status s = sys.recv(0);
            while (s == Status.OK && sys.ipc().label() != STOP) {
                s = sys.replyWait(0, reply);
            }
            check(s, "server recv/replyWait");
        };
    }

    /** Takes every message with Recv until a STOP arrives (the Send and NBSend benchmarks). */
    static TaskBody receiver() {
        return sys -> {
            Status s = sys.recv(0);
            while (s == Status.OK && sys.ipc().label() != STOP) {
                s = sys.recv(0);
            }
            check(s, "server recv");
        };
    }

    /**
     * For each Call: Read the whole send buffer into {@code own} (which has its size), Write it back
     * into the receive buffer, then ReplyWait with no registers.
     */
    static TaskBody readWriteBack(MemorySegment own) {
        long reply = MessageInfo.of(0, 0);
        return sys -> {
            Status s = sys.recv(0);
            while (s == Status.OK && sys.ipc().label() != STOP) {
                check(sys.read(0, own), "server read");
                check(sys.write(0, own), "server write");
                s = sys.replyWait(0, reply);
            }
            check(s, "server recv/replyWait");
        };
    }
}
