package io.capipc.kernel.run;

import io.capipc.api.Status;
import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.object.Task;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The baton of the simulated runtime (docs/semantics.md §10): every task body runs on its own thread,
 * but only the thread holding the turn runs; the others wait on their own semaphore. A task gives the
 * turn back to the scheduler at each of its syscalls (the scheduling points) and when its body ends;
 * the scheduler, on its own thread, then chooses who runs next. So exactly one thread runs at a time,
 * and the order is the scheduler's alone, whatever the operating system does with the threads.
 *
 * <p>Each handoff is a semaphore release followed by the other side's acquire, which orders
 * everything one thread wrote before it gave the turn before everything the next does after taking
 * it: the scheduler's fields need no other synchronisation.
 *
 * <p>A blocked syscall adds no waiting of its own: the task's thread waits for its turn, and the
 * scheduler gives it one only once the kernel says the task is RUNNING again (its syscall completed,
 * timed out, was interrupted, or the task was killed). A task killed while it waits is given one last
 * turn in which its syscall throws {@link Killed}, to unwind its body.
 */
public final class Turns {
    /** Thrown out of a syscall of a task that was killed, so that its body unwinds; never a fault. */
    public static final class Killed extends Error {
        private static final long serialVersionUID = 1L;

        Killed(String task) {
            super(task + " was killed", null, false, false);
        }
    }

    private final RuntimePort port;
    /** Released by a task's thread when it gives its turn back. */
    private final Semaphore back = new Semaphore(0);
    private final long turnLimitNanos;
    private Semaphore[] go = new Semaphore[16];
    private boolean[] killed = new boolean[16];
    private boolean[] interruptPending = new boolean[16];
    /** The injected bug SIM_STALE_STATUS (fault tests only). */
    private final boolean staleStatus;

    /**
     * @param turnLimitNanos how long one turn may take in real time before the scheduler concludes
     *     that the body blocks outside its syscalls (which the simulation cannot see)
     */
    public Turns(RuntimePort port, long turnLimitNanos) {
        this.port = port;
        this.turnLimitNanos = turnLimitNanos;
        this.staleStatus = port.bugs().on(InjectedBug.SIM_STALE_STATUS);
    }

    /** The port this runtime was given. */
    public RuntimePort port() {
        return port;
    }

    /** Makes room for {@code task}; called by the scheduler before its thread starts. */
    public void register(Task task) {
        int id = task.id();
        if (id >= go.length) {
            int n = Math.max(id + 1, go.length * 2);
            go = java.util.Arrays.copyOf(go, n);
            killed = java.util.Arrays.copyOf(killed, n);
            interruptPending = java.util.Arrays.copyOf(interruptPending, n);
        }
        go[id] = new Semaphore(0);
    }

    // ---- The scheduler's side.

    /**
     * Gives {@code task} the turn and waits until it gives it back.
     *
     * @throws IllegalStateException if the turn lasted longer than the limit: the body blocks on
     *     something other than its syscalls, and the simulation would hang
     */
    public void runTurn(Task task) throws InterruptedException {
        go[task.id()].release();
        if (!back.tryAcquire(turnLimitNanos, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(task + " kept its turn for more than " + turnLimitNanos / 1_000_000
                    + " ms of real time: its body waits on something other than its syscalls (a lock, a sleep,"
                    + " another thread), which a simulated run cannot schedule");
        }
    }

    /**
     * {@code task}, whose last run's thread has ended, runs its body again (Restart): a new thread
     * will wait for its first turn, not killed, with no interrupt pending.
     */
    public void reset(Task task) {
        int id = task.id();
        go[id] = new Semaphore(0);
        killed[id] = false;
        interruptPending[id] = false;
    }

    /** {@code task} was killed: its next turn unwinds its body. */
    public void kill(Task task) {
        killed[task.id()] = true;
    }

    /** True if {@code task} was killed. */
    public boolean isKilled(Task task) {
        return killed[task.id()];
    }

    /** An interrupt of a running task stays pending until its next syscall that blocks (§6). */
    public void interruptLater(Task task) {
        interruptPending[task.id()] = true;
    }

    // ---- The task's side.

    /** The first wait of a task's thread, before its body runs. */
    public void awaitFirstTurn(Task task) throws InterruptedException {
        go[task.id()].acquire();
    }

    /** The last act of a task's thread: the turn goes back for good. */
    public void endTurns() {
        back.release();
    }

    /**
     * Completes a kernel syscall result at a scheduling point: the turn goes back to the scheduler;
     * when the task gets it again its syscall has completed (a blocked one by another transition), and
     * its status is returned. A pending interrupt ends a syscall that blocked at once.
     */
    public Status complete(Task task, Status result) {
        Status stale = result == null && staleStatus ? task.ipc().status() : null;
        if (result == null && interruptPending[task.id()]) {
            interruptPending[task.id()] = false;
            if (!port.expire(task, Status.INTERRUPTED)) {
                throw new AssertionError(task + " blocked but could not be interrupted");
            }
        }
        yieldTurn(task);
        return result != null ? result : stale != null ? stale : task.ipc().status();
    }

    /** Throws {@link Killed} if {@code task} was killed: no syscall runs for a dead body. */
    public void checkAlive(Task task) {
        if (killed[task.id()]) {
            throw new Killed(task.toString());
        }
    }

    private void yieldTurn(Task task) {
        back.release();
        go[task.id()].acquireUninterruptibly();
        checkAlive(task);
    }
}
