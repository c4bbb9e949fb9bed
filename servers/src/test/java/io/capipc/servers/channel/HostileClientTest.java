package io.capipc.servers.channel;

import static io.capipc.servers.channel.ChannelRig.SERVER_BELL;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Syscalls;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seed 003's malicious client, four of them at once, against a server that also serves an honest
 * client (SPEC §12.2): the server never reads outside a region, never hangs, never throws out of its
 * loop, and the honest client's answers stay right.
 *
 * <ul>
 *   <li><b>scribbler</b>: two threads rewrite every byte of the indices, the rings and the data
 *       with random values while its task connects, submits, rings and reconnects;
 *   <li><b>flipper</b>: submits good requests while a thread flips the very descriptors between an
 *       in-range and an out-of-range offset (a server that fetched a field twice would read past the
 *       region's end, which the data area ends at); every answer must be OK or REFUSED_RANGE;
 *   <li><b>wrapper</b>: publishes request tails and response heads that no honest client writes
 *       (behind, far ahead, across the wrap), is disconnected, reconnects, again;
 *   <li><b>stalled</b>: fills both rings, never consumes a response, and spams the doorbell.
 * </ul>
 *
 * The regions are exactly as large as the layout, so any read past a data area is a read past the
 * region; the handler itself records any range it was given outside the data area.
 */
class HostileClientTest {
    private static final ChannelLayout LAYOUT = new ChannelLayout(8, 64);
    private static final int HONEST_REQUESTS = 3_000;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong outsideCalls = new AtomicLong();
    private final AtomicLong handlerThrows = new AtomicLong();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<Thread> rogues = new CopyOnWriteArrayList<>();

    @ParameterizedTest
    @EnumSource(ChannelServer.Data.class)
    void hostileClients_rewriteFlipWrapAndStall_serverSurvivesAndHonestAnswersStayRight(ChannelServer.Data data)
            throws Exception {
        ChannelRig rig = new ChannelRig(8, data, 64, this::checked);
        CountDownLatch honestConnected = new CountDownLatch(1);
        rig.start(rig.clientTask("honest", LAYOUT.regionBytes()), sys -> {
            try {
                ChannelClient c = ChannelTest.connect(sys, LAYOUT, Integer.MAX_VALUE - 1000);
                honestConnected.countDown();
                long start = System.nanoTime();
                for (int done = 0; done < HONEST_REQUESTS || System.nanoTime() - start < 1_000_000_000L; done += 1000) {
                    ChannelTest.honest(c, 1000, 6);  // at least a second of attacks
                }
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                honestConnected.countDown();
                running.set(false);  // the hostile ones stop when the honest one is done
            }
        });
        assertTrue(honestConnected.await(10, TimeUnit.SECONDS));
        rig.start(rig.clientTask("scribbler", LAYOUT.regionBytes()), this::scribbler);
        rig.start(rig.clientTask("flipper", LAYOUT.regionBytes()), this::flipper);
        rig.start(rig.clientTask("wrapper", LAYOUT.regionBytes()), this::wrapper);
        rig.start(rig.clientTask("stalled", LAYOUT.regionBytes()), this::stalled);
        rig.stop();
        for (Thread t : rogues) {
            t.join();
        }
        System.out.printf("%s: served %d, refused range %d, flags %d, failed %d, closed %d%n", data,
                rig.server.served(), rig.server.refusedRange(), rig.server.refusedFlags(), rig.server.failed(),
                rig.server.closed());
        assertEquals(List.of(), errors);
        assertEquals(0, outsideCalls.get(), "handler calls with a range outside the data area");
        assertEquals(0, handlerThrows.get(), "handler calls that threw");
        assertTrue(rig.server.served() >= HONEST_REQUESTS, "served " + rig.server.served());
        assertTrue(rig.server.refusedRange() > 0, "the flipper's out-of-range offsets were refused");
        assertTrue(rig.server.closed() > 0, "the wrapper's channels were closed");
    }

    /** The rig's handler, checking the range it is given and recording throws. */
    private int checked(int client, MemorySegment data, long at, int length) {
        long start = data.byteSize() == LAYOUT.regionBytes() ? LAYOUT.dataStart() : 0;
        if (at < start || length < 0 || at + length > data.byteSize()) {
            outsideCalls.incrementAndGet();
        }
        try {
            return ChannelRig.triple(client, data, at, length);
        } catch (RuntimeException e) {
            handlerThrows.incrementAndGet();
            throw e;
        }
    }

    /** Connects again after the server dropped (or refused) the last channel; null if refused. */
    private static ChannelClient reconnect(Syscalls sys) throws Exception {
        var _ = sys.delete(SERVER_BELL); // the last channel's doorbell, if any
        try {
            return ChannelTest.connect(sys, LAYOUT, 0);
        } catch (IllegalStateException full) {
            return null;
        }
    }

    private void rogue(String name, Runnable body) {
        Thread t = Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        rogues.add(t);
    }

    private void scribbler(Syscalls sys) throws Exception {
        ChannelClient c = ChannelTest.connect(sys, LAYOUT, 0);
        MemorySegment m = c.memory();
        for (int r = 0; r < 2; r++) {
            long seed = r;
            rogue("scribble-" + r, () -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (running.get()) {
                    for (int i = 0; i < 500; i++) {
                        long at = random.nextLong(m.byteSize() / 4) * 4;
                        m.set(JAVA_INT, at, random.nextInt());
                    }
                    LockSupport.parkNanos(50_000);
                }
            });
        }
        SplittableRandom random = new SplittableRandom(7);
        while (running.get()) {
            if (c != null) {
                var _ = c.submitRaw(random.nextInt(), random.nextInt(), random.nextInt(), random.nextInt(3) == 0 ? 1 : 0);
                var _ = c.poll();
                var _ = sys.signal(SERVER_BELL); // rings whether or not the server waits
            }
            LockSupport.parkNanos(200_000);
            if (random.nextInt(20) == 0) {
                c = reconnect(sys);
            }
        }
    }

    private void flipper(Syscalls sys) throws Exception {
        ChannelClient c = ChannelTest.connect(sys, LAYOUT, 0);
        MemorySegment m = c.memory();
        int last = (int) LAYOUT.dataBytes() - 8;
        int past = (int) LAYOUT.dataBytes() - 4;  // with length 8: four bytes past the region's end
        rogue("flip", () -> {
            SplittableRandom random = new SplittableRandom(3);
            while (running.get()) {
                for (int i = 0; i < 200; i++) {
                    long d = ChannelLayout.REQ_RING + (long) random.nextInt(LAYOUT.capacity()) * 16;
                    m.set(JAVA_INT, d, random.nextBoolean() ? last : past);
                }
                LockSupport.parkNanos(20_000);
            }
        });
        int id = 0;
        while (running.get()) {
            int k = id & 1;
            while (c.submitRaw(k == 0 ? last : past, 8, id, 0)) {
                id++;
                k = id & 1;
            }
            while (c.poll()) {
                int s = c.responseStatus();
                if (s != ChannelLayout.OK && s != ChannelLayout.REFUSED_RANGE) {
                    errors.add(new AssertionError("flipper got status " + s));
                }
                if (s == ChannelLayout.OK && c.responseOffset() != last) {
                    errors.add(new AssertionError("served at offset " + c.responseOffset()));
                }
            }
            LockSupport.parkNanos(100_000);
        }
    }

    private void wrapper(Syscalls sys) throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        int[] bad = {-1, LAYOUT.capacity() + 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 20};
        ChannelClient c = ChannelTest.connect(sys, LAYOUT, Integer.MAX_VALUE - 2);
        while (running.get()) {
            if (c != null) {
                MemorySegment m = c.memory();
                var _ = c.submitRaw(0, 8, 1, 0);  // one honest request first, then a tail or head no client writes
                long at = random.nextBoolean() ? 0 : 384;  // request tail or response head
                m.set(JAVA_INT, at, m.get(JAVA_INT, at) + bad[random.nextInt(bad.length)]);
                var _ = sys.signal(SERVER_BELL);
            }
            LockSupport.parkNanos(2_000_000);
            c = reconnect(sys);
        }
    }

    private void stalled(Syscalls sys) throws Exception {
        ChannelClient c = ChannelTest.connect(sys, LAYOUT, 5);
        int id = 0;
        while (running.get()) {
            while (c.submit(id & 7, 8, id)) { // never a poll: the response ring stays full
                c.memory().set(JAVA_BYTE, c.blockAt(id & 7), (byte) id);
                id++;
            }
            var _ = sys.signal(SERVER_BELL);
            LockSupport.parkNanos(500_000);
        }
        assertTrue(id >= 2 * LAYOUT.capacity(), "filled both rings: " + id);
        if (ChannelLayout.getAcquire(c.memory(), ChannelLayout.RESP_TAIL) - 5 != LAYOUT.capacity()) {
            errors.add(new AssertionError("the stalled client's response ring is not exactly full"));
        }
    }
}
