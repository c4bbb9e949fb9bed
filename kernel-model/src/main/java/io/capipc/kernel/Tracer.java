package io.capipc.kernel;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallName;

/**
 * Observes transitions, in the order they happen (calls arrive under the kernel's lock, so a tracer
 * must be quick and must not call the kernel). For traces and tools; it is told task handles and a
 * read-only view of the task's IPC buffer (writes throw UnsupportedOperationException), never the
 * tasks themselves. The kernel calls it only when one is installed, so the default path allocates
 * nothing.
 */
public interface Tracer {
    /**
     * A syscall by {@code task} completed, or left the task blocked ({@link Outcome#BLOCKED}).
     *
     * @param a the first argument (a slot, an offset, a handle, or 0)
     * @param b the second argument (an info word, a slot, or 0)
     */
    void syscall(TaskHandle task, IpcBuffer ipc, SyscallName op, long a, long b, Outcome outcome);

    /** A blocked task's syscall completed with {@code status}; {@code ipc} shows what arrived. */
    void completed(TaskHandle task, IpcBuffer ipc, Status status);
}
