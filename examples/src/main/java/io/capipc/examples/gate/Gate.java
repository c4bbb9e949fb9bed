package io.capipc.examples.gate;

import io.capipc.servers.IpcException;
import io.capipc.servers.IpcInterface;
import io.capipc.servers.Op;

/** A gate callers wait at: each {@link #pass} is answered when the gate next opens. */
@IpcInterface(errors = Gate.Error.class)
public interface Gate {
    /** What the gate answers instead of a result. */
    enum Error { TOO_MANY_WAITING }

    /** Waits until the gate opens; returns the number of that opening (1, 2, ...). */
    @Op(1)
    long pass() throws IpcException;

    /** How many callers wait now. */
    @Op(2)
    int waiting() throws IpcException;
}
