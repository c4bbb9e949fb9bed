package io.capipc.examples;

import io.capipc.servers.Cap;
import io.capipc.servers.IpcException;
import io.capipc.servers.IpcInterface;
import io.capipc.servers.Op;

/** An interface whose server misbehaves on purpose, to test the server loop's routing rules. */
@IpcInterface(errors = Probe.Error.class)
public interface Probe {
    enum Error { DECLARED }

    @Op(1) long echo(long x) throws IpcException;

    /** The handler throws a RuntimeException. */
    @Op(2) long boom() throws IpcException;

    /** The handler answers the declared error. */
    @Op(3) long fail() throws IpcException;

    /** The handler returns a capability, but the server's endpoint capability has no GRANT: the reply is refused. */
    @Op(4) @Cap int capBack() throws IpcException;

    /** The handler stops the server, after waiting (in virtual time, on the simulated runtime) for callers to queue. */
    @Op(5) void stop() throws IpcException;

    /** Returns the slot the capability arrived in. */
    @Op(6) long give(@Cap int cap) throws IpcException;

    /** The handler throws an error of another interface: answered HANDLER_FAILED. */
    @Op(7) long foreign() throws IpcException;
}
