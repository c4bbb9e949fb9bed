package io.capipc.benchmarks;

import java.util.Arrays;

/**
 * The typed-call overhead measured in pairs, so that this VM's drift (its handoffs switch between a
 * near and a far mode every few seconds, and other work on the two cores stretches a spin into a
 * scheduler quantum) cannot land the two sides of the ratio in different conditions: batches of
 * round trips through the generated stub and dispatcher alternate with batches of the same call
 * written by hand ({@link TypedCalls}), and the ratio is taken per pair of batches, then its median.
 * Not a JMH benchmark (JMH cannot pair two measurements); run it with
 * {@code java -cp benchmarks/target/benchmarks.jar io.capipc.benchmarks.TypedPairedRatio [pairs] [batch]}.
 */
public final class TypedPairedRatio {
    private TypedPairedRatio() {}

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int warmup = pairs / 4;
        TypedCalls calls = new TypedCalls();
        TypedCalls.Generated generated = new TypedCalls.Generated();
        TypedCalls.HandWritten hand = new TypedCalls.HandWritten();
        double[] g = new double[pairs];
        double[] h = new double[pairs];
        double[] ratio = new double[pairs];
        long sink = 0;
        // Each pair's client is adopted by this thread; both servers park between their batches.
        generated.setUp();
        hand.setUp();
        try {
            for (int i = 0; i < warmup + pairs; i++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < batch; k++) {
                    sink += calls.handWritten(hand);
                }
                long t1 = System.nanoTime();
                for (int k = 0; k < batch; k++) {
                    sink += calls.generated(generated);
                }
                long t2 = System.nanoTime();
                if (i >= warmup) {
                    h[i - warmup] = (double) (t1 - t0) / batch;
                    g[i - warmup] = (double) (t2 - t1) / batch;
                    ratio[i - warmup] = g[i - warmup] / h[i - warmup];
                }
            }
        } finally {
            generated.tearDown();
            hand.tearDown();
        }
        System.out.printf("handWritten ns: median %.1f%n", median(h));
        System.out.printf("generated ns: median %.1f%n", median(g));
        System.out.printf("generated / handWritten: median %.3f (quartiles %.3f..%.3f), %d pairs of %d calls (sink %d)%n",
                median(ratio), quantile(ratio, 0.25), quantile(ratio, 0.75), pairs, batch, sink & 1);
    }

    private static double median(double[] xs) {
        return quantile(xs, 0.5);
    }

    private static double quantile(double[] xs, double q) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }
}
