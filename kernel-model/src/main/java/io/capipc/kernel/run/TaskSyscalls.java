package io.capipc.kernel.run;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ipc.CallerBuffers;
import io.capipc.kernel.object.Task;
import java.lang.foreign.MemorySegment;

/**
 * One task's syscalls in the threaded runtime: each is the kernel's transition, then, if the task
 * blocked, a wait for the transition that completes it. Created once per task; allocates nothing.
 */
final class TaskSyscalls implements Syscalls {
    private final ThreadedRuntime runtime;
    private final Kernel kernel;
    private final Task task;
    /** For the one-segment Call, so it needs no array per call. */
    private final MemorySegment[] oneSend = new MemorySegment[1];
    private final MemorySegment[] oneRecv = new MemorySegment[1];

    TaskSyscalls(ThreadedRuntime runtime, Task task) {
        this.runtime = runtime;
        this.kernel = runtime.kernel();
        this.task = task;
    }

    /** Bytes per nanosecond a server is assumed to copy at least (4 GB/s; MemorySegment.copy does 9-40 here). */
    private static final long BYTES_PER_NANO = 4;
    /** Never spin more than this longer for buffers. */
    private static final long MAX_COPY_SPIN = 2_000_000;

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

    @Override
    public IpcBuffer ipc() {
        return task.ipc();
    }

    @Override
    public Status send(int cap, long info) {
        return runtime.complete(task, kernel.send(task, cap, info));
    }

    @Override
    public Status send(int cap, long info, long timeoutNanos) {
        return runtime.complete(task, kernel.send(task, cap, info, timeoutNanos));
    }

    @Override
    public Status call(int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf, long timeoutNanos) {
        return runtime.complete(task, kernel.call(task, cap, info, sendBuf, recvBuf, timeoutNanos), copyNanos(sendBuf, recvBuf));
    }

    @Override
    public Status recv(int cap, long timeoutNanos) {
        return runtime.complete(task, kernel.recv(task, cap, timeoutNanos));
    }

    @Override
    public Status replyWait(int cap, long info, long timeoutNanos) {
        return runtime.complete(task, kernel.replyWait(task, cap, info, timeoutNanos));
    }

    @Override
    public Status waitNotification(int cap, long timeoutNanos) {
        return runtime.complete(task, kernel.waitNotification(task, cap, timeoutNanos));
    }

    @Override
    public Status nbSend(int cap, long info) {
        return kernel.nbSend(task, cap, info);
    }

    @Override
    public Status call(int cap, long info) {
        return runtime.complete(task, kernel.call(task, cap, info, CallerBuffers.NONE, CallerBuffers.NONE));
    }

    @Override
    public Status call(int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf) {
        return runtime.complete(task, kernel.call(task, cap, info, sendBuf, recvBuf), copyNanos(sendBuf, recvBuf));
    }

    @Override
    public Status call(int cap, long info, MemorySegment sendBuf, MemorySegment recvBuf) {
        oneSend[0] = sendBuf;
        oneRecv[0] = recvBuf;
        Status s = runtime.complete(task, kernel.call(task, cap, info, oneSend, oneRecv), copyNanos(oneSend, oneRecv));
        oneSend[0] = null;
        oneRecv[0] = null;
        return s;
    }

    @Override
    public Status recv(int cap) {
        return runtime.complete(task, kernel.recv(task, cap));
    }

    @Override
    public Status nbRecv(int cap) {
        return kernel.nbRecv(task, cap);
    }

    @Override
    public Status reply(long info) {
        return kernel.reply(task, info);
    }

    @Override
    public Status replyWait(int cap, long info) {
        return runtime.complete(task, kernel.replyWait(task, cap, info));
    }

    @Override
    public Status forward(int cap, long info) {
        return kernel.forward(task, cap, info);
    }

    @Override
    public Status read(long offset, MemorySegment dst) {
        return kernel.read(task, offset, dst);
    }

    @Override
    public Status write(long offset, MemorySegment src) {
        return kernel.write(task, offset, src);
    }

    @Override
    public Status callerInfo() {
        return kernel.callerInfo(task);
    }

    @Override
    public Status suspend() {
        return kernel.suspend(task);
    }

    @Override
    public Status resume(long handle) {
        return kernel.resume(task, handle);
    }

    @Override
    public Status reply(long handle, long info) {
        return kernel.reply(task, handle, info);
    }

    @Override
    public Status forward(long handle, int cap, long info) {
        return kernel.forward(task, handle, cap, info);
    }

    @Override
    public Status read(long handle, long offset, MemorySegment dst) {
        return kernel.read(task, handle, offset, dst);
    }

    @Override
    public Status write(long handle, long offset, MemorySegment src) {
        return kernel.write(task, handle, offset, src);
    }

    @Override
    public Status callerInfo(long handle) {
        return kernel.callerInfo(task, handle);
    }

    @Override
    public Status systemMessages(int cap, int kinds) {
        return kernel.systemMessages(task, cap, kinds);
    }

    @Override
    public Status signal(int cap) {
        return kernel.signal(task, cap);
    }

    @Override
    public Status waitNotification(int cap) {
        return runtime.complete(task, kernel.waitNotification(task, cap));
    }

    @Override
    public Status poll(int cap) {
        return kernel.poll(task, cap);
    }

    @Override
    public Status bindNotification(int cap) {
        return kernel.bindNotification(task, cap);
    }

    @Override
    public Status unbindNotification() {
        return kernel.unbindNotification(task);
    }

    @Override
    public Status copy(int src, int dst, int rights) {
        return kernel.copy(task, src, dst, rights);
    }

    @Override
    public Status mint(int src, int dst, int rights, long badge) {
        return kernel.mint(task, src, dst, rights, badge);
    }

    @Override
    public Status move(int src, int dst) {
        return kernel.move(task, src, dst);
    }

    @Override
    public Status mutate(int src, int dst, int rights, long badge) {
        return kernel.mutate(task, src, dst, rights, badge);
    }

    @Override
    public Status delete(int slot) {
        return kernel.delete(task, slot);
    }

    @Override
    public Status revoke(int slot) {
        return kernel.revoke(task, slot);
    }

    @Override
    public Status cancelBadgedSends(int slot) {
        return kernel.cancelBadgedSends(task, slot);
    }
}
