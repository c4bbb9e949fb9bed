package io.capipc.kernel.run;

import io.capipc.api.Status;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ipc.CallerBuffers;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;
import java.lang.foreign.MemorySegment;

/**
 * The deterministic runtime (SPEC section 10): one thread invokes any task's syscalls, in any order
 * it chooses, and nothing ever blocks the driver. A syscall that would block returns null with the
 * task now blocked; when another task's syscall completes it, its status lands in its IPC buffer
 * ({@code task.ipc().status()}). No threads, no real time: time is a virtual clock that only
 * {@link #advance} moves, and {@link #interrupt} stands for a Java interrupt. Tests, the property
 * suite and replays use this, over exactly the kernel methods the threaded runtime calls.
 *
 * <p>Only a RUNNING task can make a syscall; asking for one on behalf of a blocked, inactive or dead
 * task is a driver misuse and throws {@link IllegalStateException}.
 */
public final class DeterministicDriver {
    private final Kernel kernel;
    /** The virtual clock, in nanoseconds; only {@link #advance} moves it. */
    private long now;

    public DeterministicDriver(Kernel kernel) {
        this.kernel = kernel;
        kernel.waker(task -> { });
        kernel.clock(() -> now);
    }

    /** Now, on the virtual clock. */
    public long now() {
        return now;
    }

    /**
     * Moves the virtual clock forward by {@code nanos} and times out, earliest deadline first, every
     * blocked syscall whose deadline has come; returns how many.
     */
    public int advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time only moves forward, was " + nanos);
        }
        now += nanos;
        return kernel.expireDue();
    }

    /** Kills {@code t}, blocked or not (see {@link Kernel#kill}). */
    public void kill(Task t) {
        kernel.kill(t);
    }

    /** Interrupts {@code t}: a blocked syscall ends with INTERRUPTED; false if it was not blocked. */
    public boolean interrupt(Task t) {
        return kernel.expire(t, Status.INTERRUPTED);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** Starts an INACTIVE task. */
    public void start(Task t) {
        kernel.start(t);
    }

    public Status send(Task t, int cap, long info) {
        return kernel.send(running(t), cap, info);
    }

    public Status send(Task t, int cap, long info, long timeout) {
        return kernel.send(running(t), cap, info, timeout);
    }

    public Status nbSend(Task t, int cap, long info) {
        return kernel.nbSend(running(t), cap, info);
    }

    /** Call without buffers. */
    public Status call(Task t, int cap, long info) {
        return kernel.call(running(t), cap, info, CallerBuffers.NONE, CallerBuffers.NONE);
    }

    /** Call without buffers, with a timeout. */
    public Status call(Task t, int cap, long info, long timeout) {
        return kernel.call(running(t), cap, info, CallerBuffers.NONE, CallerBuffers.NONE, timeout);
    }

    public Status call(Task t, int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf) {
        return kernel.call(running(t), cap, info, sendBuf, recvBuf);
    }

    /** Call with one send and one receive segment. */
    public Status call(Task t, int cap, long info, MemorySegment sendBuf, MemorySegment recvBuf) {
        return kernel.call(running(t), cap, info, new MemorySegment[] {sendBuf}, new MemorySegment[] {recvBuf});
    }

    public Status recv(Task t, int cap) {
        return kernel.recv(running(t), cap);
    }

    public Status recv(Task t, int cap, long timeout) {
        return kernel.recv(running(t), cap, timeout);
    }

    public Status nbRecv(Task t, int cap) {
        return kernel.nbRecv(running(t), cap);
    }

    public Status reply(Task t, long info) {
        return kernel.reply(running(t), info);
    }

    public Status replyWait(Task t, int cap, long info) {
        return kernel.replyWait(running(t), cap, info);
    }

    public Status replyWait(Task t, int cap, long info, long timeout) {
        return kernel.replyWait(running(t), cap, info, timeout);
    }

    public Status forward(Task t, int cap, long info) {
        return kernel.forward(running(t), cap, info);
    }

    public Status read(Task t, long offset, MemorySegment dst) {
        return kernel.read(running(t), offset, dst);
    }

    public Status write(Task t, long offset, MemorySegment src) {
        return kernel.write(running(t), offset, src);
    }

    public Status callerInfo(Task t) {
        return kernel.callerInfo(running(t));
    }

    public Status suspend(Task t) {
        return kernel.suspend(running(t));
    }

    public Status resume(Task t, long handle) {
        return kernel.resume(running(t), handle);
    }

    public Status reply(Task t, long handle, long info) {
        return kernel.reply(running(t), handle, info);
    }

    public Status forward(Task t, long handle, int cap, long info) {
        return kernel.forward(running(t), handle, cap, info);
    }

    public Status read(Task t, long handle, long offset, MemorySegment dst) {
        return kernel.read(running(t), handle, offset, dst);
    }

    public Status write(Task t, long handle, long offset, MemorySegment src) {
        return kernel.write(running(t), handle, offset, src);
    }

    public Status callerInfo(Task t, long handle) {
        return kernel.callerInfo(running(t), handle);
    }

    public Status systemMessages(Task t, int cap, int kinds) {
        return kernel.systemMessages(running(t), cap, kinds);
    }

    public Status signal(Task t, int cap) {
        return kernel.signal(running(t), cap);
    }

    public Status waitNotification(Task t, int cap) {
        return kernel.waitNotification(running(t), cap);
    }

    public Status waitNotification(Task t, int cap, long timeout) {
        return kernel.waitNotification(running(t), cap, timeout);
    }

    public Status poll(Task t, int cap) {
        return kernel.poll(running(t), cap);
    }

    public Status bindNotification(Task t, int cap) {
        return kernel.bindNotification(running(t), cap);
    }

    public Status unbindNotification(Task t) {
        return kernel.unbindNotification(running(t));
    }

    public Status copy(Task t, int src, int dst, int rights) {
        return kernel.copy(running(t), src, dst, rights);
    }

    public Status mint(Task t, int src, int dst, int rights, long badge) {
        return kernel.mint(running(t), src, dst, rights, badge);
    }

    public Status move(Task t, int src, int dst) {
        return kernel.move(running(t), src, dst);
    }

    public Status mutate(Task t, int src, int dst, int rights, long badge) {
        return kernel.mutate(running(t), src, dst, rights, badge);
    }

    public Status delete(Task t, int slot) {
        return kernel.delete(running(t), slot);
    }

    public Status revoke(Task t, int slot) {
        return kernel.revoke(running(t), slot);
    }

    public Status cancelBadgedSends(Task t, int slot) {
        return kernel.cancelBadgedSends(running(t), slot);
    }

    /** Ends a running task as if its body had returned. */
    public Status exit(Task t) {
        return kernel.exit(running(t));
    }

    /** Ends a running task as if its body had thrown: its fault endpoint hears of it. */
    public Status fault(Task t) {
        return kernel.fault(running(t));
    }

    private static Task running(Task t) {
        if (t.state() != TaskState.RUNNING) {
            throw new IllegalStateException(t + " is " + t.state() + "; only a RUNNING task can make a syscall");
        }
        return t;
    }
}
