package io.capipc.kernel.run;

import io.capipc.api.IpcBuffer;
import io.capipc.api.ObjectType;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.object.CallerBuffers;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.syscall.Dispatch;
import java.lang.foreign.MemorySegment;

/**
 * One task's syscalls in the simulated runtime: each is the kernel's transition, the same one the
 * threaded runtime takes ({@link TaskSyscalls}), followed by a scheduling point where the task gives
 * its turn back ({@link Turns#complete}). A syscall that blocked returns once the scheduler gives the
 * task a turn again, which it does only after another transition (or a timeout, an interrupt, a
 * kill) has completed it.
 *
 * <p>As on the threaded runtime, only the task's own thread may make its syscalls; a killed task's
 * syscalls throw {@link Turns.Killed} so that its body unwinds.
 */
public final class SimulatedSyscalls implements Syscalls {
    private final Turns turns;
    private final Dispatch kernel;
    private final Task task;
    private final Thread owner;
    /** For the one-segment Call, so it needs no array per call. */
    private final MemorySegment[] oneSend = new MemorySegment[1];
    private final MemorySegment[] oneRecv = new MemorySegment[1];

    public SimulatedSyscalls(Turns turns, Task task, Thread owner) {
        this.turns = turns;
        this.kernel = turns.port().syscalls();
        this.task = task;
        this.owner = owner;
    }

    /** The task, checked to be made from its own thread and still alive. */
    private Task me() {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new WrongThreadException(task + "'s syscalls were made from thread '" + current.getName()
                    + "'; only its own thread '" + owner.getName() + "' may make them");
        }
        turns.checkAlive(task);
        return task;
    }

    /** The scheduling point after every syscall. */
    private Status done(Status result) {
        return turns.complete(task, result);
    }

    @Override
    public IpcBuffer ipc() {
        return task.ipc();
    }

    @Override
    public Status send(int cap, long info) {
        return done(kernel.send(me(), cap, info, FOREVER));
    }

    @Override
    public Status send(int cap, long info, long timeoutNanos) {
        return done(kernel.send(me(), cap, info, timeoutNanos));
    }

    @Override
    public Status nbSend(int cap, long info) {
        return done(kernel.nbSend(me(), cap, info));
    }

    @Override
    public Status call(int cap, long info) {
        return done(kernel.call(me(), cap, info, CallerBuffers.NONE, CallerBuffers.NONE, FOREVER));
    }

    @Override
    public Status call(int cap, long info, long timeoutNanos) {
        return done(kernel.call(me(), cap, info, CallerBuffers.NONE, CallerBuffers.NONE, timeoutNanos));
    }

    @Override
    public Status call(int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf) {
        return call(cap, info, sendBuf, recvBuf, FOREVER);
    }

    @Override
    public Status call(int cap, long info, MemorySegment[] sendBuf, MemorySegment[] recvBuf, long timeoutNanos) {
        return done(kernel.call(me(), cap, info, sendBuf, recvBuf, timeoutNanos));
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
        return done(kernel.recv(me(), cap, FOREVER));
    }

    @Override
    public Status recv(int cap, long timeoutNanos) {
        return done(kernel.recv(me(), cap, timeoutNanos));
    }

    @Override
    public Status nbRecv(int cap) {
        return done(kernel.nbRecv(me(), cap));
    }

    @Override
    public Status reply(long info) {
        return done(kernel.reply(me(), info));
    }

    @Override
    public Status replyWait(int cap, long info) {
        return done(kernel.replyWait(me(), cap, info, FOREVER));
    }

    @Override
    public Status replyWait(int cap, long info, long timeoutNanos) {
        return done(kernel.replyWait(me(), cap, info, timeoutNanos));
    }

    @Override
    public Status forward(int cap, long info) {
        return done(kernel.forward(me(), cap, info));
    }

    @Override
    public Status read(long offset, MemorySegment dst) {
        return done(kernel.read(me(), offset, dst));
    }

    @Override
    public Status write(long offset, MemorySegment src) {
        return done(kernel.write(me(), offset, src));
    }

    @Override
    public Status callerInfo() {
        return done(kernel.callerInfo(me()));
    }

    @Override
    public Status suspend() {
        return done(kernel.suspend(me()));
    }

    @Override
    public Status resume(long handle) {
        return done(kernel.resume(me(), handle));
    }

    @Override
    public Status reply(long handle, long info) {
        return done(kernel.reply(me(), handle, info));
    }

    @Override
    public Status forward(long handle, int cap, long info) {
        return done(kernel.forward(me(), handle, cap, info));
    }

    @Override
    public Status read(long handle, long offset, MemorySegment dst) {
        return done(kernel.read(me(), handle, offset, dst));
    }

    @Override
    public Status write(long handle, long offset, MemorySegment src) {
        return done(kernel.write(me(), handle, offset, src));
    }

    @Override
    public Status callerInfo(long handle) {
        return done(kernel.callerInfo(me(), handle));
    }

    @Override
    public Status systemMessages(int cap, int kinds) {
        return done(kernel.systemMessages(me(), cap, kinds));
    }

    @Override
    public Status signal(int cap) {
        return done(kernel.signal(me(), cap));
    }

    @Override
    public Status waitNotification(int cap) {
        return done(kernel.waitNotification(me(), cap, FOREVER));
    }

    @Override
    public Status waitNotification(int cap, long timeoutNanos) {
        return done(kernel.waitNotification(me(), cap, timeoutNanos));
    }

    @Override
    public Status poll(int cap) {
        return done(kernel.poll(me(), cap));
    }

    @Override
    public Status bindNotification(int cap) {
        return done(kernel.bindNotification(me(), cap));
    }

    @Override
    public Status unbindNotification() {
        return done(kernel.unbindNotification(me()));
    }

    @Override
    public Status copy(int src, int dst, int rights) {
        return done(kernel.copy(me(), src, dst, rights));
    }

    @Override
    public Status mint(int src, int dst, int rights, long badge) {
        return done(kernel.mint(me(), src, dst, rights, badge));
    }

    @Override
    public Status move(int src, int dst) {
        return done(kernel.move(me(), src, dst));
    }

    @Override
    public Status mutate(int src, int dst, int rights, long badge) {
        return done(kernel.mutate(me(), src, dst, rights, badge));
    }

    @Override
    public Status delete(int slot) {
        return done(kernel.delete(me(), slot));
    }

    @Override
    public Status revoke(int slot) {
        return done(kernel.revoke(me(), slot));
    }

    @Override
    public Status cancelBadgedSends(int slot) {
        return done(kernel.cancelBadgedSends(me(), slot));
    }

    @Override
    public Status bind(int endpoint, int replyEndpoint, int capacity, int dstSlot) {
        return done(kernel.bind(me(), endpoint, replyEndpoint, capacity, dstSlot));
    }

    @Override
    public Status asyncSend(int port, long info) {
        return done(kernel.asyncSend(me(), port, info));
    }

    @Override
    public Status asyncCall(int port, long info) {
        return done(kernel.asyncCall(me(), port, info));
    }

    @Override
    public Status portInfo(int port) {
        return done(kernel.portInfo(me(), port));
    }

    @Override
    public Status retype(int untyped, ObjectType type, long param, int dstSlot) {
        return done(kernel.retype(me(), untyped, type, param, dstSlot));
    }

    @Override
    public Status kill(int cap) {
        return done(kernel.kill(me(), cap));
    }

    @Override
    public Status restart(int cap) {
        return done(kernel.restart(me(), cap));
    }

    @Override
    public Status taskInfo(int cap) {
        return done(kernel.taskInfo(me(), cap));
    }

    @Override
    public Status map(int cap) {
        return done(kernel.map(me(), cap));
    }

    @Override
    public Status unmap(int cap) {
        return done(kernel.unmap(me(), cap));
    }

    @Override
    public Status carve(int cap, long offset, long length, int rights, int dst) {
        return done(kernel.carve(me(), cap, offset, length, rights, dst));
    }
}
