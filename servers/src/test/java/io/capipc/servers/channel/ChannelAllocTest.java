package io.capipc.servers.channel;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.TaskHandle;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Zero allocation per message on both sides of a channel after setup (issue 19), on platform
 * threads: the client (this thread, adopted as a task) and the server's thread are each measured
 * with ThreadMXBean over {@value #ROUND} messages, after {@value #WARMUP} of warm-up, keeping the
 * smallest of {@value #ROUNDS} rounds (the first can show JIT noise, docs/testing.md).
 */
class ChannelAllocTest {
    private static final int WARMUP = 50_000;
    private static final int ROUND = 20_000;
    private static final int ROUNDS = 3;
    private static final com.sun.management.ThreadMXBean BEAN =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void roundTripsAndPipelinedMessages_afterSetup_allocateNothingOnEitherSide() throws Exception {
        ChannelRig rig = new ChannelRig();
        TaskHandle task = rig.clientTask("client", new ChannelLayout(8, 64).regionBytes());
        Syscalls sys = rig.runtime.adopt(task);
        ChannelClient c = ChannelTest.connect(sys, new ChannelLayout(8, 64), 0);
        long server = rig.serverThread.threadId();
        for (int i = 0; i < WARMUP; i++) {
            exchange(c, i);
        }
        long clientBest = Long.MAX_VALUE;
        long serverBest = Long.MAX_VALUE;
        for (int r = 0; r < ROUNDS; r++) {
            long clientBefore = BEAN.getCurrentThreadAllocatedBytes();
            long serverBefore = BEAN.getThreadAllocatedBytes(server);
            for (int i = 0; i < ROUND; i++) {
                exchange(c, i);
            }
            clientBest = Math.min(clientBest, BEAN.getCurrentThreadAllocatedBytes() - clientBefore);
            serverBest = Math.min(serverBest, BEAN.getThreadAllocatedBytes(server) - serverBefore);
        }
        rig.runtime.exit(task);
        rig.stop();
        assertEquals(0, clientBest, "client bytes per " + ROUND + " messages");
        assertEquals(0, serverBest, "server bytes per " + ROUND + " messages");
    }

    /** Even i: one round trip; odd i: four requests in flight, then their four answers. */
    private static void exchange(ChannelClient c, int i) {
        int n = (i & 1) == 0 ? 1 : 4;
        for (int k = 0; k < n; k++) {
            int b = c.acquire();
            c.memory().set(JAVA_LONG, c.blockAt(b), i);
            if (!c.submit(b, 8, b)) {
                throw new AssertionError("ring full with " + k + " in flight");
            }
        }
        for (int k = 0; k < n; k++) {
            if (c.take() != Status.OK || c.responseStatus() != ChannelLayout.OK
                    || c.memory().get(JAVA_LONG, c.responseAt()) != 3L * i + 1) {
                throw new AssertionError("bad answer to " + i);
            }
            c.release(c.responseId());
        }
    }
}
