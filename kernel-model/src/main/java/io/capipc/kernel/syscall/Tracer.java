package io.capipc.kernel.syscall;

import io.capipc.api.Status;
import io.capipc.kernel.object.Task;

/**
 * Observes transitions, in the order they happen (calls arrive under the kernel's lock). For traces
 * and tools; the kernel calls it only when one is installed, so the default path allocates nothing.
 */
public interface Tracer {
    /**
     * A syscall by {@code task} ended or blocked.
     *
     * @param a the first argument (a slot, an offset, or 0)
     * @param b the second argument (an info word, a slot, or 0)
     * @param result the status, or null if the task is now blocked
     */
    void syscall(Task task, SyscallName op, long a, long b, Status result);

    /** A blocked task's syscall completed with {@code status}. */
    void resumed(Task task, Status status);
}
