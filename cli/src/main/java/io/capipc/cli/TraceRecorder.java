package io.capipc.cli;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Status;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.Tracer;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the kernel's trace in memory, for the exporters ({@link TraceEventJson}, {@link MermaidTrace}):
 * each syscall with its time, and the message flows between tasks.
 *
 * <p>The kernel reports a transition's completions (the tasks it woke) before the syscall that made
 * it, all under its lock; so the completions since the last syscall belong to the next one, and get
 * its time. A woken task's pending syscall says which way the message went: one blocked receiving
 * (Recv, ReplyWait, Wait) or awaiting a reply (Call) got it from the syscall's task; one blocked in
 * Send gave it to the syscall's task. A Call taken from a queue without waking anyone shows no flow
 * until its reply.
 */
final class TraceRecorder implements Tracer {
    /** One syscall: when it was reported (ns since the recorder was made), and, if it blocked, when it ended. */
    static final class Syscall {
        final int task;
        final SyscallName op;
        final long a;
        final long b;
        final long at;
        final boolean blocked;
        long ended = -1;
        @Nullable Status status;

        Syscall(int task, SyscallName op, long a, long b, long at, boolean blocked, @Nullable Status status) {
            this.task = task;
            this.op = op;
            this.a = a;
            this.b = b;
            this.at = at;
            this.blocked = blocked;
            this.status = status;
        }
    }

    /** A message from one task to another, delivered at {@code at}; {@code label} says what it was. */
    record Flow(int from, int to, long at, String label, Syscall sent, Syscall received) {}

    private final long start = System.nanoTime();
    private final Map<Integer, String> names = new LinkedHashMap<>();
    private final List<Syscall> syscalls = new ArrayList<>();
    private final List<Flow> flows = new ArrayList<>();
    /** Each task's blocked syscall, if any. */
    private final Map<Integer, Syscall> pending = new HashMap<>();
    /** Completions reported since the last syscall: they belong to the next one. */
    private final List<Syscall> woken = new ArrayList<>();
    private final List<Status> wokenStatus = new ArrayList<>();

    @Override
    public synchronized void syscall(TaskHandle task, IpcBuffer ipc, SyscallName op, long a, long b, Outcome outcome) {
        names.putIfAbsent(task.id(), task.name());
        long now = System.nanoTime() - start;
        Syscall s = new Syscall(task.id(), op, a, b, now, outcome.isBlocked(), outcome.isBlocked() ? null : outcome.status());
        syscalls.add(s);
        for (int i = 0; i < woken.size(); i++) {
            Syscall w = woken.get(i);
            w.ended = now;
            w.status = wokenStatus.get(i);
            if (w.status == Status.OK) {
                flow(s, w, now);
            }
        }
        woken.clear();
        wokenStatus.clear();
        if (outcome.isBlocked()) {
            pending.put(task.id(), s);
        }
    }

    @Override
    public synchronized void completed(TaskHandle task, IpcBuffer ipc, Status status) {
        names.putIfAbsent(task.id(), task.name());
        Syscall w = pending.remove(task.id());
        if (w != null) {
            woken.add(w);
            wokenStatus.add(status);
        }
    }

    private void flow(Syscall by, Syscall woke, long at) {
        switch (woke.op) {
            case SEND -> flows.add(new Flow(woke.task, by.task, at, woke.op.specName() + " " + info(woke.b), woke, by));
            case CALL, RECV, REPLY_WAIT, WAIT -> flows.add(new Flow(by.task, woke.task, at, by.op.specName() + message(by), by, woke));
            default -> { }
        }
    }

    private static String message(Syscall s) {
        return switch (s.op) {
            case SEND, NB_SEND, CALL, REPLY, REPLY_WAIT, FORWARD, REPLY_HANDLE, FORWARD_HANDLE -> " " + info(s.b);
            default -> "";
        };
    }

    private static String info(long info) {
        return io.capipc.api.MessageInfo.toString(info);
    }

    /** Task names by id, in the order they first appeared. */
    synchronized Map<Integer, String> names() {
        return new LinkedHashMap<>(names);
    }

    synchronized List<Syscall> syscalls() {
        return List.copyOf(syscalls);
    }

    synchronized List<Flow> flows() {
        return List.copyOf(flows);
    }
}
