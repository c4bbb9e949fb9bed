package io.capipc.servers.channel;

import static io.capipc.servers.channel.ChannelLayout.CLIENT_WAITING;
import static io.capipc.servers.channel.ChannelLayout.DESCRIPTOR_BYTES;
import static io.capipc.servers.channel.ChannelLayout.REQ_HEAD;
import static io.capipc.servers.channel.ChannelLayout.REQ_RING;
import static io.capipc.servers.channel.ChannelLayout.REQ_TAIL;
import static io.capipc.servers.channel.ChannelLayout.RESP_HEAD;
import static io.capipc.servers.channel.ChannelLayout.RESP_TAIL;
import static io.capipc.servers.channel.ChannelLayout.SERVER_WAITING;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.servers.IpcException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The client side of a channel (docs/servers.md "Channels"): one task's end, used from that task's
 * thread only. The data area is cut into {@code capacity} blocks of {@code blockSize} bytes, which
 * the client takes ({@link #acquire}), fills through {@link #memory()} at {@link #blockAt}, submits
 * ({@link #submit}), and gives back ({@link #release}) once the answer has been read.
 *
 * <pre>{@code
 * int b = client.acquire();
 * client.memory().set(JAVA_LONG, client.blockAt(b), 21);
 * client.submit(b, 8, b);                 // offset of block b, 8 bytes, id b
 * if (client.take() == Status.OK && client.responseStatus() == ChannelLayout.OK) {
 *     long answer = client.memory().get(JAVA_LONG, client.responseAt());
 * }
 * client.release(b);
 * }</pre>
 *
 * <p>Submit and take ring the server's doorbell only when the server said it sleeps, and take
 * sleeps on the client's own doorbell only after spinning {@code spinNanos} and telling the server:
 * while both sides are busy, messages pass with no syscall. Nothing here allocates after connect.
 */
public final class ChannelClient {
    private final Syscalls sys;
    private final MemorySegment m;
    private final int bell;
    private final int serverBell;
    private final int capacity;
    private final int mask;
    private final int blockSize;
    private final long responseRing;
    private final long dataStart;
    private final int channel;
    private final long spinNanos;
    private final int[] free;
    private int freeCount;
    private int reqTail;
    private int respHead;

    private int responseOffset;
    private int responseLength;
    private int responseId;
    private int responseStatus;

    private ChannelClient(Syscalls sys, MemorySegment m, int bell, int serverBell, ChannelLayout layout,
            int initial, int channel, long spinNanos) {
        this.sys = sys;
        this.m = m;
        this.bell = bell;
        this.serverBell = serverBell;
        this.capacity = layout.capacity();
        this.mask = capacity - 1;
        this.blockSize = layout.blockSize();
        this.responseRing = layout.responseRing();
        this.dataStart = layout.dataStart();
        this.channel = channel;
        this.spinNanos = spinNanos;
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
        this.reqTail = initial;
        this.respHead = initial;
    }

    /**
     * Sets a channel up with one Call: maps the region in {@code region} (READ, WRITE and GRANT),
     * writes the initial indices, and sends the server on {@code endpoint} the region and the doorbell
     * notification in {@code bell} (the client waits on it; the server gets a copy to Signal). The
     * server's doorbell arrives in the empty slot {@code serverBell}. {@code initialIndex} is where the
     * ring indices start (any int: tests start near the wrap).
     *
     * @throws IpcException if Map or the Call failed (the status says why)
     * @throws IllegalStateException if the server refused the channel (its label is in the message)
     */
    public static ChannelClient connect(Syscalls sys, int endpoint, int region, int bell, int serverBell,
            ChannelLayout layout, int initialIndex, long spinNanos) throws IpcException {
        Status s = sys.map(region);
        if (s != Status.OK) {
            throw IpcException.of(s);
        }
        MemorySegment m = sys.ipc().mapping();
        if (m.byteSize() < layout.regionBytes()) {
            throw new IllegalArgumentException("the region has " + m.byteSize() + " bytes; " + layout + " needs "
                    + layout.regionBytes());
        }
        for (long at : new long[] {REQ_TAIL, REQ_HEAD, ChannelLayout.RESP_TAIL, RESP_HEAD}) {
            ChannelLayout.setRelease(m, at, initialIndex);
        }
        ChannelLayout.setVolatile(m, SERVER_WAITING, 0);
        ChannelLayout.setVolatile(m, CLIENT_WAITING, 0);
        sys.ipc().setMr(0, layout.capacity());
        sys.ipc().setMr(1, layout.blockSize());
        sys.ipc().setMr(2, initialIndex);
        sys.ipc().setCap(0, region);
        sys.ipc().setCap(1, bell);
        sys.ipc().setReceiveSlot(0, serverBell);
        s = sys.call(endpoint, MessageInfo.of(ChannelServer.SETUP, 3, 2));
        sys.ipc().setReceiveSlot(0, -1);
        if (s != Status.OK) {
            throw IpcException.of(s);
        }
        if (sys.ipc().label() != ChannelServer.ACCEPTED || sys.ipc().caps() != 1) {
            throw new IllegalStateException("the server refused the channel with label " + sys.ipc().label());
        }
        return new ChannelClient(sys, m, bell, serverBell, layout, initialIndex, (int) sys.ipc().mr(0), spinNanos);
    }

    /** The channel's number at the server (what its handler sees as {@code client}). */
    public int channel() {
        return channel;
    }

    /** The whole region, as this client maps it. */
    public MemorySegment memory() {
        return m;
    }

    /** Bytes per block. */
    public int blockSize() {
        return blockSize;
    }

    /** A free block's number, or -1 if every block is in use. */
    public int acquire() {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    /** Gives block {@code block} back (after its answer was read). */
    public void release(int block) {
        if (block < 0 || block >= capacity || freeCount == capacity) {
            throw new IllegalArgumentException("block " + block + " is not in use");
        }
        free[freeCount++] = block;
    }

    /** Where block {@code block} starts in {@link #memory()}. */
    public long blockAt(int block) {
        return dataStart + (long) block * blockSize;
    }

    /** Submits {@code length} bytes of block {@code block} under {@code id}; false if the request ring is full. */
    public boolean submit(int block, int length, int id) {
        return submitRaw(block * blockSize, length, id, 0);
    }

    /**
     * Submits a descriptor as given, offset relative to the data area: what {@link #submit} does, and
     * what a test uses to send offsets and flags a server must refuse. False if the ring is full.
     */
    public boolean submitRaw(int offset, int length, int id, int flags) {
        int tail = reqTail;
        if (tail - ChannelLayout.getAcquire(m, REQ_HEAD) >= capacity) {
            return false;
        }
        long d = REQ_RING + (long) (tail & mask) * DESCRIPTOR_BYTES;
        m.set(JAVA_INT, d, offset);
        m.set(JAVA_INT, d + 4, length);
        m.set(JAVA_INT, d + 8, id);
        m.set(JAVA_INT, d + 12, flags);
        reqTail = tail + 1;
        ChannelLayout.setVolatile(m, REQ_TAIL, tail + 1);  // publish, then read the server's word (Dekker)
        ringIfServerWaits();
        return true;
    }

    private void ringIfServerWaits() {
        if (ChannelLayout.getVolatile(m, SERVER_WAITING) == 1 && ChannelLayout.compareAndSet(m, SERVER_WAITING, 1, 0)) {
            var _ = sys.signal(serverBell); // a server gone is seen by take's wait ending
        }
    }

    /**
     * Takes the next response if there is one (its fields are then {@link #responseId} and the
     * rest); false if none has arrived.
     */
    public boolean poll() {
        int head = respHead;
        if (ChannelLayout.getAcquire(m, RESP_TAIL) == head) {
            return false;
        }
        long d = responseRing + (long) (head & mask) * DESCRIPTOR_BYTES;
        responseOffset = m.get(JAVA_INT, d);
        responseLength = m.get(JAVA_INT, d + 4);
        responseId = m.get(JAVA_INT, d + 8);
        responseStatus = m.get(JAVA_INT, d + 12);
        respHead = head + 1;
        ChannelLayout.setVolatile(m, RESP_HEAD, head + 1); // a slot freed: a held server may go on
        ringIfServerWaits();
        return true;
    }

    /**
     * Takes the next response, waiting for it: spins {@code spinNanos}, then says it waits and sleeps
     * on its doorbell. OK with the response's fields set, or the status that ended the wait.
     */
    public Status take() {
        if (poll()) {
            return Status.OK;
        }
        long start = System.nanoTime();
        while (System.nanoTime() - start < spinNanos) {
            if (poll()) {
                return Status.OK;
            }
            Thread.onSpinWait();
        }
        while (true) {
            ChannelLayout.setVolatile(m, CLIENT_WAITING, 1);
            VarHandle.fullFence(); // the waiting word before the index's last look (Dekker's StoreLoad)
            if (poll()) {
                return Status.OK;
            }
            Status s = sys.waitNotification(bell);
            if (s != Status.OK) {
                return s;
            }
            if (poll()) {
                return Status.OK;
            }
        }
    }

    /** The last response's offset, relative to the data area (the request's). */
    public int responseOffset() {
        return responseOffset;
    }

    /** Where the last response's bytes start in {@link #memory()}. */
    public long responseAt() {
        return dataStart + responseOffset;
    }

    /** The last response's length in bytes. */
    public int responseLength() {
        return responseLength;
    }

    /** The last response's id (the request's). */
    public int responseId() {
        return responseId;
    }

    /** The last response's status: {@link ChannelLayout#OK} or a refusal. */
    public int responseStatus() {
        return responseStatus;
    }
}
