package io.capipc.props.runtimes;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.inspect.Outcome;
import java.util.SplittableRandom;

/**
 * One syscall of a task's script, made the same way by a body on a runtime ({@link #run(Syscalls)})
 * and by the deterministic driver on the task's behalf ({@link #run(DeterministicDriver, TaskHandle)}):
 * the same registers, transferred slot and receive slot first, then the same call.
 *
 * @param op the syscall
 * @param slot its slot (an endpoint, a notification, a capability to copy or delete)
 * @param dst a second slot: Copy's and Mint's destination (Mint's badge and both rights masks come from {@code mr})
 * @param info the info word of a message
 * @param cap the slot a message transfers (when {@code info} names one capability); the receive slot too
 * @param mr the registers' seed: MR i holds {@code mr * 10 + i}
 */
record Step(Op op, int slot, int dst, long info, int cap, long mr) {
    enum Op { SEND, NB_SEND, CALL, RECV, NB_RECV, REPLY, REPLY_WAIT, SIGNAL, WAIT, POLL, CALLER_INFO, COPY, MINT, DELETE,
        REVOKE, CANCEL_BADGED_SENDS, SUSPEND }

    /** A random step over {@link RuntimeWorld}'s slots; {@code mr} distinct per step. */
    static Step random(SplittableRandom rnd, long mr) {
        Op op = Op.values()[rnd.nextInt(Op.values().length)];
        int w = rnd.nextInt(100);
        if (w < 30) {
            op = rnd.nextBoolean() ? Op.CALL : Op.REPLY_WAIT; // the round trip, as servers and clients make it
        } else if (w < 45) {
            op = rnd.nextBoolean() ? Op.RECV : Op.SEND;
        }
        int endpoint = rnd.nextInt(3); // 0 and 1: the endpoint (1 badged), 2: the notification
        int any = rnd.nextInt(RuntimeWorld.SLOTS);
        int free = RuntimeWorld.FREE + rnd.nextInt(RuntimeWorld.SLOTS - RuntimeWorld.FREE);
        boolean rare = rnd.nextInt(8) == 0;
        // Copies come from the boot capabilities into the free slots, and mostly those copies are deleted
        // or revoked: a Delete of slot 0 in both Spaces ends the endpoint, and the rest of the run with it.
        int slot = switch (op) {
            case SIGNAL, WAIT, POLL -> RuntimeWorld.NOTIFICATION;
            case COPY, MINT -> rare ? any : rnd.nextInt(RuntimeWorld.FREE);
            case DELETE, REVOKE -> rare ? any : free;
            default -> endpoint == 2 ? any : endpoint;
        };
        int dst = rare ? any : free;
        int caps = rnd.nextInt(6) == 0 ? 1 : 0;
        long info = MessageInfo.of(rnd.nextInt(4), rnd.nextInt(3), caps);
        int cap = rnd.nextInt(RuntimeWorld.SLOTS);
        return new Step(op, slot, dst, info, cap, mr);
    }

    private void setUp(IpcBuffer ipc) {
        for (int i = 0; i < 3; i++) {
            ipc.setMr(i, mr * 10 + i);
        }
        ipc.setCap(0, cap);
        ipc.setReceiveSlot(0, cap);
    }

    /** The step, by a task body. */
    Status run(Syscalls s) {
        setUp(s.ipc());
        return switch (op) {
            case SEND -> s.send(slot, info);
            case NB_SEND -> s.nbSend(slot, info);
            case CALL -> s.call(slot, info);
            case RECV -> s.recv(slot);
            case NB_RECV -> s.nbRecv(slot);
            case REPLY -> s.reply(info);
            case REPLY_WAIT -> s.replyWait(slot, info);
            case SIGNAL -> s.signal(slot);
            case WAIT -> s.waitNotification(slot);
            case POLL -> s.poll(slot);
            case CALLER_INFO -> s.callerInfo();
            case COPY -> s.copy(slot, dst, (int) (mr % 8));
            case MINT -> s.mint(slot, dst, (int) (mr % 8), 1 + mr % 3);
            case DELETE -> s.delete(slot);
            case REVOKE -> s.revoke(slot);
            case CANCEL_BADGED_SENDS -> s.cancelBadgedSends(slot);
            case SUSPEND -> s.suspend();
        };
    }

    /** The same step, made by the driver for task {@code t}. */
    Outcome run(DeterministicDriver d, TaskHandle t) {
        setUp(d.ipc(t));
        return switch (op) {
            case SEND -> d.send(t, slot, info);
            case NB_SEND -> d.nbSend(t, slot, info);
            case CALL -> d.call(t, slot, info);
            case RECV -> d.recv(t, slot);
            case NB_RECV -> d.nbRecv(t, slot);
            case REPLY -> d.reply(t, info);
            case REPLY_WAIT -> d.replyWait(t, slot, info);
            case SIGNAL -> d.signal(t, slot);
            case WAIT -> d.waitNotification(t, slot);
            case POLL -> d.poll(t, slot);
            case CALLER_INFO -> d.callerInfo(t);
            case COPY -> d.copy(t, slot, dst, (int) (mr % 8));
            case MINT -> d.mint(t, slot, dst, (int) (mr % 8), 1 + mr % 3);
            case DELETE -> d.delete(t, slot);
            case REVOKE -> d.revoke(t, slot);
            case CANCEL_BADGED_SENDS -> d.cancelBadgedSends(t, slot);
            case SUSPEND -> d.suspend(t);
        };
    }
}
