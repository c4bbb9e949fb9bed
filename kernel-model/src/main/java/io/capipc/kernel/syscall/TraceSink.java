package io.capipc.kernel.syscall;

import io.capipc.api.Status;
import io.capipc.kernel.inspect.SyscallName;
import io.capipc.kernel.object.Task;

/**
 * Where transitions report themselves, in the order they happen (called under the kernel's lock).
 * The public {@code io.capipc.kernel.Tracer} is given task handles, never these live tasks; this is
 * the kernel-side half. Reported only when one is installed, so the default path allocates nothing.
 */
public interface TraceSink {
    /**
     * A syscall by {@code task} ended or left it blocked.
     *
     * @param result the status, or null if the task is now blocked
     */
    void syscall(Task task, SyscallName op, long a, long b, Status result);

    /** A blocked task's syscall completed with {@code status}. */
    void completed(Task task, Status status);
}
