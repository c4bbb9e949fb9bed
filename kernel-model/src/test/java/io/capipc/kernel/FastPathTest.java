package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallName;
import io.capipc.kernel.object.Endpoint;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Which Calls and ReplyWaits take the fast path (issue 23; Dispatch.call): on the deterministic driver
 * as on the threaded runtime, so the property suite's checks cover it. Its semantics are the
 * transition's own, checked everywhere else; here, only when it is taken.
 */
class FastPathTest {
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle epHandle = kernel.createEndpoint();
    private final Endpoint ep = (Endpoint) kernel.object(epHandle);
    private final TaskHandle server = task("server", Rights.READ | Rights.GRANT);
    private final TaskHandle client = task("client", Rights.WRITE | Rights.GRANT);

    private TaskHandle task(String name, int rights) {
        TaskHandle t = unstarted(kernel, epHandle, name, rights);
        d.start(t);
        return t;
    }

    /** A task of {@code k} in a new space whose slot 0 holds {@code ep} with {@code rights} and badge 1. */
    private static TaskHandle unstarted(Kernel k, ObjectHandle ep, String name, int rights) {
        SpaceHandle space = k.createSpace(name, 4);
        k.install(space, 0, ep, rights, 1);
        return k.createTask(space, name);
    }

    /** Call then ReplyWait, both blocking; the fast paths they took. */
    private long roundTrip(long info) {
        long before = ep.fastPaths();
        assertEquals(Outcome.BLOCKED, d.call(client, 0, info));
        assertEquals(Outcome.BLOCKED, d.replyWait(server, 0, MessageInfo.of(0, 0)));
        assertEquals(Status.OK, d.ipc(client).status());
        return ep.fastPaths() - before;
    }

    @Test
    void roundTrips_onceTheEndpointIsHot_bothTakeTheFastPath() {
        assertEquals(Outcome.BLOCKED, d.recv(server, 0));
        assertEquals(1, roundTrip(MessageInfo.of(1, 2)), "the first Call heats the endpoint; the ReplyWait is fast");
        assertEquals(2, roundTrip(MessageInfo.of(2, 2)));
        assertEquals(2, roundTrip(MessageInfo.of(3, 8)));
    }

    @Test
    void queuedCall_takenByReplyWait_bothFast() {
        TaskHandle other = task("other", Rights.WRITE);
        assertEquals(Outcome.BLOCKED, d.recv(server, 0));
        assertEquals(1, roundTrip(MessageInfo.of(1, 0)));
        assertEquals(Outcome.BLOCKED, d.call(client, 0, MessageInfo.of(1, 0)));
        long before = ep.fastPaths();
        // The server is busy with the client's Call: the other's Call queues, on the fast path; the
        // ReplyWait answers the client and takes the queued Call, on the fast path too.
        assertEquals(Outcome.BLOCKED, d.call(other, 0, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, d.replyWait(server, 0, MessageInfo.of(0, 0)));
        assertEquals(2, ep.fastPaths() - before);
        assertEquals(2, MessageInfo.label(d.ipc(server).info()));
        assertEquals(Status.OK, d.ipc(client).status());
    }

    /** A parked partner's wake is a system call, which the kernel-wide path makes as its last step. */
    @Test
    void aParkedPartner_sendsTheSyscallTheKernelWideWay() {
        assertEquals(Outcome.BLOCKED, d.recv(server, 0));
        assertEquals(1, roundTrip(MessageInfo.of(1, 0)));
        kernel.task(server).ipc().setParkedVolatile(1);
        long before = ep.fastPaths();
        assertEquals(Outcome.BLOCKED, d.call(client, 0, MessageInfo.of(1, 0)));
        assertEquals(before, ep.fastPaths(), "the Call to a parked server");
        kernel.task(server).ipc().setParkedVolatile(0);
        kernel.task(client).ipc().setParkedVolatile(1);
        assertEquals(Outcome.BLOCKED, d.replyWait(server, 0, MessageInfo.of(0, 0)));
        assertEquals(before, ep.fastPaths(), "the ReplyWait to a parked client");
        kernel.task(client).ipc().setParkedVolatile(0);
        assertEquals(2, roundTrip(MessageInfo.of(1, 0)));
    }

    @Test
    void uncommonCases_takeTheKernelWideLock() {
        assertEquals(Outcome.BLOCKED, d.recv(server, 0));
        assertEquals(1, roundTrip(MessageInfo.of(1, 0)));
        // A capability to transfer.
        d.ipc(client).setCap(0, 0);
        assertEquals(0, roundTrip(MessageInfo.pack(1, 0, 1, false)) - 1, "only the ReplyWait is fast");
        // A timeout.
        long before = ep.fastPaths();
        assertEquals(Outcome.BLOCKED, d.call(client, 0, MessageInfo.of(1, 0), 1_000_000_000L));
        assertEquals(before, ep.fastPaths());
        assertEquals(Outcome.BLOCKED, d.replyWait(server, 0, MessageInfo.of(0, 0)));
        // Buffers.
        MemorySegment buf = Arena.ofAuto().allocate(8);
        before = ep.fastPaths();
        assertEquals(Outcome.BLOCKED, d.call(client, 0, MessageInfo.of(1, 0), buf, buf));
        assertEquals(before, ep.fastPaths());
        assertEquals(Outcome.BLOCKED, d.replyWait(server, 0, MessageInfo.of(0, 0)));
    }

    private static Tracer counting(int[] seen) {
        return new Tracer() {
            @Override
            public synchronized void syscall(TaskHandle task, IpcBuffer ipc, SyscallName op, long a, long b, Outcome outcome) {
                seen[0]++;
            }

            @Override
            public void completed(TaskHandle task, IpcBuffer ipc, Status status) {}
        };
    }

    /** The driver makes one transition at a time, so a tracer watches fast paths too (and the property suite runs them). */
    @Test
    void aTracer_onTheDriver_seesTheFastPaths() {
        assertEquals(Outcome.BLOCKED, d.recv(server, 0));
        assertEquals(1, roundTrip(MessageInfo.of(1, 0)));
        int[] seen = new int[1];
        kernel.tracer(counting(seen));
        assertEquals(2, roundTrip(MessageInfo.of(1, 0)));
        assertEquals(2, seen[0], "the tracer saw both syscalls");
    }

    /** On threads, fast paths on different endpoints have no order to trace in: a tracer keeps them all off. */
    @Test
    void aTracer_onThreads_sendsEveryCallThroughTheKernelWideLock() throws Exception {
        assertEquals(0, threadedFastPaths(true));
        assertTrue(threadedFastPaths(false) > 0);
    }

    /** Round trips on the threaded runtime, with a tracer or without; the fast paths they took. */
    private static long threadedFastPaths(boolean traced) throws InterruptedException {
        Kernel k = new Kernel();
        // Spinning long, so no partner parks (a parked partner sends a Call the kernel-wide way).
        ThreadedRuntime rt = new ThreadedRuntime(k, ThreadedRuntime.Threads.PLATFORM, java.time.Duration.ofMillis(50));
        ObjectHandle h = k.createEndpoint();
        int[] seen = new int[1];
        if (traced) {
            k.tracer(counting(seen));
        }
        TaskHandle s = unstarted(k, h, "server", Rights.READ);
        TaskHandle c = unstarted(k, h, "client", Rights.WRITE);
        rt.start(s, sys -> {
            assertEquals(Status.OK, sys.recv(0));
            for (int i = 0; i < 1999; i++) {
                assertEquals(Status.OK, sys.replyWait(0, MessageInfo.of(0, 0)));
            }
            assertEquals(Status.OK, sys.reply(MessageInfo.of(0, 0)));
        });
        rt.start(c, sys -> {
            for (int i = 0; i < 2000; i++) {
                assertEquals(Status.OK, sys.call(0, MessageInfo.of(0, 0)));
            }
        });
        assertTrue(rt.awaitTermination(java.time.Duration.ofSeconds(30)));
        assertEquals(java.util.Map.of(), rt.failures());
        if (traced) {
            assertTrue(seen[0] >= 4001, "every syscall traced: " + seen[0]);
        }
        return ((Endpoint) k.object(h)).fastPaths();
    }
}
