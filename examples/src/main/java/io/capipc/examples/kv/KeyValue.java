package io.capipc.examples.kv;

import io.capipc.servers.IpcException;
import io.capipc.servers.IpcInterface;
import io.capipc.servers.Lease;
import io.capipc.servers.Lease.Access;
import io.capipc.servers.Op;
import java.lang.foreign.MemorySegment;

/** A key-value store of byte strings. Keys and values are leases: the server copies them with Read and Write. */
@IpcInterface(errors = KeyValue.Error.class)
public interface KeyValue {
    /** What the store answers instead of a result. */
    enum Error { NOT_FOUND, KEY_TOO_LONG, VALUE_TOO_LONG, FULL }

    /** Stores {@code value} under {@code key}, replacing any value. */
    @Op(1)
    void put(@Lease(Access.READ) MemorySegment key, @Lease(Access.READ) MemorySegment value) throws IpcException;

    /** Copies the value of {@code key} into {@code value}; returns its full length (it may be longer than {@code value}). */
    @Op(2)
    long get(@Lease(Access.READ) MemorySegment key, @Lease(Access.WRITE) MemorySegment value) throws IpcException;

    /** Removes {@code key}; false if it was absent. */
    @Op(3)
    boolean remove(@Lease(Access.READ) MemorySegment key) throws IpcException;

    /** How many keys are stored. */
    @Op(4)
    long size() throws IpcException;
}
