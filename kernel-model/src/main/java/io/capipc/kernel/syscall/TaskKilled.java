package io.capipc.kernel.syscall;

/**
 * Thrown on the threaded runtime into a thread whose task was killed (or killed and restarted on
 * another thread) when it next reaches the kernel: at the syscall it makes, or out of the blocked
 * syscall it was parked in. It unwinds the body so the thread ends without running more user code
 * (docs/semantics.md §13). An {@link Error}, like ThreadDeath, so a body's {@code catch (Exception e)}
 * does not stop it; a body that catches it anyway can compute but never reach the kernel again.
 * One preallocated instance without a stack trace: throwing it allocates nothing.
 */
public final class TaskKilled extends Error {
    private static final long serialVersionUID = 1L;

    /** The one instance. */
    public static final TaskKilled INSTANCE = new TaskKilled();

    private TaskKilled() {
        super("the task was killed; its thread ends", null, false, false);
    }
}
