package io.capipc.kernel.jfr;

import io.capipc.api.Status;
import io.capipc.kernel.inspect.SyscallClass;
import io.capipc.kernel.inspect.SyscallName;
import io.capipc.kernel.object.Task;
import java.util.IdentityHashMap;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import org.jspecify.annotations.Nullable;

/**
 * Reports syscalls to the JDK Flight Recorder, one event type per {@link SyscallClass}; called by
 * the dispatch point under the kernel's lock, after each syscall and at each blocked syscall's
 * completion.
 *
 * <p>KEY ASSUMPTION: when the event type is disabled, reporting allocates nothing. Until some code
 * starts the Flight Recorder, {@link FlightRecorder#isInitialized()} (a static field) is false and
 * nothing else is looked at; after, the event types are fetched once and each report reads its
 * type's {@link EventType#isEnabled()}, a field. Only an enabled type builds an event: that is the
 * documented cost (docs/benchmarks.md). SyscallAllocTest measures both disabled cases.
 *
 * <p>A syscall that blocks its task is committed only when it completes, so its duration is the
 * blocked interval; until then it waits here, keyed by its task. A task killed while blocked never
 * completes: its event is dropped at the kill ({@link #forget}), so a later run of the task (after a
 * Restart) never commits it.
 */
public final class FlightEvents {
    /** The event types by {@link SyscallClass} ordinal, fetched once the recorder exists; null until then. */
    private static volatile EventType @Nullable [] types;

    /** The blocked syscalls' events, by task; touched only while some type is enabled. */
    private final IdentityHashMap<Task, SyscallEvent> blocked = new IdentityHashMap<>();

    /**
     * True if no recording enables message events and no blocked syscall's event waits here: a fast
     * path (a Call or ReplyWait holding only its endpoint's lock, beside others on other endpoints)
     * is taken only then, and reports nothing, since this class is touched only under the kernel-wide
     * lock. A message syscall that runs while a recording is being started may go unrecorded.
     */
    public boolean quiet() {
        return blocked.isEmpty() && (!FlightRecorder.isInitialized() || !types()[SyscallClass.MESSAGE.ordinal()].isEnabled());
    }

    /** {@code task}'s syscall {@code op} returned {@code result}, or left it blocked (null). */
    public void syscall(Task task, SyscallName op, long a, long b, @Nullable Status result) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        SyscallClass kind = SyscallClass.of(op);
        if (!types()[kind.ordinal()].isEnabled()) {
            return;
        }
        record(task, kind, op, a, b, result);
    }

    /** {@code task}'s blocked syscall completed with {@code status}. */
    public void completed(Task task, Status status) {
        if (blocked.isEmpty()) {
            return;
        }
        SyscallEvent e = blocked.remove(task);
        if (e != null) {
            e.end();
            e.outcome = status.name();
            e.commit();
        }
    }

    /** {@code task} was killed: its blocked syscall, if any, never completes; its event is dropped, uncommitted. */
    public void forget(Task task) {
        if (!blocked.isEmpty()) {
            var _ = blocked.remove(task);
        }
    }

    /** Builds the event: only for an enabled type, so the allocation is the cost of recording. */
    private void record(Task task, SyscallClass kind, SyscallName op, long a, long b, @Nullable Status result) {
        SyscallEvent e = switch (kind) {
            case MESSAGE -> new MessageEvent();
            case CAPABILITY -> new CapabilityEvent();
            case CONTEXT -> new ContextEvent();
            case NOTIFICATION -> new NotificationEvent();
            case FAULT -> new FaultEvent();
        };
        e.task = task.name();
        e.taskId = task.id();
        e.syscall = op.specName();
        e.a = a;
        e.b = b;
        if (result == null) {
            e.begin(); // committed at completion: the duration is the blocked interval
            e.blocked = true;
            e.outcome = "BLOCKED";
            blocked.put(task, e);
        } else {
            e.outcome = result.name();
            e.commit(); // never begun: an instant
        }
    }

    private static EventType[] types() {
        EventType[] t = types;
        if (t == null) {
            t = new EventType[] {
                EventType.getEventType(MessageEvent.class),
                EventType.getEventType(CapabilityEvent.class),
                EventType.getEventType(ContextEvent.class),
                EventType.getEventType(NotificationEvent.class),
                EventType.getEventType(FaultEvent.class),
            };
            types = t;
        }
        return t;
    }
}
