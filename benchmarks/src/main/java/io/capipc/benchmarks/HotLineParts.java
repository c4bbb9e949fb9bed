package io.capipc.benchmarks;

import java.util.Arrays;

/**
 * What each part of issue 23's design costs: the protocol floor ({@link RendezvousPingPong}) and
 * {@link HotLinePingPong} with none, either and both of its parts (the per-endpoint lock; each side
 * recording its own state on its own mailbox line), alternated batch by batch as in
 * {@link PairedRatio} (whose batches it runs), each reported as its median ratio to the protocol floor of the same pair.
 * Run with {@code java -cp benchmarks/target/benchmarks.jar io.capipc.benchmarks.HotLineParts
 * [pairs] [batch] [registers]} (registers 0 or 8, default 0).
 */
public final class HotLineParts {
    private HotLineParts() {}

    private static final int[] PARTS = {0, HotLinePingPong.LOCK, HotLinePingPong.OWN_LINE, HotLinePingPong.ALL};
    private static final String[] NAMES = {"neither", "lock only", "own line only", "both (the design)"};

    public static void main(String[] args) throws InterruptedException {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int registers = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int warmup = pairs / 4;
        double[][] ratios = new double[PARTS.length][pairs];
        double[] protocol = new double[pairs];
        for (int i = 0; i < warmup + pairs; i++) {
            double r = PairedRatio.rendezvousBatch(registers, false, batch);
            for (int p = 0; p < PARTS.length; p++) {
                double h = PairedRatio.hotLineBatch(registers, PARTS[p], batch);
                if (i >= warmup) {
                    ratios[p][i - warmup] = h / r;
                }
            }
            if (i >= warmup) {
                protocol[i - warmup] = r;
            }
        }
        System.out.printf("pairs %d, batch %d round trips, %d registers; protocol floor ns: median %.1f%n", pairs, batch,
                registers, median(protocol));
        for (int p = 0; p < PARTS.length; p++) {
            System.out.printf("%s / protocol floor: median %.2f%n", NAMES[p], median(ratios[p]));
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
