package io.capipc.servers.channel;

import static io.capipc.servers.channel.ChannelLayout.CLIENT_WAITING;
import static io.capipc.servers.channel.ChannelLayout.DESCRIPTOR_BYTES;
import static io.capipc.servers.channel.ChannelLayout.FAILED;
import static io.capipc.servers.channel.ChannelLayout.OK;
import static io.capipc.servers.channel.ChannelLayout.REFUSED_FLAGS;
import static io.capipc.servers.channel.ChannelLayout.REFUSED_RANGE;
import static io.capipc.servers.channel.ChannelLayout.REQ_HEAD;
import static io.capipc.servers.channel.ChannelLayout.REQ_RING;
import static io.capipc.servers.channel.ChannelLayout.REQ_TAIL;
import static io.capipc.servers.channel.ChannelLayout.RESP_HEAD;
import static io.capipc.servers.channel.ChannelLayout.RESP_TAIL;
import static io.capipc.servers.channel.ChannelLayout.SERVER_WAITING;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The server side of channels (docs/semantics.md §12.2, docs/servers.md "Channels"): serves up to
 * {@code maxChannels} clients, each through its own region, from one loop on one thread.
 *
 * <p><b>Trust.</b> Every byte of a channel's region can be changed by its client at any moment, by
 * any number of threads. So the server keeps its own copy of every index it produces (request
 * head, response tail) and of the layout (from the setup registers), and never reads them back from
 * the region; it reads each index the client produces (request tail, response head) and each
 * descriptor field exactly once, into a local, and checks the local (no double fetch). A request whose
 * offset or length falls outside the data area, or whose flags are not 0, is answered with
 * {@link ChannelLayout#REFUSED_RANGE} or {@link ChannelLayout#REFUSED_FLAGS} and not served; the
 * next request is served as usual. An index that says a ring holds less than nothing or more than
 * its capacity cannot come from an honest client: the server closes that channel (unmaps, deletes its
 * capabilities). So does a mapping that ends under the server (the client revoked the region).
 *
 * <p><b>Fairness.</b> The loop visits the open channels in turn and takes at most {@link #BATCH}
 * requests from each before publishing their answers and moving on.
 *
 * <p><b>The hold rule.</b> The server takes a request only when the client's response ring has a
 * free slot for its answer. A client that stops consuming responses therefore finds its requests
 * held, unread, in its own request ring: nothing is dropped and nothing is buffered by the server,
 * which never waits for that client and goes on serving the others. When the client frees a
 * response slot and sees the server waiting, it rings, and its requests flow again.
 *
 * <p><b>Doorbells.</b> The server binds its doorbell notification and sleeps in Recv on its endpoint,
 * where setup Calls also arrive. Before sleeping it sets every open channel's "server waiting" word,
 * then checks every ring once more (so a request published just before cannot be missed: both sides
 * write, then read the other's word, with sequentially consistent accesses, as Dekker's algorithm). A
 * client rings only after swapping that word from 1 to 0, so a busy server gets no Signal. The sleep
 * ends after {@code tickNanos} at the latest, so a client that never rings is still served, slowly;
 * and while the rings keep it busy, it looks at its endpoint (NBRecv) once a tick, so a client that
 * streams without pause cannot keep another from setting up.
 *
 * <p><b>Slots.</b> Channel i uses three slots from {@code firstSlot + 3i}: the region, the client's
 * doorbell, and a scratch slot for the badged server doorbell handed over at setup (moved out). The
 * server doorbell capability given to channel i carries badge {@code 1L << i}, so at most 63 channels.
 *
 * <p>After setup nothing here allocates (ChannelAllocTest).
 */
public final class ChannelServer {
    /** The label of a setup Call: mr0 capacity, mr1 block size, mr2 initial index; caps: region, doorbell. */
    public static final int SETUP = 0x43484e;
    /** Setup reply label: accepted; mr0 is the channel number, the capability is the server's doorbell. */
    public static final int ACCEPTED = 0;
    /** Setup reply label: every channel is taken. */
    public static final int REFUSED_FULL = 1;
    /** Setup reply label: not two capabilities, or not the setup label. */
    public static final int REFUSED_MESSAGE = 2;
    /** Setup reply label: capacity or block size make no layout. */
    public static final int REFUSED_LAYOUT = 3;
    /** Setup reply label: the first capability is no writable, 64-byte aligned region large enough. */
    public static final int REFUSED_REGION = 4;

    /**
     * The most requests of one channel taken before their answers are published and the next
     * channel's turn comes: answers flow while a long queue is served, and no channel waits for
     * another's whole ring.
     */
    public static final int BATCH = 16;

    /** The most channels one server serves (badges are bits of a 64-bit word). */
    public static final int MAX_CHANNELS = 63;
    /** How long the loop spins on empty rings before it sleeps, by default. */
    public static final long DEFAULT_SPIN_NANOS = 20_000;
    /** The longest sleep, by default: a client that never rings waits at most this long. */
    public static final long DEFAULT_TICK_NANOS = 10_000_000;

    /** Where a request's bytes are when the handler runs. */
    public enum Data {
        /** The client's memory itself (volatile: the handler reads each value once). */
        SHARED,
        /** The server's own copy, taken once before the handler runs; requests over copyBytes are refused (RANGE). */
        COPIED
    }

    private final int endpoint;
    private final int doorbell;
    private final int firstSlot;
    private final ChannelHandler handler;
    private final Data data;
    private final MemorySegment scratch;
    private final long spinNanos;
    private final long tickNanos;
    private final Link[] links;
    private volatile boolean stopping;
    /** The channel whose slots the next received capabilities go to, or -1. */
    private int receiving = -1;

    private long served;
    private long refusedRange;
    private long refusedFlags;
    private long failed;
    private long closed;

    /** One channel as the server sees it: its own copies of everything it trusts. */
    private static final class Link {
        final int index;
        boolean open;
        MemorySegment m = MemorySegment.NULL;
        int capacity;
        int mask;
        long responseRing;
        long dataStart;
        long dataBytes;
        int reqHead;
        int respTail;

        Link(int index) {
            this.index = index;
        }
    }

    /**
     * A server of up to {@code maxChannels} (1..63) channels on {@code endpoint} (READ and GRANT),
     * whose doorbell notification is in {@code doorbell} (all rights; the server binds it); channel
     * slots start at {@code firstSlot}. In {@link Data#COPIED} mode requests up to {@code copyBytes}
     * are copied once before the handler runs.
     */
    @SuppressWarnings("MustBeClosedChecker") // the scratch lives as long as the server: an automatic arena
    public ChannelServer(int endpoint, int doorbell, int firstSlot, int maxChannels, ChannelHandler handler,
            Data data, int copyBytes, long spinNanos, long tickNanos) {
        if (maxChannels < 1 || maxChannels > MAX_CHANNELS) {
            throw new IllegalArgumentException("maxChannels must be in 1.." + MAX_CHANNELS + ", was " + maxChannels);
        }
        if (copyBytes < 0 || spinNanos < 0 || tickNanos <= 0) {
            throw new IllegalArgumentException("copyBytes and spinNanos must be >= 0 and tickNanos > 0, were "
                    + copyBytes + ", " + spinNanos + ", " + tickNanos);
        }
        this.endpoint = endpoint;
        this.doorbell = doorbell;
        this.firstSlot = firstSlot;
        this.handler = handler;
        this.data = data;
        this.scratch = data == Data.COPIED ? Arena.ofAuto().allocate(Math.max(copyBytes, 8), 64) : MemorySegment.NULL;
        this.spinNanos = spinNanos;
        this.tickNanos = tickNanos;
        this.links = new Link[maxChannels];
        for (int i = 0; i < maxChannels; i++) {
            links[i] = new Link(i);
        }
    }

    /** A server with the default spin and tick, serving the client's memory in place. */
    public ChannelServer(int endpoint, int doorbell, int firstSlot, int maxChannels, ChannelHandler handler) {
        this(endpoint, doorbell, firstSlot, maxChannels, handler, Data.SHARED, 0, DEFAULT_SPIN_NANOS, DEFAULT_TICK_NANOS);
    }

    /** Asks the loop to return; it does within one tick. */
    public void stop() {
        stopping = true;
    }

    /**
     * The loop: serves every open channel, accepts setup Calls, sleeps when there is nothing to do.
     * Returns OK after {@link #stop()}, or the first status of Bind or Recv that was not OK or TIMEOUT.
     * Nothing a client does makes it throw or wait for that client.
     */
    public Status serve(Syscalls sys) {
        Status bound = sys.bindNotification(doorbell);
        if (bound != Status.OK) {
            return bound;
        }
        long spinStart = 0;
        long lastLook = System.nanoTime();
        while (!stopping) {
            if (pollAll(sys) > 0) {
                spinStart = 0;
                long now = System.nanoTime();
                if (now - lastLook >= tickNanos) {  // busy: still take setups (and stops) once a tick
                    lastLook = now;
                    Status s = lookAtEndpoint(sys);
                    if (s != Status.OK) {
                        return s;
                    }
                }
                continue;
            }
            long now = System.nanoTime();
            if (spinStart == 0) {
                spinStart = now;
            }
            if (now - spinStart < spinNanos) {
                Thread.onSpinWait();
                continue;
            }
            armAll(sys);
            VarHandle.fullFence(); // the waiting words before the indices' last look (Dekker's StoreLoad)
            if (pollAll(sys) > 0) { // what was published before the clients could see us waiting
                spinStart = 0;
                continue;
            }
            prepareReceiveSlots(sys);
            Status s = sys.recv(endpoint, tickNanos);
            spinStart = 0;
            lastLook = System.nanoTime();
            if (s == Status.TIMEOUT) {
                continue;
            }
            if (s != Status.OK) {
                var _ = sys.unbindNotification(); // leaving anyway; its status changes nothing
                return s;
            }
            if (sys.ipc().kind() != Kind.NOTIFICATION) {
                onMessage(sys);
            }
        }
        var _ = sys.unbindNotification(); // leaving anyway; its status changes nothing
        return Status.OK;
    }

    /**
     * NBRecv on the endpoint while the rings keep the loop busy, so that a client streaming without
     * pause cannot keep others from setting up; OK also when nothing was there.
     */
    private Status lookAtEndpoint(Syscalls sys) {
        prepareReceiveSlots(sys);
        Status s = sys.nbRecv(endpoint);
        if (s == Status.WOULD_BLOCK) {
            return Status.OK;
        }
        if (s != Status.OK) {
            var _ = sys.unbindNotification(); // leaving anyway; its status changes nothing
            return s;
        }
        if (sys.ipc().kind() != Kind.NOTIFICATION) {
            onMessage(sys);
        }
        return Status.OK;
    }

    /** Serves every open channel once; returns how many requests were taken. */
    private int pollAll(Syscalls sys) {
        int work = 0;
        for (Link l : links) {
            if (l.open) {
                try {
                    work += serveLink(sys, l);
                } catch (IllegalStateException mappingEnded) {
                    close(sys, l);
                }
            }
        }
        return work;
    }

    private void armAll(Syscalls sys) {
        for (Link l : links) {
            if (l.open) {
                try {
                    ChannelLayout.setVolatile(l.m, SERVER_WAITING, 1);
                } catch (IllegalStateException mappingEnded) {
                    close(sys, l);
                }
            }
        }
    }

    /** Takes what one channel's request ring holds, as far as its response ring has room (the hold rule). */
    private int serveLink(Syscalls sys, Link l) {
        MemorySegment m = l.m;
        int head = l.reqHead;
        int tail = ChannelLayout.getAcquire(m, REQ_TAIL);              // read once
        int available = tail - head;
        if (available == 0) {
            return 0;
        }
        int respTail = l.respTail;
        int used = respTail - ChannelLayout.getAcquire(m, RESP_HEAD);  // read once
        if (available < 0 || available > l.capacity || used < 0 || used > l.capacity) {
            close(sys, l);                                             // no honest client writes these
            return 0;
        }
        int n = Math.min(Math.min(available, l.capacity - used), BATCH);
        for (int k = 0; k < n; k++) {
            long req = REQ_RING + (long) ((head + k) & l.mask) * DESCRIPTOR_BYTES;
            int offset = m.get(JAVA_INT, req);                         // each field once, into a local
            int length = m.get(JAVA_INT, req + 4);
            int id = m.get(JAVA_INT, req + 8);
            int flags = m.get(JAVA_INT, req + 12);
            int status;
            int out = 0;
            if (flags != 0) {
                status = REFUSED_FLAGS;
                refusedFlags++;
            } else if (offset < 0 || length < 0 || (long) offset + length > l.dataBytes) {
                status = REFUSED_RANGE;
                refusedRange++;
            } else {
                out = invoke(l, offset, length);
                status = out >= 0 ? OK : out == -REFUSED_RANGE ? REFUSED_RANGE : FAILED;
                out = Math.max(out, 0);
            }
            long resp = l.responseRing + (long) ((respTail + k) & l.mask) * DESCRIPTOR_BYTES;
            m.set(JAVA_INT, resp, offset);
            m.set(JAVA_INT, resp + 4, out);
            m.set(JAVA_INT, resp + 8, id);
            m.set(JAVA_INT, resp + 12, status);
        }
        l.reqHead = head + n;
        l.respTail = respTail + n;
        ChannelLayout.setRelease(m, REQ_HEAD, head + n);
        ChannelLayout.setVolatile(m, RESP_TAIL, respTail + n);        // then read the client's word (Dekker)
        if (n > 0 && ChannelLayout.getVolatile(m, CLIENT_WAITING) == 1 && ChannelLayout.compareAndSet(m, CLIENT_WAITING, 1, 0)) {
            var _ = sys.signal(bellSlot(l.index));                  // a bad doorbell hurts only its client
        }
        return n;
    }

    /**
     * Runs the handler on a checked range; returns the response length, or -REFUSED_RANGE (too large
     * to copy), or -FAILED.
     */
    private int invoke(Link l, int offset, int length) {
        int client = l.index;
        long at = l.dataStart + offset;
        try {
            int out;
            if (data == Data.SHARED) {
                out = handler.serve(client, l.m, at, length);
            } else {
                if (length > scratch.byteSize()) {
                    refusedRange++;
                    return -REFUSED_RANGE;
                }
                MemorySegment.copy(l.m, at, scratch, 0, length);        // the one read of the client's bytes
                out = handler.serve(client, scratch, 0, length);
                if (out >= 0 && out <= length) {
                    MemorySegment.copy(scratch, 0, l.m, at, out);
                }
            }
            if (out < 0 || out > length) {
                failed++;
                return -FAILED;
            }
            served++;
            return out;
        } catch (IllegalStateException e) {
            if (!l.m.scope().isAlive()) {
                throw e;                                                 // the mapping ended: pollAll closes the channel
            }
            failed++;                                                    // the handler's own exception
            return -FAILED;
        } catch (RuntimeException handlerFailed) {
            failed++;
            return -FAILED;
        }
    }

    private int regionSlot(int i) {
        return firstSlot + 3 * i;
    }

    private int bellSlot(int i) {
        return firstSlot + 3 * i + 1;
    }

    private int scratchSlot(int i) {
        return firstSlot + 3 * i + 2;
    }

    private void prepareReceiveSlots(Syscalls sys) {
        receiving = -1;
        for (int i = 0; i < links.length; i++) {
            if (!links[i].open) {
                receiving = i;
                break;
            }
        }
        sys.ipc().setReceiveSlot(0, receiving < 0 ? -1 : regionSlot(receiving));
        sys.ipc().setReceiveSlot(1, receiving < 0 ? -1 : bellSlot(receiving));
    }

    /** A Call or Send on the endpoint: a setup, or something to refuse; what it brought is deleted unless kept. */
    private void onMessage(Syscalls sys) {
        int i = receiving;
        boolean isCall = sys.ipc().kind() == Kind.CALL;
        int refusal = setUp(sys, i, isCall);
        if (refusal != ACCEPTED) {
            if (i >= 0) {
                var _ = sys.unmap(regionSlot(i));   // cleaning up; an empty slot is OK
                var _ = sys.delete(regionSlot(i));
                var _ = sys.delete(bellSlot(i));
            }
            if (isCall) {
                var _ = sys.reply(MessageInfo.of(refusal, 0)); // a caller gone: nothing to answer
            }
        }
    }

    /** Decodes and accepts one setup Call for channel i; returns ACCEPTED or the refusal label. */
    private int setUp(Syscalls sys, int i, boolean isCall) {
        if (i < 0) {
            return REFUSED_FULL;
        }
        if (!isCall || sys.ipc().label() != SETUP || sys.ipc().caps() != 2 || sys.ipc().unwrapped() != 0) {
            return REFUSED_MESSAGE;
        }
        long capacity = sys.ipc().mr(0);
        long blockSize = sys.ipc().mr(1);
        int initial = (int) sys.ipc().mr(2);
        if (capacity != (int) capacity || blockSize != (int) blockSize
                || !ChannelLayout.valid((int) capacity, (int) blockSize)) {
            return REFUSED_LAYOUT;
        }
        if (sys.map(regionSlot(i)) != Status.OK) {
            return REFUSED_REGION;
        }
        MemorySegment m = sys.ipc().mapping();
        int cap = (int) capacity;
        long dataStart = ChannelLayout.dataStart(cap);
        long dataBytes = (long) cap * blockSize;
        if (m.isReadOnly() || m.byteSize() < dataStart + dataBytes || (m.address() & 63) != 0) {
            return REFUSED_REGION;
        }
        if (sys.mint(doorbell, scratchSlot(i), Rights.WRITE, 1L << i) != Status.OK) {
            return REFUSED_MESSAGE; // the server's own doorbell is wrong: nothing the client did
        }
        Link l = links[i];
        l.m = m;
        l.capacity = cap;
        l.mask = cap - 1;
        l.responseRing = ChannelLayout.responseRing(cap);
        l.dataStart = dataStart;
        l.dataBytes = dataBytes;
        l.reqHead = initial;
        l.respTail = initial;
        l.open = true;
        sys.ipc().setMr(0, i);
        sys.ipc().setCap(0, scratchSlot(i));
        sys.ipc().setMove(0, true);
        Status replied = sys.reply(MessageInfo.of(ACCEPTED, 1, 1));
        sys.ipc().setMove(0, false);
        var _ = sys.delete(scratchSlot(i)); // empty after the move; not, if the reply failed
        if (replied != Status.OK) {
            close(sys, l); // the caller is gone: no one will use the channel, so it holds no slot
        }
        return ACCEPTED;
    }

    /** Ends a channel: the server forgets the region and the doorbell. */
    private void close(Syscalls sys, Link l) {
        int i = l.index;
        l.open = false;
        l.m = MemorySegment.NULL;
        closed++;
        var _ = sys.unmap(regionSlot(i));  // may have ended already; either way it ends
        var _ = sys.delete(regionSlot(i));
        var _ = sys.delete(bellSlot(i));
    }

    /** Requests served by the handler (read these after the loop has returned). */
    public long served() {
        return served;
    }

    /** Requests refused for a range outside the data area (or, when COPIED, over the copy size). */
    public long refusedRange() {
        return refusedRange;
    }

    /** Requests refused for flags that were not 0. */
    public long refusedFlags() {
        return refusedFlags;
    }

    /** Requests whose handler threw or returned a bad length. */
    public long failed() {
        return failed;
    }

    /** Channels closed for a broken index or a mapping that ended under the server. */
    public long closed() {
        return closed;
    }
}
