package io.capipc.servers.channel;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The size strategy (SPEC §12.3, seed 000): thresholds measured on this machine, from which
 * {@link #propose} suggests a {@link Transport} for a message size, with its reason. It never
 * chooses: nothing in capipc switches transport by itself; the caller reads the proposal and
 * decides (seed 000: the policy is an explicit alternative, not a transparent one).
 *
 * <p>The thresholds come from {@code benchmarks/run.sh crossover}, which runs the crossover
 * benchmark and writes them to {@code benchmarks/thresholds.properties} ({@link #load}); without
 * a measurement, {@link #unmeasured()} gives guesses and says so in every reason.
 *
 * @param registersMax the largest size (bytes, at most 512) registers beat Read/Write and a moved region at
 * @param readWriteMax the largest size a Call with Read/Write beat a moved region at
 * @param channelMax the largest size a channel round trip beat both Read/Write and a moved region at
 * @param source where the numbers come from (a results file and date, or "unmeasured")
 */
public record SizeStrategy(long registersMax, long readWriteMax, long channelMax, String source) {
    /** The most bytes registers carry: 64 registers of 8 bytes. */
    public static final long REGISTER_BYTES = 512;

    /** How the bytes will flow. */
    public enum Traffic {
        /** One message now and then: setting a channel up would not pay. */
        ONE_SHOT,
        /** A stream of messages between the same two tasks: a channel's setup is paid once. */
        SUSTAINED
    }

    /** A proposed transport and why; the caller decides. */
    public record Proposal(Transport transport, String reason) {}

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public SizeStrategy {
        if (registersMax < 0 || registersMax > REGISTER_BYTES) {
            throw new IllegalArgumentException("registersMax must be in 0.." + REGISTER_BYTES + ", was " + registersMax);
        }
        if (readWriteMax < 0 || channelMax < 0) {
            throw new IllegalArgumentException("readWriteMax and channelMax must be >= 0, were " + readWriteMax + ", " + channelMax);
        }
    }

    /** Guesses, for when nothing was measured: registers up to 512 B, Read/Write up to 64 KiB, channels up to 64 KiB. */
    public static SizeStrategy unmeasured() {
        return new SizeStrategy(REGISTER_BYTES, 64 << 10, 64 << 10, "unmeasured");
    }

    /**
     * Proposes a transport for messages of {@code bytes}: for sustained traffic a channel up to
     * channelMax (its setup Call is paid once); else registers up to registersMax, Read/Write up to
     * readWriteMax, and beyond, a moved region.
     */
    public Proposal propose(long bytes, Traffic traffic) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
        }
        if (traffic == Traffic.SUSTAINED && bytes <= channelMax) {
            return new Proposal(Transport.CHANNEL, bytes + " B <= " + channelMax
                    + " B, where a channel beat copying and moving, and the traffic is sustained (" + source + ")");
        }
        if (bytes <= registersMax) {
            return new Proposal(Transport.REGISTERS, bytes + " B <= " + registersMax
                    + " B, where registers beat the other one-shot transports (" + source + ")");
        }
        if (bytes <= readWriteMax) {
            return new Proposal(Transport.READ_WRITE, bytes + " B <= " + readWriteMax
                    + " B, where Read/Write beat a moved region (" + source + ")");
        }
        return new Proposal(Transport.MOVED_REGION, bytes + " B > " + readWriteMax
                + " B, beyond which moving a region beat copying (" + source + ")");
    }

    /**
     * Reads thresholds written by {@code benchmarks/run.sh crossover} (keys registersMax,
     * readWriteMax, channelMax, source).
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if a key is missing or not a number
     */
    public static SizeStrategy load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return new SizeStrategy(number(p, "registersMax"), number(p, "readWriteMax"), number(p, "channelMax"),
                p.getProperty("source", file.toString()));
    }

    /** Writes the thresholds in the form {@link #load} reads. */
    public void store(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("registersMax", Long.toString(registersMax));
        p.setProperty("readWriteMax", Long.toString(readWriteMax));
        p.setProperty("channelMax", Long.toString(channelMax));
        p.setProperty("source", source);
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "capipc size strategy thresholds (benchmarks/run.sh crossover)");
        }
    }

    private static long number(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("no " + key + " in the thresholds");
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + v, e);
        }
    }
}
