package io.capipc.kernel.syscall;

import org.jspecify.annotations.Nullable;

import io.capipc.kernel.object.Registers;
import io.capipc.kernel.object.Task;

/**
 * What a runtime does when a task is killed or restarted (docs/semantics.md §13): the kernel changes
 * the task's state; only the runtime has threads and bodies. Called under the kernel's lock.
 *
 * <p>The deterministic driver needs none of it: it can restart any task (its test code drives the
 * body), and clears the IPC buffer in place. The threaded runtime stops the killed task's thread
 * from running user code again and starts a new thread on the task's body for a restart.
 */
public interface TaskRunner {
    /** True if the runtime can start {@code t}'s body again (it knows the body). */
    boolean canRestart(Task t);

    /**
     * {@code t}, alive, is about to be killed: called before it leaves any queue, so that the wake a
     * blocked syscall may get finds its thread already told it is killed.
     */
    void killing(Task t);

    /** A fresh IPC buffer for {@code t}'s next run, or null to clear the old one in place. */
    @Nullable Registers freshIpc(Task t);

    /** {@code t} was restarted (it is RUNNING again): start its body. */
    void restarted(Task t);

    /** A runtime that can restart nothing: the default until one attaches. */
    TaskRunner NONE = new TaskRunner() {
        @Override
        public boolean canRestart(Task t) {
            return false;
        }

        @Override
        public void killing(Task t) { }

        @Override
        public @Nullable Registers freshIpc(Task t) {
            return null;
        }

        @Override
        public void restarted(Task t) { }
    };
}
