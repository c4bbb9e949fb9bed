package io.capipc.servers.channel;

import static io.capipc.servers.channel.ChannelRig.BELL;
import static io.capipc.servers.channel.ChannelRig.EP;
import static io.capipc.servers.channel.ChannelRig.REGION;
import static io.capipc.servers.channel.ChannelRig.SERVER_BELL;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.Tracer;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallName;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ChannelTest {
    private static final ChannelLayout SMALL = new ChannelLayout(8, 64);

    static ChannelClient connect(Syscalls sys, ChannelLayout layout, int initial) throws Exception {
        return ChannelClient.connect(sys, EP, REGION, BELL, SERVER_BELL, layout, initial, 20_000);
    }

    /** Sends {@code count} requests, up to {@code depth} in flight, and checks every answer. */
    static void honest(ChannelClient c, int count, int depth) {
        MemorySegment m = c.memory();
        int sent = 0;
        int answered = 0;
        long[] expected = new long[c.blockSize() == 0 ? 0 : 1 << 16];
        while (answered < count) {
            while (sent < count && sent - answered < depth) {
                int b = c.acquire();
                if (b < 0) {
                    break;
                }
                long at = c.blockAt(b);
                long x = 1000L * sent + 7;
                m.set(JAVA_LONG, at, x);
                long sum = 0;
                for (int i = 8; i < 24; i++) {
                    m.set(JAVA_BYTE, at + i, (byte) (sent + i));
                    sum += (byte) (sent + i);
                }
                expected[b] = sum;
                assertTrue(c.submit(b, 24, sent));
                sent++;
            }
            assertEquals(Status.OK, c.take());
            assertEquals(ChannelLayout.OK, c.responseStatus(), "status of request " + c.responseId());
            assertEquals(16, c.responseLength());
            int b = c.responseOffset() / c.blockSize();
            assertEquals(3 * (1000L * c.responseId() + 7) + 1, m.get(JAVA_LONG, c.responseAt()));
            assertEquals(expected[b], m.get(JAVA_LONG, c.responseAt() + 8));
            c.release(b);
            answered++;
        }
    }

    @Test
    void roundTrips_indicesCrossTheWrap_everyAnswerRight() throws Exception {
        ChannelRig rig = new ChannelRig();
        List<Throwable> errors = new ArrayList<>();
        rig.start(rig.clientTask("client", SMALL.regionBytes()), sys -> {
            try {
                honest(connect(sys, SMALL, Integer.MAX_VALUE - 20), 5_000, 6);
            } catch (Throwable t) {
                errors.add(t);
            }
        });
        rig.stop();
        assertEquals(List.of(), errors);
        assertEquals(5_000, rig.server.served());
    }

    /** A handler's own IllegalStateException is its failure, answered FAILED; only a mapping that ended closes a channel. */
    @Test
    void handler_throwingIllegalState_isAnsweredFailed_andTheChannelStaysOpen() throws Exception {
        ChannelRig rig = new ChannelRig(8, ChannelServer.Data.SHARED, 0, (client, data, at, length) -> {
            if (data.get(JAVA_LONG, at) == 7) {
                throw new IllegalStateException("the handler's own state");
            }
            return ChannelRig.triple(client, data, at, length);
        });
        List<Integer> statuses = new ArrayList<>();
        List<Long> answers = new ArrayList<>();
        rig.start(rig.clientTask("client", SMALL.regionBytes()), sys -> {
            ChannelClient c = connect(sys, SMALL, 0);
            for (long x : new long[] {7, 5}) {
                c.memory().set(JAVA_LONG, c.blockAt(0), x);
                assertTrue(c.submit(0, 8, (int) x));
                assertEquals(Status.OK, c.take());
                statuses.add(c.responseStatus());
                answers.add(c.memory().get(JAVA_LONG, c.responseAt()));
            }
        });
        rig.stop();
        assertEquals(List.of(ChannelLayout.FAILED, ChannelLayout.OK), statuses);
        assertEquals(16L, answers.get(1));
        assertEquals(1, rig.server.failed());
        assertEquals(1, rig.server.served());
    }

    @Test
    void request_outsideDataAreaOrWithFlags_refusedAloneAndNextServed() throws Exception {
        ChannelRig rig = new ChannelRig();
        List<Integer> statuses = new ArrayList<>();
        List<Long> answers = new ArrayList<>();
        rig.start(rig.clientTask("client", SMALL.regionBytes()), sys -> {
            ChannelClient c = connect(sys, SMALL, 0);
            int data = (int) SMALL.dataBytes();
            int[][] bad = {{-8, 8, 0}, {data - 8, 16, 0}, {Integer.MAX_VALUE - 4, 16, 0}, {0, -1, 0},
                    {0, Integer.MAX_VALUE, 0}, {0, 8, 1}, {data, 0, 0}};
            for (int i = 0; i < bad.length; i++) {
                c.memory().set(JAVA_LONG, c.blockAt(0), i);
                assertTrue(c.submitRaw(bad[i][0], bad[i][1], i, bad[i][2]));
                assertEquals(Status.OK, c.take());
                statuses.add(c.responseStatus());
                c.memory().set(JAVA_LONG, c.blockAt(1), 10 + i);  // then a good one
                assertTrue(c.submit(1, 8, 100 + i));
                assertEquals(Status.OK, c.take());
                answers.add(c.memory().get(JAVA_LONG, c.responseAt()));
            }
            // an empty request at the very end of the data area is inside it: served, and too
            // short for the handler, which answers FAILED
            statuses.add(-1);
        });
        rig.stop();
        int r = ChannelLayout.REFUSED_RANGE;
        assertEquals(List.of(r, r, r, r, r, ChannelLayout.REFUSED_FLAGS, ChannelLayout.FAILED, -1), statuses);
        assertEquals(List.of(31L, 34L, 37L, 40L, 43L, 46L, 49L), answers);
        assertEquals(5, rig.server.refusedRange());
        assertEquals(1, rig.server.refusedFlags());
        assertEquals(1, rig.server.failed());
    }

    @Test
    void client_stopsConsuming_othersServedAndItsRequestsHeldNotDropped() throws Exception {
        ChannelRig rig = new ChannelRig();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch othersDone = new CountDownLatch(1);
        List<Throwable> errors = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        rig.start(rig.clientTask("stubborn", SMALL.regionBytes()), sys -> {
            ChannelClient c = connect(sys, SMALL, 0);
            // 8 requests fill the response ring, 8 more wait in the request ring, the 17th does not fit
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; i < 16; i++) {
                c.memory().set(JAVA_LONG, c.blockAt(i % 8), i);
                while (!c.submitRaw((i % 8) * 64, 8, i, 0)) {  // the server takes the first 8 meanwhile
                    assertTrue(System.nanoTime() < deadline, "request " + i);
                    Thread.sleep(1);
                }
            }
            while (ChannelLayout.getAcquire(c.memory(), ChannelLayout.RESP_TAIL) != 8 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertFalse(c.submitRaw(0, 8, 16, 0), "the request ring is full: the server holds what it cannot answer");
            stuck.countDown();
            assertTrue(othersDone.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 16; i++) {                    // consuming now lets the held requests through
                assertEquals(Status.OK, c.take());
                ids.add(c.responseId());
            }
        });
        rig.start(rig.clientTask("honest", SMALL.regionBytes()), sys -> {
            try {
                assertTrue(stuck.await(10, TimeUnit.SECONDS));
                honest(connect(sys, SMALL, 0), 2_000, 4);
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                othersDone.countDown();
            }
        });
        rig.stop();
        assertEquals(List.of(), errors);
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            inOrder.add(i);
        }
        assertEquals(inOrder, ids);
    }

    @Test
    void region_revokedByItsClient_serverClosesThatChannelOnly() throws Exception {
        ChannelRig rig = new ChannelRig();
        List<Throwable> errors = new ArrayList<>();
        CountDownLatch revoked = new CountDownLatch(1);
        rig.start(rig.clientTask("revoker", SMALL.regionBytes()), sys -> {
            ChannelClient c = connect(sys, SMALL, 0);
            assertEquals(Status.OK, sys.revoke(REGION));         // the server's copy of the region goes
            assertTrue(c.submit(0, 8, 1));                        // a request the server can no longer see
            revoked.countDown();
        });
        rig.start(rig.clientTask("honest", SMALL.regionBytes()), sys -> {
            try {
                assertTrue(revoked.await(10, TimeUnit.SECONDS));
                honest(connect(sys, SMALL, 0), 500, 3);
            } catch (Throwable t) {
                errors.add(t);
            }
        });
        rig.stop();
        assertEquals(List.of(), errors);
        assertEquals(1, rig.server.closed());
    }

    @Test
    void setup_badLayoutOrTooSmallRegion_refusedWithLabel() throws Exception {
        ChannelRig rig = new ChannelRig();
        List<Integer> labels = new ArrayList<>();
        rig.start(rig.clientTask("client", 4096), sys -> {
            sys.ipc().setReceiveSlot(0, SERVER_BELL);
            long[][] tries = {{3, 64}, {8, 12}, {1L << 40, 64}, {64, 4096}};
            for (long[] t : tries) {
                sys.ipc().setMr(0, t[0]);
                sys.ipc().setMr(1, t[1]);
                sys.ipc().setMr(2, 0);
                sys.ipc().setCap(0, REGION);
                sys.ipc().setCap(1, BELL);
                assertEquals(Status.OK, sys.call(EP, MessageInfo.of(ChannelServer.SETUP, 3, 2)));
                labels.add(sys.ipc().label());
            }
            assertEquals(Status.OK, sys.call(EP, MessageInfo.of(ChannelServer.SETUP, 3, 0)));
            labels.add(sys.ipc().label());
            // the client checks the size itself before it asks
            assertThrows(IllegalArgumentException.class, () -> connect(sys, new ChannelLayout(4, 1024), 0));
        });
        rig.stop();
        int layout = ChannelServer.REFUSED_LAYOUT;
        int region = ChannelServer.REFUSED_REGION;
        assertEquals(List.of(layout, layout, layout, region, ChannelServer.REFUSED_MESSAGE), labels);
    }

    @Test
    void layout_badValues_refusedWithTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ChannelLayout(6, 64)).getMessage().contains("6"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ChannelLayout(8, 60)).getMessage().contains("60"));
        assertThrows(IllegalArgumentException.class, () -> new ChannelLayout(1 << 16, 1 << 20));
        assertEquals(768 + 8 * 16 * 2, new ChannelLayout(8, 64).dataStart());
    }

    @Test
    void stream_bothSidesBusy_farFewerSyscallsThanMessages() throws Exception {
        ChannelRig rig = new ChannelRig();
        AtomicLong syscalls = new AtomicLong();
        AtomicBoolean counting = new AtomicBoolean();
        rig.kernel.tracer(new Tracer() {
            @Override
            public void syscall(TaskHandle task, IpcBuffer ipc, SyscallName op, long a, long b, Outcome outcome) {
                if (counting.get()) {
                    syscalls.incrementAndGet();
                }
            }

            @Override
            public void completed(TaskHandle task, IpcBuffer ipc, Status status) {}
        });
        int messages = 20_000;
        List<Throwable> errors = new ArrayList<>();
        ChannelLayout layout = new ChannelLayout(64, 64);
        rig.start(rig.clientTask("client", layout.regionBytes()), sys -> {
            try {
                ChannelClient c = connect(sys, layout, 0);
                counting.set(true);
                int sent = 0;
                int answered = 0;
                while (answered < messages) {
                    int b;
                    while (sent < messages && (b = c.acquire()) >= 0) {
                        c.memory().set(JAVA_LONG, c.blockAt(b), sent);
                        assertTrue(c.submit(b, 8, b));
                        sent++;
                    }
                    assertEquals(Status.OK, c.take());
                    assertEquals(ChannelLayout.OK, c.responseStatus());
                    c.release(c.responseId());
                    answered++;
                }
                counting.set(false);
            } catch (Throwable t) {
                errors.add(t);
            }
        });
        rig.stop();
        assertEquals(List.of(), errors);
        // every doorbell is a Signal and a Wait or Recv: with a syscall per message there would be
        // 2 x 20 000 or more; event suppression leaves only the sleeps (many under load, few when quiet)
        System.out.printf("channel stream: %d syscalls for %d messages%n", syscalls.get(), messages);
        assertTrue(syscalls.get() < messages / 4, syscalls.get() + " syscalls for " + messages + " messages");
    }

    @Test
    void setup_whileAnotherClientKeepsTheServerBusy_isTakenWithinATick() throws Exception {
        // 100 us per request and 1024 in flight: the streamer's ring holds 100 ms of work, so the
        // server does not run out (unless the streamer is descheduled that long) and does not sleep
        // in Recv, where it would take the setup anyway
        ChannelRig rig = new ChannelRig(8, ChannelServer.Data.SHARED, 0, (client, data, at, length) -> {
            long until = System.nanoTime() + 100_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return ChannelRig.triple(client, data, at, length);
        });
        ChannelLayout layout = new ChannelLayout(1024, 8);
        CountDownLatch streaming = new CountDownLatch(1);
        AtomicBoolean secondDone = new AtomicBoolean();
        List<Throwable> errors = new ArrayList<>();
        rig.start(rig.clientTask("streamer", layout.regionBytes()), sys -> {
            try {
                ChannelClient c = connect(sys, layout, 0);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                int n = 0;
                while (!secondDone.get() && System.nanoTime() < deadline) {
                    int b;
                    while ((b = c.acquire()) >= 0) {
                        assertTrue(c.submit(b, 8, b));
                    }
                    if (++n == 10) {
                        streaming.countDown();
                    }
                    assertEquals(Status.OK, c.take());
                    c.release(c.responseId());
                    while (c.poll()) {
                        c.release(c.responseId());
                    }
                }
                assertTrue(secondDone.get(), "the second client did not get through in 20 s");
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                streaming.countDown();
            }
        });
        rig.start(rig.clientTask("second", SMALL.regionBytes()), sys -> {
            try {
                assertTrue(streaming.await(10, TimeUnit.SECONDS));
                honest(connect(sys, SMALL, 0), 5, 1);
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                secondDone.set(true);
            }
        });
        rig.stop();
        assertEquals(List.of(), errors);
    }
}
