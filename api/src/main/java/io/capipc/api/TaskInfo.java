package io.capipc.api;

/**
 * What TaskInfo leaves in the message registers (docs/semantics.md §13), and the fault codes it and
 * the TASK_FAULTED system message carry. Plain constants and pure functions: nothing here allocates.
 *
 * <p>Registers after TaskInfo: {@link #STATE} the task's {@link TaskState} ordinal, {@link #RESTARTS}
 * how many times it was restarted, {@link #ENDED} how its last run ended ({@link #ALIVE},
 * {@link #EXITED}, {@link #FAULTED}, {@link #KILLED}), {@link #FAULT_KIND} the fault's kind and
 * {@link #FAULT_HASH} its exception class name's {@link String#hashCode() hash} (both 0 unless it
 * faulted). A TASK_FAULTED message carries the task id in MR0's low 32 bits and the fault's kind in
 * the high 32.
 */
public final class TaskInfo {
    private TaskInfo() {}

    /** Register of the task's state ({@link TaskState#ordinal()}). */
    public static final int STATE = 0;
    /** Register of the restart count. */
    public static final int RESTARTS = 1;
    /** Register of how the task's last run ended. */
    public static final int ENDED = 2;
    /** Register of the fault's kind. */
    public static final int FAULT_KIND = 3;
    /** Register of the hash of the fault's exception class name. */
    public static final int FAULT_HASH = 4;
    /** How many registers TaskInfo fills. */
    public static final int LENGTH = 5;

    /** The task has not ended since it was last started (or it never started). */
    public static final int ALIVE = 0;
    /** Its body returned. */
    public static final int EXITED = 1;
    /** Its body threw. */
    public static final int FAULTED = 2;
    /** It was killed (Kill, or the runtime's kill). */
    public static final int KILLED = 3;

    /** Fault kind of a fault with no exception (the deterministic driver's fault without a cause). */
    public static final int UNSPECIFIED = 0;
    /** Fault kind: an unchecked exception ({@link RuntimeException}). */
    public static final int RUNTIME_EXCEPTION = 1;
    /** Fault kind: a checked exception (any other {@link Exception}). */
    public static final int CHECKED_EXCEPTION = 2;
    /** Fault kind: an {@link Error}, or a throwable that is neither. */
    public static final int ERROR = 3;

    /** The fault kind of {@code thrown} (null: {@link #UNSPECIFIED}). */
    public static int kindOf(Throwable thrown) {
        if (thrown == null) {
            return UNSPECIFIED;
        }
        if (thrown instanceof RuntimeException) {
            return RUNTIME_EXCEPTION;
        }
        return thrown instanceof Exception ? CHECKED_EXCEPTION : ERROR;
    }

    /** The hash of {@code thrown}'s class name (null: 0): a supervisor compares it with {@code SomeException.class.getName().hashCode()}. */
    public static int hashOf(Throwable thrown) {
        return thrown == null ? 0 : thrown.getClass().getName().hashCode();
    }

    /** The task id a TASK_FAULTED message's MR0 names. */
    public static int faultedTask(long mr0) {
        return (int) mr0;
    }

    /** The fault kind a TASK_FAULTED message's MR0 carries. */
    public static int faultedKind(long mr0) {
        return (int) (mr0 >>> 32);
    }

    /** MR0 of a TASK_FAULTED message about task {@code id} with fault kind {@code kind}. */
    public static long faultedWord(int id, int kind) {
        return ((long) kind << 32) | (id & 0xFFFF_FFFFL);
    }
}
