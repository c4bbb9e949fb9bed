package io.capipc.kernel.object;

import io.capipc.api.SystemMessage;

/**
 * What a {@link Task} holds from creation to the end, kept apart from what transitions change (see
 * {@link TaskPad}): another core's transition reads these references to reach the task's registers
 * and context, and finds them in its own cache instead of on a line the task's last transition wrote.
 */
abstract class TaskIdentity {
    final int id;
    final String name;
    final Space space;
    final int faultSlot;
    final Registers registers = new Registers();
    final Reply reply;
    final Notice faulted = new Notice(SystemMessage.TASK_FAULTED, null);

    TaskIdentity(int id, String name, Space space, int faultSlot) {
        this.id = id;
        this.name = name;
        this.space = space;
        this.faultSlot = faultSlot;
        this.reply = new Reply((Task) this);
    }
}

/** Two cache lines between a task's fixed references and its state, so writes to one never evict the other. */
abstract class TaskPad extends TaskIdentity {
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;

    TaskPad(int id, String name, Space space, int faultSlot) {
        super(id, name, space, faultSlot);
    }
}
