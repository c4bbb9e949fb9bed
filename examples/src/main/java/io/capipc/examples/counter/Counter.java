package io.capipc.examples.counter;

import io.capipc.servers.Async;
import io.capipc.servers.Cap;
import io.capipc.servers.IpcException;
import io.capipc.servers.IpcInterface;
import io.capipc.servers.OneWay;
import io.capipc.servers.Op;

/** A shared counter. A client that wants to hear of changes sends a notification it waits on. */
@IpcInterface(errors = Counter.Error.class)
public interface Counter {
    /** What the counter answers instead of a result. */
    enum Error { TOO_MANY_WATCHERS }

    /** Adds {@code delta}; returns the new value. A client may also add without waiting ({@code addAsync}). */
    @Op(1)
    @Async
    long add(long delta) throws IpcException;

    /** The value now. */
    @Op(2)
    long value() throws IpcException;

    /** Adds one without waiting for an answer. */
    @Op(3)
    @OneWay
    void bump() throws IpcException;

    /** The counter signals {@code notification} (a capability with WRITE) at every change from now on. */
    @Op(4)
    void watch(@Cap int notification) throws IpcException;

    /** What this client (its badge) has added, by add and bump. */
    @Op(5)
    long mine() throws IpcException;
}
