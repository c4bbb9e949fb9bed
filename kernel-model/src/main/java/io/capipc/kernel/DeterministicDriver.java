package io.capipc.kernel;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.Nullable;

import io.capipc.api.IpcBuffer;
import io.capipc.api.ObjectType;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.object.CallerBuffers;
import io.capipc.kernel.object.Registers;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.syscall.TaskRunner;
import io.capipc.kernel.run.RuntimePort;
import io.capipc.kernel.syscall.Dispatch;
import java.lang.foreign.MemorySegment;

/**
 * The deterministic runtime (docs/semantics.md §10): one thread makes any task's syscalls, in any order it
 * chooses, and nothing ever blocks the driver. A syscall that would block returns
 * {@link Outcome#BLOCKED} at once with the task now blocked; when another task's syscall completes
 * it, its status lands in its IPC buffer ({@link #ipc}). No threads, no real time: time is a virtual
 * clock that only {@link #advance} moves, and {@link #interrupt} stands for a Java interrupt. Tests,
 * the property suite and replays use this, over exactly the transitions the threaded runtime takes.
 *
 * <p>Each syscall method takes the task first, then the arguments of the {@link io.capipc.api.Syscalls}
 * method of the same name, and returns the outcome: the status, or BLOCKED.
 *
 * <p>Only a RUNNING task can make a syscall; asking for one on behalf of a blocked, inactive or dead
 * task is a driver misuse and throws {@link IllegalStateException}.
 */
@CheckReturnValue
public final class DeterministicDriver {
    /** A timeout that never expires. */
    public static final long FOREVER = io.capipc.api.Syscalls.FOREVER;

    private final Kernel kernel;
    private final RuntimePort port;
    private final Dispatch k;
    /** The virtual clock, in nanoseconds; only {@link #advance} moves it. */
    private long now;

    /** Drives {@code kernel}, which must not have a runtime yet. */
    public DeterministicDriver(Kernel kernel) {
        this.kernel = kernel;
        this.port = kernel.attach("a DeterministicDriver");
        port.sequential();
        this.k = port.syscalls();
        port.waker(task -> { });
        port.clock(() -> now);
        port.runner(new TaskRunner() {
            @Override
            public boolean canRestart(Task t) {
                return true; // the driver's caller runs every body
            }

            @Override
            public void killing(Task t) { }

            @Override
            public @Nullable Registers freshIpc(Task t) {
                return null; // cleared in place: Restart allocates nothing here
            }

            @Override
            public void restarted(Task t) { }
        });
    }

    /** The kernel this driver drives. */
    public Kernel kernel() {
        return kernel;
    }

    /** Now, on the virtual clock. */
    public long now() {
        return now;
    }

    /**
     * Moves the virtual clock forward by {@code nanos} and times out, earliest deadline first, every
     * blocked syscall whose deadline has come; returns how many.
     */
    @CanIgnoreReturnValue
    public int advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time only moves forward, was " + nanos);
        }
        now += nanos;
        return port.expireDue();
    }

    /** Starts an INACTIVE task. */
    public void start(TaskHandle t) {
        port.start(kernel.task(t));
    }

    /** Kills {@code t}, blocked or not: it leaves every queue and ends as Exit does. */
    public void kill(TaskHandle t) {
        port.kill(kernel.task(t));
    }

    /** Interrupts {@code t}: a blocked syscall ends with INTERRUPTED; false if it was not blocked. */
    @CanIgnoreReturnValue
    public boolean interrupt(TaskHandle t) {
        return port.expire(kernel.task(t), Status.INTERRUPTED);
    }

    /** {@code t}'s IPC buffer: what its code writes before a syscall and reads after one. */
    public IpcBuffer ipc(TaskHandle t) {
        return kernel.task(t).ipc();
    }

    /** {@code t}'s state now. */
    public TaskState state(TaskHandle t) {
        return kernel.task(t).state();
    }

    /** True if {@code t} is blocked in a syscall. */
    public boolean isBlocked(TaskHandle t) {
        return kernel.task(t).state().isBlocked();
    }

    /** Send for {@code t}. */
    public Outcome send(TaskHandle t, int cap, long info) {
        return send(t, cap, info, FOREVER);
    }

    /** Send for {@code t}, with a timeout in nanoseconds on the driver's clock. */
    public Outcome send(TaskHandle t, int cap, long info, long timeout) {
        return Outcome.ofResult(k.send(running(t), cap, info, timeout));
    }

    /** NBSend for {@code t}. */
    public Outcome nbSend(TaskHandle t, int cap, long info) {
        return Outcome.ofResult(k.nbSend(running(t), cap, info));
    }

    /** Call without buffers. */
    public Outcome call(TaskHandle t, int cap, long info) {
        return call(t, cap, info, FOREVER);
    }

    /** Call without buffers, with a timeout. */
    public Outcome call(TaskHandle t, int cap, long info, long timeout) {
        return call(t, cap, info, CallerBuffers.NONE, CallerBuffers.NONE, timeout);
    }

    /** Call for {@code t}, with caller buffers. */
    public Outcome call(TaskHandle t, int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf) {
        return call(t, cap, info, sendBuf, recvBuf, FOREVER);
    }

    /** Call for {@code t}, with caller buffers and with a timeout in nanoseconds on the driver's clock. */
    public Outcome call(TaskHandle t, int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf, long timeout) {
        return Outcome.ofResult(k.call(running(t), cap, info, sendBuf, recvBuf, timeout));
    }

    /** Call with one send and one receive segment. */
    public Outcome call(TaskHandle t, int cap, long info, MemorySegment sendBuf, MemorySegment recvBuf) {
        return call(t, cap, info, new MemorySegment[] {sendBuf}, new MemorySegment[] {recvBuf});
    }

    /** Recv for {@code t}. */
    public Outcome recv(TaskHandle t, int cap) {
        return recv(t, cap, FOREVER);
    }

    /** Recv for {@code t}, with a timeout in nanoseconds on the driver's clock. */
    public Outcome recv(TaskHandle t, int cap, long timeout) {
        return Outcome.ofResult(k.recv(running(t), cap, timeout));
    }

    /** NBRecv for {@code t}. */
    public Outcome nbRecv(TaskHandle t, int cap) {
        return Outcome.ofResult(k.nbRecv(running(t), cap));
    }

    /** Reply for {@code t}. */
    public Outcome reply(TaskHandle t, long info) {
        return Outcome.ofResult(k.reply(running(t), info));
    }

    /** ReplyWait for {@code t}. */
    public Outcome replyWait(TaskHandle t, int cap, long info) {
        return replyWait(t, cap, info, FOREVER);
    }

    /** ReplyWait for {@code t}, with a timeout in nanoseconds on the driver's clock. */
    public Outcome replyWait(TaskHandle t, int cap, long info, long timeout) {
        return Outcome.ofResult(k.replyWait(running(t), cap, info, timeout));
    }

    /** Forward for {@code t}. */
    public Outcome forward(TaskHandle t, int cap, long info) {
        return Outcome.ofResult(k.forward(running(t), cap, info));
    }

    /** Read for {@code t}. */
    public Outcome read(TaskHandle t, long offset, MemorySegment dst) {
        return Outcome.ofResult(k.read(running(t), offset, dst));
    }

    /** Write for {@code t}. */
    public Outcome write(TaskHandle t, long offset, MemorySegment src) {
        return Outcome.ofResult(k.write(running(t), offset, src));
    }

    /** CallerInfo for {@code t}. */
    public Outcome callerInfo(TaskHandle t) {
        return Outcome.ofResult(k.callerInfo(running(t)));
    }

    /** Suspend for {@code t}. */
    public Outcome suspend(TaskHandle t) {
        return Outcome.ofResult(k.suspend(running(t)));
    }

    /** Resume by handle for {@code t}. */
    public Outcome resume(TaskHandle t, long handle) {
        return Outcome.ofResult(k.resume(running(t), handle));
    }

    /** Reply by handle for {@code t}. */
    public Outcome reply(TaskHandle t, long handle, long info) {
        return Outcome.ofResult(k.reply(running(t), handle, info));
    }

    /** Forward by handle for {@code t}. */
    public Outcome forward(TaskHandle t, long handle, int cap, long info) {
        return Outcome.ofResult(k.forward(running(t), handle, cap, info));
    }

    /** Read by handle for {@code t}. */
    public Outcome read(TaskHandle t, long handle, long offset, MemorySegment dst) {
        return Outcome.ofResult(k.read(running(t), handle, offset, dst));
    }

    /** Write by handle for {@code t}. */
    public Outcome write(TaskHandle t, long handle, long offset, MemorySegment src) {
        return Outcome.ofResult(k.write(running(t), handle, offset, src));
    }

    /** CallerInfo by handle for {@code t}. */
    public Outcome callerInfo(TaskHandle t, long handle) {
        return Outcome.ofResult(k.callerInfo(running(t), handle));
    }

    /** SystemMessages for {@code t}. */
    public Outcome systemMessages(TaskHandle t, int cap, int kinds) {
        return Outcome.ofResult(k.systemMessages(running(t), cap, kinds));
    }

    /** Signal for {@code t}. */
    public Outcome signal(TaskHandle t, int cap) {
        return Outcome.ofResult(k.signal(running(t), cap));
    }

    /** Wait for {@code t}. */
    public Outcome waitNotification(TaskHandle t, int cap) {
        return waitNotification(t, cap, FOREVER);
    }

    /** Wait for {@code t}, with a timeout in nanoseconds on the driver's clock. */
    public Outcome waitNotification(TaskHandle t, int cap, long timeout) {
        return Outcome.ofResult(k.waitNotification(running(t), cap, timeout));
    }

    /** Poll for {@code t}. */
    public Outcome poll(TaskHandle t, int cap) {
        return Outcome.ofResult(k.poll(running(t), cap));
    }

    /** BindNotification for {@code t}. */
    public Outcome bindNotification(TaskHandle t, int cap) {
        return Outcome.ofResult(k.bindNotification(running(t), cap));
    }

    /** UnbindNotification for {@code t}. */
    public Outcome unbindNotification(TaskHandle t) {
        return Outcome.ofResult(k.unbindNotification(running(t)));
    }

    /** Copy for {@code t}. */
    public Outcome copy(TaskHandle t, int src, int dst, int rights) {
        return Outcome.ofResult(k.copy(running(t), src, dst, rights));
    }

    /** Mint for {@code t}. */
    public Outcome mint(TaskHandle t, int src, int dst, int rights, long badge) {
        return Outcome.ofResult(k.mint(running(t), src, dst, rights, badge));
    }

    /** Move for {@code t}. */
    public Outcome move(TaskHandle t, int src, int dst) {
        return Outcome.ofResult(k.move(running(t), src, dst));
    }

    /** Mutate for {@code t}. */
    public Outcome mutate(TaskHandle t, int src, int dst, int rights, long badge) {
        return Outcome.ofResult(k.mutate(running(t), src, dst, rights, badge));
    }

    /** Delete for {@code t}. */
    public Outcome delete(TaskHandle t, int slot) {
        return Outcome.ofResult(k.delete(running(t), slot));
    }

    /** Revoke for {@code t}. */
    public Outcome revoke(TaskHandle t, int slot) {
        return Outcome.ofResult(k.revoke(running(t), slot));
    }

    /** Deletes the capability in {@code slot} of {@code space} as the system builder, not a task (as {@link SimulatedRuntime#delete}). */
    public void delete(SpaceHandle space, int slot) {
        port.deleteOrRevoke(kernel.space(space), slot, false);
    }

    /** Revokes the capability in {@code slot} of {@code space} as the system builder, not a task (as {@link SimulatedRuntime#revoke}). */
    public void revoke(SpaceHandle space, int slot) {
        port.deleteOrRevoke(kernel.space(space), slot, true);
    }

    /** CancelBadgedSends for {@code t}. */
    public Outcome cancelBadgedSends(TaskHandle t, int slot) {
        return Outcome.ofResult(k.cancelBadgedSends(running(t), slot));
    }

    /** Bind for {@code t}. */
    public Outcome bind(TaskHandle t, int endpoint, int replyEndpoint, int capacity, int dstSlot) {
        return Outcome.ofResult(k.bind(running(t), endpoint, replyEndpoint, capacity, dstSlot));
    }

    /** AsyncSend for {@code t}. */
    public Outcome asyncSend(TaskHandle t, int port, long info) {
        return Outcome.ofResult(k.asyncSend(running(t), port, info));
    }

    /** AsyncCall for {@code t}; the tag is then in its IPC buffer ({@link #ipc}). */
    public Outcome asyncCall(TaskHandle t, int port, long info) {
        return Outcome.ofResult(k.asyncCall(running(t), port, info));
    }

    /** PortInfo for {@code t}. */
    public Outcome portInfo(TaskHandle t, int port) {
        return Outcome.ofResult(k.portInfo(running(t), port));
    }

    /** Map for {@code t}; the view is then in its IPC buffer ({@link #ipc}). */
    public Outcome map(TaskHandle t, int cap) {
        return Outcome.ofResult(k.map(running(t), cap));
    }

    /** Unmap for {@code t}. */
    public Outcome unmap(TaskHandle t, int cap) {
        return Outcome.ofResult(k.unmap(running(t), cap));
    }

    /** Carve for {@code t}. */
    public Outcome carve(TaskHandle t, int cap, long offset, long length, int rights, int dst) {
        return Outcome.ofResult(k.carve(running(t), cap, offset, length, rights, dst));
    }

    /** Retype for {@code t}. */
    public Outcome retype(TaskHandle t, int untyped, ObjectType type, long param, int dstSlot) {
        return Outcome.ofResult(k.retype(running(t), untyped, type, param, dstSlot));
    }

    /** Kill for {@code t}. */
    public Outcome kill(TaskHandle t, int task) {
        return Outcome.ofResult(k.kill(running(t), task));
    }

    /**
     * Restart for {@code t}: the task named starts again at once, RUNNING with a cleared IPC buffer;
     * the driver's caller then makes its syscalls from the start of its body.
     */
    public Outcome restart(TaskHandle t, int task) {
        return Outcome.ofResult(k.restart(running(t), task));
    }

    /** TaskInfo for {@code t}; the answer is in its registers (see {@link io.capipc.api.TaskInfo}). */
    public Outcome taskInfo(TaskHandle t, int task) {
        return Outcome.ofResult(k.taskInfo(running(t), task));
    }

    /** Ends a running task as if its body had thrown {@code thrown}: TaskInfo and the fault message carry its kind. */
    public Outcome fault(TaskHandle t, Throwable thrown) {
        return Outcome.ofResult(port.fault(running(t), thrown));
    }

    /** Ends a running task as if its body had returned. */
    public Outcome exit(TaskHandle t) {
        return Outcome.ofResult(port.exit(running(t)));
    }

    /** Ends a running task as if its body had thrown: its fault endpoint hears of it. */
    public Outcome fault(TaskHandle t) {
        return Outcome.ofResult(port.fault(running(t)));
    }

    private Task running(TaskHandle handle) {
        Task t = kernel.task(handle);
        if (t.state() != TaskState.RUNNING) {
            throw new IllegalStateException(handle + " is " + t.state() + "; only a RUNNING task can make a syscall");
        }
        return t;
    }
}
