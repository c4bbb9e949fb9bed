package io.capipc.benchmarks.typed;

import io.capipc.servers.IpcException;
import io.capipc.servers.IpcInterface;
import io.capipc.servers.OneWay;
import io.capipc.servers.Op;

/** The typed interface TypedCalls measures: one register-only operation, and a way to stop. */
@IpcInterface
public interface Sum {
    @Op(1)
    long add(long a, long b) throws IpcException;

    @Op(2)
    @OneWay
    void stop() throws IpcException;
}
