package io.capipc.kernel.run;

import io.capipc.api.IpcBuffer;
import io.capipc.api.ObjectType;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.object.CallerBuffers;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.syscall.Dispatch;
import io.capipc.kernel.syscall.TaskKilled;
import java.lang.foreign.MemorySegment;

/**
 * One task's syscalls in the threaded runtime: each is the kernel's transition, then, if the task
 * blocked, a wait for the transition that completes it. Created once per task; allocates nothing.
 *
 * <p>Only the task's own thread may make its syscalls: a task is one thread of control, and its
 * blocked syscall is waited for on that thread. Any other thread gets {@link WrongThreadException}
 * at once, naming both threads, instead of a syscall that would wait for a wake meant for another.
 * The IPC buffer, by contrast, is memory of the task's Space: any thread may write it, and the
 * kernel reads what it checks once (docs/semantics.md §7).
 */
public final class TaskSyscalls implements Syscalls {
    /** Bytes per nanosecond a server is assumed to copy at least (4 GB/s; MemorySegment.copy does 9-40, docs/benchmarks.md). */
    private static final long BYTES_PER_NANO = 4;
    /** Never spin more than this longer for buffers. */
    private static final long MAX_COPY_SPIN = 2_000_000;

    private final Blocking blocking;
    private final Dispatch kernel;
    private final Task task;
    private final Thread owner;
    /** Where this thread waits; killed when the task is, so the thread unwinds (docs/semantics.md §13). */
    private final Parker parker;
    /**
     * The IPC buffer of this run: a Restart gives the next run a fresh one, and this run's thread,
     * if it still runs user code, must not write into that.
     */
    private final IpcBuffer ipc;
    /** For the one-segment Call, so it needs no array per call. */
    private final MemorySegment[] oneSend = new MemorySegment[1];
    private final MemorySegment[] oneRecv = new MemorySegment[1];

    /**
     * The syscalls of {@code task}'s run on {@code owner}, whose IPC buffer is {@code ipc}: the task's
     * buffer when the run was made (taken under the kernel's lock by a Restart), not when its thread
     * got this far, by which time another Restart may have given the next run a fresh one.
     */
    public TaskSyscalls(Blocking blocking, Task task, Thread owner, IpcBuffer ipc) {
        this.blocking = blocking;
        this.kernel = blocking.port().syscalls();
        this.task = task;
        this.owner = owner;
        this.parker = blocking.parkerFor(task, owner);
        this.ipc = ipc;
    }

    /**
     * How long a server may take to Read and Write a Call's buffers, as extra spin before the caller
     * parks. Bad arguments (null, too many segments) are the kernel's to refuse: they count as 0.
     */
    static long copyNanos(MemorySegment[] sendBuf, MemorySegment[] recvBuf) {
        long send = bytes(sendBuf);
        long recv = bytes(recvBuf);
        long bytes = send + recv;
        return send < 0 || recv < 0 || bytes < 0 ? MAX_COPY_SPIN : Math.min(bytes / BYTES_PER_NANO, MAX_COPY_SPIN);
    }

    /** The segments' total size; -1 if it overflows (segments widened with reinterpret). */
    private static long bytes(MemorySegment[] segments) {
        long n = 0;
        if (segments != null && segments.length <= CallerBuffers.MAX_SEGMENTS) {
            for (int i = 0; i < segments.length; i++) {
                MemorySegment s = segments[i];
                n += s == null ? 0 : s.byteSize();
                if (n < 0) {
                    return -1;
                }
            }
        }
        return n;
    }

    /** The task, checked to be made from its own thread. */
    private Task me() {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new WrongThreadException(task + "'s syscalls were made from thread '" + current.getName()
                    + "'; only its own thread '" + owner.getName() + "' may make them");
        }
        return task;
    }

    private Status await(Status result) {
        return blocking.complete(parker, task, result, 0);
    }

    @Override
    public IpcBuffer ipc() {
        return ipc;
    }

    @Override
    public Status send(int cap, long info) {
        return await(kernel.send(me(), cap, info, FOREVER));
    }

    @Override
    public Status send(int cap, long info, long timeoutNanos) {
        return await(kernel.send(me(), cap, info, timeoutNanos));
    }

    @Override
    public Status nbSend(int cap, long info) {
        return kernel.nbSend(me(), cap, info);
    }

    @Override
    public Status call(int cap, long info) {
        return await(kernel.call(me(), cap, info, CallerBuffers.NONE, CallerBuffers.NONE, FOREVER));
    }

    @Override
    public Status call(int cap, long info, long timeoutNanos) {
        return await(kernel.call(me(), cap, info, CallerBuffers.NONE, CallerBuffers.NONE, timeoutNanos));
    }

    @Override
    public Status call(int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf) {
        return call(cap, info, sendBuf, recvBuf, FOREVER);
    }

    @Override
    public Status call(int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf, long timeoutNanos) {
        Status s = kernel.call(me(), cap, info, sendBuf, recvBuf, timeoutNanos);
        return blocking.complete(parker, task, s, copyNanos(sendBuf, recvBuf));
    }

    @Override
    public Status call(int cap, long info, MemorySegment sendBuf, MemorySegment recvBuf) {
        me(); // before the arrays: they are the owner's, and another thread must change nothing
        oneSend[0] = sendBuf;
        oneRecv[0] = recvBuf;
        Status s = call(cap, info, oneSend, oneRecv, FOREVER);
        oneSend[0] = null;
        oneRecv[0] = null;
        return s;
    }

    @Override
    public Status recv(int cap) {
        return await(kernel.recv(me(), cap, FOREVER));
    }

    @Override
    public Status recv(int cap, long timeoutNanos) {
        return await(kernel.recv(me(), cap, timeoutNanos));
    }

    @Override
    public Status nbRecv(int cap) {
        return kernel.nbRecv(me(), cap);
    }

    @Override
    public Status reply(long info) {
        return kernel.reply(me(), info);
    }

    @Override
    public Status replyWait(int cap, long info) {
        return await(kernel.replyWait(me(), cap, info, FOREVER));
    }

    @Override
    public Status replyWait(int cap, long info, long timeoutNanos) {
        return await(kernel.replyWait(me(), cap, info, timeoutNanos));
    }

    @Override
    public Status forward(int cap, long info) {
        return kernel.forward(me(), cap, info);
    }

    @Override
    public Status read(long offset, MemorySegment dst) {
        return kernel.read(me(), offset, dst);
    }

    @Override
    public Status write(long offset, MemorySegment src) {
        return kernel.write(me(), offset, src);
    }

    @Override
    public Status callerInfo() {
        return kernel.callerInfo(me());
    }

    @Override
    public Status suspend() {
        return kernel.suspend(me());
    }

    @Override
    public Status resume(long handle) {
        return kernel.resume(me(), handle);
    }

    @Override
    public Status reply(long handle, long info) {
        return kernel.reply(me(), handle, info);
    }

    @Override
    public Status forward(long handle, int cap, long info) {
        return kernel.forward(me(), handle, cap, info);
    }

    @Override
    public Status read(long handle, long offset, MemorySegment dst) {
        return kernel.read(me(), handle, offset, dst);
    }

    @Override
    public Status write(long handle, long offset, MemorySegment src) {
        return kernel.write(me(), handle, offset, src);
    }

    @Override
    public Status callerInfo(long handle) {
        return kernel.callerInfo(me(), handle);
    }

    @Override
    public Status systemMessages(int cap, int kinds) {
        return kernel.systemMessages(me(), cap, kinds);
    }

    @Override
    public Status signal(int cap) {
        return kernel.signal(me(), cap);
    }

    @Override
    public Status waitNotification(int cap) {
        return await(kernel.waitNotification(me(), cap, FOREVER));
    }

    @Override
    public Status waitNotification(int cap, long timeoutNanos) {
        return await(kernel.waitNotification(me(), cap, timeoutNanos));
    }

    @Override
    public Status poll(int cap) {
        return kernel.poll(me(), cap);
    }

    @Override
    public Status bindNotification(int cap) {
        return kernel.bindNotification(me(), cap);
    }

    @Override
    public Status unbindNotification() {
        return kernel.unbindNotification(me());
    }

    @Override
    public Status copy(int src, int dst, int rights) {
        return kernel.copy(me(), src, dst, rights);
    }

    @Override
    public Status mint(int src, int dst, int rights, long badge) {
        return kernel.mint(me(), src, dst, rights, badge);
    }

    @Override
    public Status move(int src, int dst) {
        return kernel.move(me(), src, dst);
    }

    @Override
    public Status mutate(int src, int dst, int rights, long badge) {
        return kernel.mutate(me(), src, dst, rights, badge);
    }

    @Override
    public Status delete(int slot) {
        return kernel.delete(me(), slot);
    }

    @Override
    public Status revoke(int slot) {
        return kernel.revoke(me(), slot);
    }

    @Override
    public Status cancelBadgedSends(int slot) {
        return kernel.cancelBadgedSends(me(), slot);
    }

    @Override
    public Status bind(int endpoint, int replyEndpoint, int capacity, int dstSlot) {
        return kernel.bind(me(), endpoint, replyEndpoint, capacity, dstSlot);
    }

    @Override
    public Status asyncSend(int port, long info) {
        return kernel.asyncSend(me(), port, info);
    }

    @Override
    public Status asyncCall(int port, long info) {
        return kernel.asyncCall(me(), port, info);
    }

    @Override
    public Status portInfo(int port) {
        return kernel.portInfo(me(), port);
    }

    @Override
    public Status map(int cap) {
        return kernel.map(me(), cap);
    }

    @Override
    public Status unmap(int cap) {
        return kernel.unmap(me(), cap);
    }

    @Override
    public Status carve(int cap, long offset, long length, int rights, int dst) {
        return kernel.carve(me(), cap, offset, length, rights, dst);
    }

    // ---- Objects at run time and task control (docs/semantics.md §13).

    @Override
    public Status retype(int untyped, ObjectType type, long param, int dstSlot) {
        return kernel.retype(me(), untyped, type, param, dstSlot);
    }

    /** Kill; a task that killed itself unwinds at once ({@link TaskKilled}): it runs no more user code. */
    @Override
    public Status kill(int cap) {
        Status s = kernel.kill(me(), cap);
        if (parker.isKilled()) {
            throw TaskKilled.INSTANCE;
        }
        return s;
    }

    @Override
    public Status restart(int cap) {
        return kernel.restart(me(), cap);
    }

    @Override
    public Status taskInfo(int cap) {
        return kernel.taskInfo(me(), cap);
    }
}
