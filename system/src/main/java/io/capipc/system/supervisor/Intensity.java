package io.capipc.system.supervisor;

/**
 * A restart intensity (Erlang/OTP's {@code intensity} and {@code period}): at most
 * {@code maxRestarts} restarts within any {@code windowNanos}; one more and the supervisor gives up.
 *
 * @param maxRestarts restarts allowed in a window, 0 or more (0: give up at the first fault)
 * @param windowNanos the window's length in nanoseconds, more than 0
 */
public record Intensity(int maxRestarts, long windowNanos) {
    /** Checks the values. */
    public Intensity {
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts is 0 or more, was " + maxRestarts);
        }
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("windowNanos is more than 0, was " + windowNanos);
        }
    }
}
