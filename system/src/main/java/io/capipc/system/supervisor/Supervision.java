package io.capipc.system.supervisor;

import io.capipc.servers.IpcException;
import io.capipc.servers.IpcInterface;
import io.capipc.servers.Op;

/**
 * What a supervisor answers about its children, on the same endpoint its children's faults arrive
 * at: introspection over IPC, for a task that holds a capability to it.
 */
@IpcInterface(errors = Supervision.Error.class)
public interface Supervision {
    /** What the supervisor answers instead of a result. */
    enum Error {
        /** No child has that number. */
        NO_SUCH_CHILD
    }

    /** How many children it supervises. */
    @Op(1)
    int children() throws IpcException;

    /** How many times child {@code child} (0-based) was restarted. */
    @Op(2)
    long restarts(int child) throws IpcException;

    /**
     * Child {@code child}'s last fault: the fault's kind ({@code TaskInfo.RUNTIME_EXCEPTION}...) in
     * the high 32 bits and the hash of its exception class name in the low 32; 0 if it never faulted.
     */
    @Op(3)
    long lastFault(int child) throws IpcException;

    /** True once the supervisor gave up (restart intensity exceeded). */
    @Op(4)
    boolean gaveUp() throws IpcException;
}
