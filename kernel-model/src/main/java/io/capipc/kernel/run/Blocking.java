package io.capipc.kernel.run;

import io.capipc.api.Status;
import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.syscall.TaskKilled;

/**
 * How the threaded runtime waits (docs/semantics.md §10): a syscall that left its task blocked spins for a
 * bounded time, then parks, until the transition that completes it wakes it; a deadline that passes,
 * or a Java interrupt, ends it early through the runtime port. One {@link Parker} per task, made when
 * it starts, so waiting allocates nothing.
 */
public final class Blocking {
    private final RuntimePort port;
    private final long spinNanos;
    /** Parkers by task id; replaced whole when it grows, so the waker reads it without a lock. */
    private volatile Parker[] parkers = new Parker[16];
    /** The injected bug THREADED_STALE_STATUS (fault tests only). */
    private final boolean staleStatus;

    public Blocking(RuntimePort port, long spinNanos) {
        this.port = port;
        this.spinNanos = spinNanos;
        this.staleStatus = port.bugs().on(InjectedBug.THREADED_STALE_STATUS);
        port.waker(this::wake);
        port.clock(System::nanoTime);
    }

    /** The port this runtime was given. */
    public RuntimePort port() {
        return port;
    }

    /**
     * {@code task} will run on {@code thread}: its wake count and parked flag live in its IPC buffer
     * (the one it has now: a restart registers again with the fresh one).
     */
    public synchronized void register(Task task, Thread thread) {
        Parker[] current = parkers;
        if (task.id() >= current.length) {
            Parker[] grown = new Parker[Math.max(task.id() + 1, current.length * 2)];
            System.arraycopy(current, 0, grown, 0, current.length);
            current = grown;
        }
        current[task.id()] = new Parker(thread, task.ipc());
        parkers = current;
    }

    /**
     * The parker {@code owner} waits on for {@code task}: the one registered for it; if the task was
     * restarted on another thread before this one asked, a parker already killed, so this thread
     * unwinds at its first wait (its first syscall is refused with TaskKilled before that anyway).
     */
    Parker parkerFor(Task task, Thread owner) {
        Parker p = parkers[task.id()];
        if (p == null || p.thread() != owner) {
            p = new Parker(owner, Task.freshRegisters());
            p.kill();
        }
        return p;
    }

    /** Under the kernel lock: {@code task} is being killed; its thread leaves any wait and unwinds. */
    public void kill(Task task) {
        Parker[] current = parkers;
        Parker p = task.id() < current.length ? current[task.id()] : null;
        if (p != null) {
            p.kill();
        }
    }

    /**
     * Completes a kernel syscall result: a null (blocked) result waits for the wake, spinning longer by
     * {@code extraSpinNanos} first (a Call with large buffers waits at least as long as the server
     * copies them), then reads it. A deadline that passes, or a Java interrupt, expires the syscall
     * (TIMEOUT, INTERRUPTED) unless its completion won the race, in which case the completion stands
     * and an interrupt is kept. A task killed meanwhile never returns to its body: {@link TaskKilled}.
     */
    Status complete(Parker parker, Task task, Status result, long extraSpinNanos) {
        if (result != null) {
            return result;
        }
        Status stale = staleStatus ? task.ipc().status() : null;
        int how = parker.await(spinNanos == 0 ? 0 : spinNanos + extraSpinNanos, task.deadline());
        if (parker.isKilled()) {
            throw TaskKilled.INSTANCE;
        }
        if (how != Parker.WOKEN) {
            Status why = how == Parker.TIMED_OUT ? Status.TIMEOUT : Status.INTERRUPTED;
            if (!port.expire(task, why)) {
                parker.consumeSignal();
                if (how == Parker.INTERRUPTED) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return stale != null ? stale : task.ipc().status();
    }

    private void wake(Task task) {
        parkers[task.id()].wake();
    }
}
