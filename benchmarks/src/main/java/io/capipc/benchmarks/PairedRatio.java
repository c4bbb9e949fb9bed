package io.capipc.benchmarks;

import io.capipc.api.MessageInfo;
import io.capipc.kernel.ThreadedRuntime;
import java.util.Arrays;

/**
 * The ratio of a spinning callReplyWait to the spin ping-pong floor, measured so that the VM's
 * mode cannot skew it. On this machine a cross-core handoff runs in a near mode (about 100 ns per
 * bare round trip) or a far mode (about 450 ns), and switches between them every few seconds; JMH
 * measures one benchmark after the other, so the floor and capipc can land in different modes. Here
 * they alternate in short batches (a few milliseconds each), each capipc batch right after a floor
 * batch, and the ratio is taken per pair of batches, then its median.
 *
 * <p>More batches run between them: the protocol floor ({@link RendezvousPingPong}, with as many
 * registers), so the report also says how far capipc is above what any endpoint IPC costs here; the
 * same under one lock, which says what a kernel lock adds to it; the JCTools queue pair of {@link Peers}, the check on the floor itself (a floor slower
 * than a pair of queues would be built wrong); and {@link HotLinePingPong}, the floor of issue 23's
 * design (a per-endpoint lock, each task's state on its mailbox line), which says how much of
 * capipc's gap to the protocol floor that design could close.
 *
 * <p>Only one pair of threads spins at a time: each floor's echo thread is started and stopped around
 * its batch, and capipc's server parks between its batches. Not a JMH benchmark (JMH cannot pair two
 * measurements); run it with
 * {@code java -cp benchmarks/target/benchmarks.jar io.capipc.benchmarks.PairedRatio [pairs] [batch] [registers]}
 * (registers 0 or 8, default 8).
 */
public final class PairedRatio {
    private PairedRatio() {}

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int warmup = pairs / 4;
        int registers = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        if (registers != 0 && registers != 8) {
            throw new IllegalArgumentException("registers must be 0 or 8 (the protocol floor's), was " + registers);
        }
        long info = MessageInfo.of(CapipcPair.WORK, registers);
        double[] floor = new double[pairs];
        double[] rendezvous = new double[pairs];
        double[] lockedRendezvous = new double[pairs];
        double[] queues = new double[pairs];
        double[] hotLine = new double[pairs];
        double[] capipc = new double[pairs];
        try (CapipcPair pair = new CapipcPair(ThreadedRuntime.Threads.PLATFORM, ThreadedRuntime.DEFAULT_SPIN, 1,
                CapipcPair.echo(registers))) {
            for (int i = 0; i < warmup + pairs; i++) {
                double f = floorBatch(batch);
                double r = rendezvousBatch(registers, false, batch);
                double l = rendezvousBatch(registers, true, batch);
                double q = queueBatch(batch);
                double h = hotLineBatch(registers, HotLinePingPong.ALL, batch);
                double c = capipcBatch(pair, info, batch);
                if (i >= warmup) {
                    floor[i - warmup] = f;
                    rendezvous[i - warmup] = r;
                    lockedRendezvous[i - warmup] = l;
                    queues[i - warmup] = q;
                    hotLine[i - warmup] = h;
                    capipc[i - warmup] = c;
                }
            }
        }
        report(floor, rendezvous, lockedRendezvous, queues, hotLine, capipc, batch, registers);
    }

    /**
     * ns per round trip over {@code n} floor round trips, after a few untimed ones. Each kind of batch
     * has a loop of its own, so that every timed call site sees one class only.
     */
    private static double floorBatch(int n) throws InterruptedException {
        SpinPingPong floor = new SpinPingPong().start();
        for (int i = 0; i < 100; i++) {
            floor.roundTrip();
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            floor.roundTrip();
        }
        long ns = System.nanoTime() - start;
        floor.stop();
        return (double) ns / n;
    }

    /** The same for the protocol floor, with {@code registers} registers each way, under a lock or not. */
    static double rendezvousBatch(int registers, boolean locked, int n) throws InterruptedException {
        RendezvousPingPong floor = new RendezvousPingPong(registers, locked).start();
        for (int i = 0; i < 100; i++) {
            floor.roundTrip();
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            floor.roundTrip();
        }
        long ns = System.nanoTime() - start;
        floor.stop();
        return (double) ns / n;
    }

    /** The same for the design's floor, {@link HotLinePingPong}, with {@code parts} of it (also for {@link HotLineParts}). */
    static double hotLineBatch(int registers, int parts, int n) throws InterruptedException {
        HotLinePingPong floor = new HotLinePingPong(registers, parts).start();
        for (int i = 0; i < 100; i++) {
            floor.roundTrip();
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            floor.roundTrip();
        }
        long ns = System.nanoTime() - start;
        floor.stop();
        return (double) ns / n;
    }

    /** The same for the JCTools queue pair of {@link Peers}. */
    private static double queueBatch(int n) throws InterruptedException {
        Peers.JcTools pair = new Peers.JcTools();
        pair.setUp();
        for (int i = 0; i < 100; i++) {
            pair.roundTrip();
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            pair.roundTrip();
        }
        long ns = System.nanoTime() - start;
        pair.tearDown();
        return (double) ns / n;
    }

    /** ns per Call over {@code n} Calls, after a few untimed ones that wake the parked server. */
    private static double capipcBatch(CapipcPair pair, long info, int n) {
        for (int i = 0; i < 100; i++) {
            CapipcPair.check(pair.client.call(0, info), "call");
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            CapipcPair.check(pair.client.call(0, info), "call");
        }
        return (double) (System.nanoTime() - start) / n;
    }

    private static void report(double[] floor, double[] rendezvous, double[] lockedRendezvous, double[] queues,
                               double[] hotLine, double[] capipc, int batch, int registers) {
        int n = floor.length;
        double[] ratio = new double[n];
        double[] queueRatio = new double[n];
        double[] protocol = new double[n];
        double[] overProtocol = new double[n];
        double[] lockedProtocol = new double[n];
        double[] hotLineProtocol = new double[n];
        double[] overHotLine = new double[n];
        int near = 0;
        for (int i = 0; i < n; i++) {
            ratio[i] = capipc[i] / floor[i];
            protocol[i] = rendezvous[i] / floor[i];
            overProtocol[i] = capipc[i] / rendezvous[i];
            lockedProtocol[i] = lockedRendezvous[i] / floor[i];
            queueRatio[i] = queues[i] / floor[i];
            hotLineProtocol[i] = hotLine[i] / rendezvous[i];
            overHotLine[i] = capipc[i] / hotLine[i];
            if (floor[i] < 200) {
                near++;
            }
        }
        System.out.printf("pairs %d, batch %d round trips, callReplyWait spinning with %d registers%n", n, batch, registers);
        System.out.printf("floor ns:  %s%n", quartiles(floor));
        System.out.printf("rendezvous ns: %s%n", quartiles(rendezvous));
        System.out.printf("capipc ns: %s%n", quartiles(capipc));
        System.out.printf("ratio:     %s%n", quartiles(ratio));
        System.out.printf("rendezvous / floor: %s%n", quartiles(protocol));
        System.out.printf("locked rendezvous / floor: %s%n", quartiles(lockedProtocol));
        System.out.printf("capipc / rendezvous: %s%n", quartiles(overProtocol));
        System.out.printf("hot line / rendezvous: %s%n", quartiles(hotLineProtocol));
        System.out.printf("capipc / hot line: %s%n", quartiles(overHotLine));
        System.out.printf("jctools / floor (>= 1 if the floor is right): %s%n", quartiles(queueRatio));
        System.out.printf("pairs whose floor was in near mode (< 200 ns): %d of %d%n", near, n);
        if (near > 0) {
            double[] nearRatio = new double[near];
            for (int i = 0, j = 0; i < n; i++) {
                if (floor[i] < 200) {
                    nearRatio[j++] = ratio[i];
                }
            }
            System.out.printf("ratio, near-mode pairs: %s%n", quartiles(nearRatio));
        }
    }

    private static String quartiles(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return String.format("p25 %.2f  median %.2f  p75 %.2f", s[s.length / 4], s[s.length / 2], s[s.length * 3 / 4]);
    }
}
