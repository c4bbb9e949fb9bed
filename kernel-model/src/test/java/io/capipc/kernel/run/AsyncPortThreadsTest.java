package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.api.TaskState;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Async ports (docs/semantics.md §5.5) on real threads: a sender never waits, a full port answers at
 * once, several producers' messages all arrive, each producer's in order, and every AsyncCall gets
 * exactly one reply, with its tag.
 */
class AsyncPortThreadsTest {
    private static final int EP = 0;
    private static final int REPLY = 1;
    private static final int PORT = 2;
    private static final int STOP = 1 << 20;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final Kernel kernel = new Kernel();
    private final ObjectHandle endpoint = kernel.createEndpoint();

    private TaskHandle client(String name, long badge) {
        SpaceHandle s = kernel.createSpace(name, 8);
        kernel.install(s, EP, endpoint, Rights.WRITE, badge);
        kernel.install(s, REPLY, kernel.createEndpoint(), Rights.READ, 0);
        return kernel.createTask(s, name);
    }

    private TaskHandle server() {
        SpaceHandle s = kernel.createSpace("server", 4);
        kernel.install(s, EP, endpoint, Rights.READ, 0);
        return kernel.createTask(s, "server");
    }

    private static void ok(Status s) {
        if (s != Status.OK) {
            throw new AssertionError("expected OK, was " + s);
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadedRuntime.Threads.class)
    void aFullPort_answersWouldBlockAtOnce_withNobodyReceiving(ThreadedRuntime.Threads threads) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads);
        TaskHandle c = client("client", 1);
        Status[] last = new Status[1];
        rt.start(c, sys -> {
            ok(sys.bind(EP, REPLY, 4, PORT));
            for (int i = 0; i < 4; i++) {
                ok(sys.asyncSend(PORT, MessageInfo.of(i, 0)));
            }
            last[0] = sys.asyncSend(PORT, MessageInfo.of(4, 0));
        });
        assertTrue(rt.awaitTermination(LIMIT), "an async sender waited");
        assertEquals(Map.of(), rt.failures());
        assertEquals(Status.WOULD_BLOCK, last[0]);
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @ParameterizedTest
    @EnumSource(ThreadedRuntime.Threads.class)
    void fourProducers_oneServer_everyMessageArrives_eachProducersInOrder(ThreadedRuntime.Threads threads)
            throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads);
        int producers = 4;
        int each = 5_000;
        long[] next = new long[producers + 1];
        String[] wrong = new String[1];
        rt.start(server(), sys -> {
            int stops = 0;
            while (stops < producers) {
                ok(sys.recv(EP));
                int badge = (int) sys.ipc().badge();
                if (sys.ipc().label() == STOP) {
                    stops++;
                    ok(sys.reply(MessageInfo.of(0, 0)));
                } else if (!MessageInfo.isAsync(sys.ipc().info()) || sys.ipc().mr(0) != next[badge]++) {
                    wrong[0] = "producer " + badge + " sent " + sys.ipc().mr(0) + " after " + (next[badge] - 2);
                }
            }
        });
        for (int p = 1; p <= producers; p++) {
            rt.start(client("producer-" + p, p), sys -> {
                ok(sys.bind(EP, REPLY, 16, PORT));
                for (int i = 0; i < each; i++) {
                    sys.ipc().setMr(0, i);
                    Status s;
                    while ((s = sys.asyncSend(PORT, MessageInfo.of(1, 1))) == Status.WOULD_BLOCK) {
                        Thread.onSpinWait();
                    }
                    ok(s);
                }
                ok(sys.call(PORT, MessageInfo.of(STOP, 0))); // a barrier: everything sent was delivered
            });
        }
        assertTrue(rt.awaitTermination(LIMIT), "not every message arrived");
        assertEquals(Map.of(), rt.failures());
        assertEquals(null, wrong[0]);
        for (int p = 1; p <= producers; p++) {
            assertEquals(each, next[p], "producer " + p);
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadedRuntime.Threads.class)
    void everyAsyncCall_getsExactlyOneReply_withItsTag(ThreadedRuntime.Threads threads) throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads);
        int calls = 5_000;
        rt.start(server(), sys -> {
            for (int i = 0; i < calls; i++) {
                ok(sys.recv(EP));
                sys.ipc().setMr(0, sys.ipc().mr(0) + 1);
                ok(sys.reply(MessageInfo.of(0, 1)));
            }
        });
        Set<Long> answered = new HashSet<>();
        String[] wrong = new String[1];
        rt.start(client("client", 9), sys -> {
            ok(sys.bind(EP, REPLY, 8, PORT));
            Map<Long, Long> sent = new java.util.HashMap<>();
            int made = 0;
            while (answered.size() < calls) {
                Status s = made < calls ? callNext(sys, made) : Status.WOULD_BLOCK;
                if (s == Status.OK) {
                    sent.put(sys.ipc().tag(), (long) made++);
                    continue;
                }
                ok(sys.recv(REPLY));
                long tag = sys.ipc().badge();
                Long arg = sent.remove(tag);
                if (MessageInfo.kind(sys.ipc().info()) != Kind.REPLY || arg == null || sys.ipc().mr(0) != arg + 1
                        || !answered.add(tag)) {
                    wrong[0] = "reply " + MessageInfo.toString(sys.ipc().info()) + " tag " + tag + " mr0 " + sys.ipc().mr(0);
                }
            }
        });
        assertTrue(rt.awaitTermination(LIMIT), "replies were lost");
        assertEquals(Map.of(), rt.failures());
        assertEquals(null, wrong[0]);
        assertEquals(calls, answered.size());
        assertEquals(List.of(), kernel.invariantViolations());
        assertTrue(kernel.inspect().ports().getFirst().entries().stream().allMatch(e -> e.phase().equals("FREE")));
        assertTrue(kernel.inspect().tasks().stream().allMatch(t -> t.state() == TaskState.DEAD));
    }

    private static Status callNext(Syscalls sys, int arg) {
        sys.ipc().setMr(0, arg);
        return sys.asyncCall(PORT, MessageInfo.of(2, 1));
    }
}
