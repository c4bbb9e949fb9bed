package io.capipc.examples.kv;

import io.capipc.api.Status;
import io.capipc.servers.Caller;
import io.capipc.servers.IpcException;
import io.capipc.servers.Leased;
import io.capipc.servers.ProtocolError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The store: keys up to {@link #MAX_KEY} bytes and values up to {@link #MAX_VALUE}, at most
 * {@code capacity} of them. It copies a key in through a scratch segment (never touching the
 * caller's memory but by Read and Write), and keeps copies on its own heap.
 */
public final class KeyValueStore implements KeyValueServer {
    public static final int MAX_KEY = 256;
    public static final int MAX_VALUE = 64 * 1024;

    private final int capacity;
    private final Map<ByteBuffer, byte[]> entries = new HashMap<>();
    private final MemorySegment scratch = Arena.ofAuto().allocate(MAX_VALUE);

    /** A store of at most {@code capacity} keys. */
    public KeyValueStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public void put(Caller caller, Leased key, Leased value) throws IpcException {
        ByteBuffer k = key(key);
        if (value.size() > MAX_VALUE) {
            throw IpcException.of(KeyValue.Error.VALUE_TOO_LONG);
        }
        if (!entries.containsKey(k) && entries.size() == capacity) {
            throw IpcException.of(KeyValue.Error.FULL);
        }
        entries.put(k, copyIn(value));
    }

    @Override
    public long get(Caller caller, Leased key, Leased value) throws IpcException {
        byte[] v = entries.get(key(key));
        if (v == null) {
            throw IpcException.of(KeyValue.Error.NOT_FOUND);
        }
        MemorySegment.copy(MemorySegment.ofArray(v), 0, scratch, 0, v.length);
        check(value.write(0, scratch.asSlice(0, Math.min(v.length, value.size()))));
        return v.length;
    }

    @Override
    public boolean remove(Caller caller, Leased key) throws IpcException {
        return entries.remove(key(key)) != null;
    }

    @Override
    public long size(Caller caller) {
        return entries.size();
    }

    private ByteBuffer key(Leased key) throws IpcException {
        if (key.size() > MAX_KEY) {
            throw IpcException.of(KeyValue.Error.KEY_TOO_LONG);
        }
        return ByteBuffer.wrap(copyIn(key));
    }

    /** The lease's bytes, copied in with Read. */
    private byte[] copyIn(Leased lease) throws IpcException {
        int n = (int) lease.size();
        check(lease.read(0, scratch.asSlice(0, n)));
        if (lease.count() != n) {
            throw IpcException.of(ProtocolError.BAD_REQUEST); // the client attached fewer bytes than it claimed
        }
        return scratch.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    private static void check(Status s) throws IpcException {
        if (s != Status.OK) {
            throw IpcException.of(s); // the caller gave up meanwhile (CANCELLED), or its segment closed
        }
    }
}
