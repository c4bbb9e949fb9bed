package io.capipc.kernel.syscall;

import io.capipc.kernel.object.Task;

/**
 * How a runtime learns that a blocked task's syscall has completed. The transition has already
 * written the result into the task; the threaded runtime unparks the task's thread, the
 * deterministic driver needs nothing. Called under the kernel's lock; must not allocate.
 */
@FunctionalInterface
public interface Waker {
    /** {@code task}'s blocked syscall has completed. */
    void wake(Task task);
}
