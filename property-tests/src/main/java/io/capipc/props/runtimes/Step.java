package io.capipc.props.runtimes;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.inspect.Outcome;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/**
 * One syscall of a task's script, made the same way by a body on a runtime ({@link #run(Syscalls, Buffers)})
 * and by the deterministic driver on the task's behalf ({@link #run(DeterministicDriver, TaskHandle, Buffers)}):
 * the same registers, transferred slot and receive slot first, then the same call, through every
 * method of {@link Syscalls} (a blocking one without a deadline: the simulated runtime would move
 * its clock by itself, which the replay cannot see). A syscall by handle names the handle the IPC
 * buffer holds when it is made (the last Suspend's), read on each side.
 *
 * @param op the syscall
 * @param slot its slot (an endpoint, a notification, a capability to copy or delete)
 * @param dst a second slot: the destination of Copy, Mint, Move, Mutate, Bind, Carve and Retype
 * @param info the info word of a message
 * @param cap the slot a message transfers (when {@code info} names one capability); the receive slot too
 * @param mr the registers' seed: MR i holds {@code mr * 10 + i}; rights masks, badges and offsets come from it too
 */
record Step(Op op, int slot, int dst, long info, int cap, long mr) {
    enum Op { SEND, SEND_FOREVER, NB_SEND, CALL, CALL_FOREVER, CALL_BUFFERS, CALL_SEGMENT, CALL_BUFFERS_FOREVER, RECV,
        RECV_FOREVER, NB_RECV, REPLY, REPLY_WAIT, REPLY_WAIT_FOREVER, FORWARD, READ, WRITE, CALLER_INFO, SUSPEND, RESUME,
        REPLY_HANDLE, FORWARD_HANDLE, READ_HANDLE, WRITE_HANDLE, CALLER_INFO_HANDLE, SYSTEM_MESSAGES, SIGNAL, WAIT,
        WAIT_FOREVER, POLL, BIND_NOTIFICATION, UNBIND_NOTIFICATION, COPY, MINT, MOVE, MUTATE, DELETE, REVOKE,
        CANCEL_BADGED_SENDS, BIND, ASYNC_SEND, ASYNC_CALL, PORT_INFO, MAP, UNMAP, CARVE, RETYPE, KILL, RESTART, TASK_INFO,
        /** The body throws (a planted fault): the runtime reports it, and the task ends as a faulted one. */
        FAULT,
        /** With a finite timeout (0 to 4 us): on the simulated runtime only, whose clock the replay can follow. */
        SEND_TIMED, CALL_TIMED, RECV_TIMED, REPLY_WAIT_TIMED, WAIT_TIMED }

    /** The ops without a finite timeout, which every runtime's scripts draw from. */
    private static final Op[] UNTIMED = java.util.Arrays.copyOf(Op.values(), Op.SEND_TIMED.ordinal());
    private static final Op[] TIMED = {Op.SEND_TIMED, Op.CALL_TIMED, Op.RECV_TIMED, Op.REPLY_WAIT_TIMED, Op.WAIT_TIMED};

    /** Each task's segments: a Call's send and receive buffers, and where Read reads to and Write writes from. */
    record Buffers(MemorySegment send, MemorySegment recv, MemorySegment scratch) {}

    /** A random step over {@link RuntimeWorld}'s slots; {@code mr} distinct per step; one in five {@code timed}, if asked. */
    static Step random(SplittableRandom rnd, long mr, boolean timed) {
        Step s = random(rnd, mr);
        return timed && rnd.nextInt(5) == 0 ? new Step(TIMED[rnd.nextInt(TIMED.length)], s.slot, s.dst, s.info, s.cap, s.mr) : s;
    }

    private static Step random(SplittableRandom rnd, long mr) {
        Op op = UNTIMED[rnd.nextInt(UNTIMED.length)];
        int w = rnd.nextInt(100);
        if (w < 30) {
            op = rnd.nextBoolean() ? Op.CALL : Op.REPLY_WAIT; // the round trip, as servers and clients make it
        } else if (w < 40) {
            op = rnd.nextBoolean() ? Op.RECV : Op.SEND;
        } else if (w < 43) {
            op = Op.RESTART; // of the one task the Task capabilities name: each case a restart or two
        }
        int endpoint = rnd.nextInt(3); // 0 and 1: the endpoint (1 badged), 2: any slot
        int any = rnd.nextInt(RuntimeWorld.SLOTS);
        int free = RuntimeWorld.FREE + rnd.nextInt(RuntimeWorld.SLOTS - RuntimeWorld.FREE);
        boolean rare = rnd.nextInt(8) == 0;
        // Copies come from the boot capabilities into the free slots, and mostly those copies are deleted
        // or revoked: a Delete of slot 0 in both Spaces ends the endpoint, and the rest of the run with it.
        int slot = switch (op) {
            case SIGNAL, WAIT, WAIT_FOREVER, POLL, BIND_NOTIFICATION -> RuntimeWorld.NOTIFICATION;
            case COPY, MINT, MOVE, MUTATE -> rare ? any : rnd.nextInt(RuntimeWorld.FREE);
            case DELETE, REVOKE -> rare ? any : free;
            case KILL, RESTART, TASK_INFO -> rare ? any : RuntimeWorld.TASK;
            default -> endpoint == 2 ? any : endpoint;
        };
        int dst = rare ? any : free;
        int caps = rnd.nextInt(6) == 0 ? 1 : 0;
        long info = MessageInfo.of(rnd.nextInt(4), rnd.nextInt(3), caps);
        int cap = rnd.nextInt(RuntimeWorld.SLOTS);
        return new Step(op, slot, dst, info, cap, mr);
    }

    /** The same step with another op. */
    Step with(Op other) {
        return new Step(other, slot, dst, info, cap, mr);
    }

    private void setUp(IpcBuffer ipc) {
        for (int i = 0; i < 3; i++) {
            ipc.setMr(i, mr * 10 + i);
        }
        ipc.setCap(0, cap);
        ipc.setReceiveSlot(0, cap);
    }

    private int rights() {
        return (int) (mr % 8);
    }

    /** What a FAULT step's body throws. */
    static IllegalStateException planted() {
        return new IllegalStateException(PLANTED);
    }

    static final String PLANTED = "a planted fault";

    /** A finite timeout: 0 (refused at once if it would block) or 1 to 4 us. */
    private long timeout() {
        return mr % 5 * 1000;
    }

    private long offset() {
        return mr % 20;
    }

    private static final long FOREVER = Syscalls.FOREVER;

    /** The info word without capabilities, as Forward takes it. */
    private long noCaps() {
        return MessageInfo.of(MessageInfo.label(info), MessageInfo.length(info));
    }

    /** The step, by a task body. */
    Status run(Syscalls s, Buffers b) {
        setUp(s.ipc());
        long h = s.ipc().handle();
        MemorySegment[] send = {b.send()};
        MemorySegment[] recv = {b.recv()};
        return switch (op) {
            case SEND -> s.send(slot, info);
            case SEND_FOREVER -> s.send(slot, info, FOREVER);
            case NB_SEND -> s.nbSend(slot, info);
            case CALL -> s.call(slot, info);
            case CALL_FOREVER -> s.call(slot, info, FOREVER);
            case CALL_BUFFERS -> s.call(slot, info, send, recv);
            case CALL_SEGMENT -> s.call(slot, info, b.send(), b.recv());
            case CALL_BUFFERS_FOREVER -> s.call(slot, info, send, recv, FOREVER);
            case RECV -> s.recv(slot);
            case RECV_FOREVER -> s.recv(slot, FOREVER);
            case NB_RECV -> s.nbRecv(slot);
            case REPLY -> s.reply(info);
            case REPLY_WAIT -> s.replyWait(slot, info);
            case REPLY_WAIT_FOREVER -> s.replyWait(slot, info, FOREVER);
            case FORWARD -> s.forward(slot, noCaps());
            case READ -> s.read(offset(), b.scratch());
            case WRITE -> s.write(offset(), b.scratch());
            case CALLER_INFO -> s.callerInfo();
            case SUSPEND -> s.suspend();
            case RESUME -> s.resume(h);
            case REPLY_HANDLE -> s.reply(h, info);
            case FORWARD_HANDLE -> s.forward(h, slot, noCaps());
            case READ_HANDLE -> s.read(h, offset(), b.scratch());
            case WRITE_HANDLE -> s.write(h, offset(), b.scratch());
            case CALLER_INFO_HANDLE -> s.callerInfo(h);
            case SYSTEM_MESSAGES -> s.systemMessages(slot, rights() << 1);
            case SIGNAL -> s.signal(slot);
            case WAIT -> s.waitNotification(slot);
            case WAIT_FOREVER -> s.waitNotification(slot, FOREVER);
            case POLL -> s.poll(slot);
            case BIND_NOTIFICATION -> s.bindNotification(slot);
            case UNBIND_NOTIFICATION -> s.unbindNotification();
            case COPY -> s.copy(slot, dst, rights());
            case MINT -> s.mint(slot, dst, rights(), 1 + mr % 3);
            case MOVE -> s.move(slot, dst);
            case MUTATE -> s.mutate(slot, dst, rights(), mr % 2);
            case DELETE -> s.delete(slot);
            case REVOKE -> s.revoke(slot);
            case CANCEL_BADGED_SENDS -> s.cancelBadgedSends(slot);
            case BIND -> s.bind(slot, cap, 1, dst);
            case ASYNC_SEND -> s.asyncSend(slot, info);
            case ASYNC_CALL -> s.asyncCall(slot, info);
            case PORT_INFO -> s.portInfo(slot);
            case MAP -> s.map(slot);
            case UNMAP -> s.unmap(slot);
            case CARVE -> s.carve(slot, offset(), 4, rights(), dst);
            case RETYPE -> s.retype(slot, ObjectType.ENDPOINT, 0, dst);
            case KILL -> s.kill(slot);
            case RESTART -> s.restart(slot);
            case TASK_INFO -> s.taskInfo(slot);
            case FAULT -> throw planted();
            case SEND_TIMED -> s.send(slot, info, timeout());
            case CALL_TIMED -> s.call(slot, info, timeout());
            case RECV_TIMED -> s.recv(slot, timeout());
            case REPLY_WAIT_TIMED -> s.replyWait(slot, info, timeout());
            case WAIT_TIMED -> s.waitNotification(RuntimeWorld.NOTIFICATION, timeout());
        };
    }

    /** The same step, made by the driver for task {@code t}. */
    Outcome run(DeterministicDriver d, TaskHandle t, Buffers b) {
        setUp(d.ipc(t));
        long h = d.ipc(t).handle();
        MemorySegment[] send = {b.send()};
        MemorySegment[] recv = {b.recv()};
        return switch (op) {
            case SEND -> d.send(t, slot, info);
            case SEND_FOREVER -> d.send(t, slot, info, FOREVER);
            case NB_SEND -> d.nbSend(t, slot, info);
            case CALL -> d.call(t, slot, info);
            case CALL_FOREVER -> d.call(t, slot, info, FOREVER);
            case CALL_BUFFERS -> d.call(t, slot, info, send, recv);
            case CALL_SEGMENT -> d.call(t, slot, info, b.send(), b.recv());
            case CALL_BUFFERS_FOREVER -> d.call(t, slot, info, send, recv, FOREVER);
            case RECV -> d.recv(t, slot);
            case RECV_FOREVER -> d.recv(t, slot, FOREVER);
            case NB_RECV -> d.nbRecv(t, slot);
            case REPLY -> d.reply(t, info);
            case REPLY_WAIT -> d.replyWait(t, slot, info);
            case REPLY_WAIT_FOREVER -> d.replyWait(t, slot, info, FOREVER);
            case FORWARD -> d.forward(t, slot, noCaps());
            case READ -> d.read(t, offset(), b.scratch());
            case WRITE -> d.write(t, offset(), b.scratch());
            case CALLER_INFO -> d.callerInfo(t);
            case SUSPEND -> d.suspend(t);
            case RESUME -> d.resume(t, h);
            case REPLY_HANDLE -> d.reply(t, h, info);
            case FORWARD_HANDLE -> d.forward(t, h, slot, noCaps());
            case READ_HANDLE -> d.read(t, h, offset(), b.scratch());
            case WRITE_HANDLE -> d.write(t, h, offset(), b.scratch());
            case CALLER_INFO_HANDLE -> d.callerInfo(t, h);
            case SYSTEM_MESSAGES -> d.systemMessages(t, slot, rights() << 1);
            case SIGNAL -> d.signal(t, slot);
            case WAIT -> d.waitNotification(t, slot);
            case WAIT_FOREVER -> d.waitNotification(t, slot, FOREVER);
            case POLL -> d.poll(t, slot);
            case BIND_NOTIFICATION -> d.bindNotification(t, slot);
            case UNBIND_NOTIFICATION -> d.unbindNotification(t);
            case COPY -> d.copy(t, slot, dst, rights());
            case MINT -> d.mint(t, slot, dst, rights(), 1 + mr % 3);
            case MOVE -> d.move(t, slot, dst);
            case MUTATE -> d.mutate(t, slot, dst, rights(), mr % 2);
            case DELETE -> d.delete(t, slot);
            case REVOKE -> d.revoke(t, slot);
            case CANCEL_BADGED_SENDS -> d.cancelBadgedSends(t, slot);
            case BIND -> d.bind(t, slot, cap, 1, dst);
            case ASYNC_SEND -> d.asyncSend(t, slot, info);
            case ASYNC_CALL -> d.asyncCall(t, slot, info);
            case PORT_INFO -> d.portInfo(t, slot);
            case MAP -> d.map(t, slot);
            case UNMAP -> d.unmap(t, slot);
            case CARVE -> d.carve(t, slot, offset(), 4, rights(), dst);
            case RETYPE -> d.retype(t, slot, ObjectType.ENDPOINT, 0, dst);
            case KILL -> d.kill(t, slot);
            case RESTART -> d.restart(t, slot);
            case TASK_INFO -> d.taskInfo(t, slot);
            case FAULT -> d.fault(t, planted());
            case SEND_TIMED -> d.send(t, slot, info, timeout());
            case CALL_TIMED -> d.call(t, slot, info, timeout());
            case RECV_TIMED -> d.recv(t, slot, timeout());
            case REPLY_WAIT_TIMED -> d.replyWait(t, slot, info, timeout());
            case WAIT_TIMED -> d.waitNotification(t, RuntimeWorld.NOTIFICATION, timeout());
        };
    }
}
