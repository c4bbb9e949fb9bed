package io.capipc.servers.channel;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * Where everything lives in a channel's region (docs/servers.md "Channels"). Both sides compute it
 * from the same two numbers, the ring capacity and the block size, which the client sends in the
 * setup Call's registers; the server never reads the layout from the shared bytes.
 *
 * <pre>
 *   0  request tail      (client writes)     each index on its own pair of 64-byte lines
 * 128  request head      (server writes)
 * 256  response tail     (server writes)
 * 384  response head     (client writes)
 * 512  server waiting    (server sets 1 before it sleeps; a client that sees 1 swaps it to 0 and rings)
 * 640  client waiting    (the same, the other way)
 * 768  request ring      capacity descriptors of 16 bytes
 *      response ring     capacity descriptors of 16 bytes
 *      data area         capacity blocks of blockSize bytes, 64-byte aligned
 * </pre>
 *
 * <p>A descriptor is four ints: offset (into the data area), length, id, flags. In a request the
 * flags must be 0; in a response they are a {@code Channel} status ({@link #OK}, {@link #REFUSED_RANGE},
 * {@link #REFUSED_FLAGS}, {@link #FAILED}). Indices are ints that run freely and wrap at 2^32; a
 * ring's fill is {@code tail - head} in int arithmetic, so wrapping needs no special case.
 *
 * @param capacity descriptors per ring, a power of two in 1..{@value #MAX_CAPACITY}
 * @param blockSize bytes per data block, a multiple of 8 in 8..; capacity * blockSize at most
 *     {@link Integer#MAX_VALUE} (offsets are ints)
 */
public record ChannelLayout(int capacity, int blockSize) {
    /** The most descriptors a ring may have. */
    public static final int MAX_CAPACITY = 1 << 16;
    /** Bytes per descriptor. */
    public static final int DESCRIPTOR_BYTES = 16;

    /** Response status: served; the response's length is in the descriptor. */
    public static final int OK = 0;
    /** Response status: the request's offset or length fell outside the data area; not served. */
    public static final int REFUSED_RANGE = 1;
    /** Response status: the request's flags were not 0; not served. */
    public static final int REFUSED_FLAGS = 2;
    /** Response status: the handler threw or returned a length it may not; response length 0. */
    public static final int FAILED = 3;

    static final long REQ_TAIL = 0;
    static final long REQ_HEAD = 128;
    static final long RESP_TAIL = 256;
    static final long RESP_HEAD = 384;
    static final long SERVER_WAITING = 512;
    static final long CLIENT_WAITING = 640;
    static final long REQ_RING = 768;

    /** Reads and writes of the shared ints with an ordering: coordinates (segment, offset). */
    static final VarHandle INT = JAVA_INT.varHandle().withInvokeExactBehavior();

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public ChannelLayout {
        String why = check(capacity, blockSize);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
    }

    /** Why the values cannot make a layout, or null if they can; allocates only to explain a refusal. */
    static @org.jspecify.annotations.Nullable String check(int capacity, int blockSize) {
        if (capacity < 1 || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            return "capacity must be a power of two in 1.." + MAX_CAPACITY + ", was " + capacity;
        }
        if (blockSize < 8 || blockSize % 8 != 0) {
            return "blockSize must be a multiple of 8, at least 8, was " + blockSize;
        }
        if ((long) capacity * blockSize > Integer.MAX_VALUE) {
            return "capacity * blockSize must be at most " + Integer.MAX_VALUE + ", was " + (long) capacity * blockSize;
        }
        return null;
    }

    /** True if the values make a layout; allocates nothing (the server's check of a client's registers). */
    static boolean valid(int capacity, int blockSize) {
        return capacity >= 1 && capacity <= MAX_CAPACITY && Integer.bitCount(capacity) == 1
                && blockSize >= 8 && blockSize % 8 == 0 && (long) capacity * blockSize <= Integer.MAX_VALUE;
    }

    /** Where the response ring starts. */
    public long responseRing() {
        return responseRing(capacity);
    }

    static long responseRing(int capacity) {
        return REQ_RING + (long) capacity * DESCRIPTOR_BYTES;
    }

    /** Where the data area starts (64-byte aligned). */
    public long dataStart() {
        return dataStart(capacity);
    }

    static long dataStart(int capacity) {
        return (responseRing(capacity) + (long) capacity * DESCRIPTOR_BYTES + 63) & ~63L;
    }

    /** Bytes of the data area. */
    public long dataBytes() {
        return (long) capacity * blockSize;
    }

    /** The fewest bytes a region must have to hold this channel. */
    public long regionBytes() {
        return dataStart() + dataBytes();
    }

    // ---- Shared ints, named by their ordering (Agrona/JCTools style).

    static int getAcquire(MemorySegment m, long at) {
        return (int) INT.getAcquire(m, at);
    }

    static int getVolatile(MemorySegment m, long at) {
        return (int) INT.getVolatile(m, at);
    }

    static void setRelease(MemorySegment m, long at, int value) {
        INT.setRelease(m, at, value);
    }

    static void setVolatile(MemorySegment m, long at, int value) {
        INT.setVolatile(m, at, value);
    }

    static boolean compareAndSet(MemorySegment m, long at, int expected, int value) {
        return (boolean) INT.compareAndSet(m, at, expected, value);
    }
}
