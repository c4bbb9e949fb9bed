package io.capipc.kernel.object;

import io.capipc.api.ObjectType;
import io.capipc.cap.KernelObject;

/**
 * What a Task capability names (docs/semantics.md §13, seL4's TCB capability): one per task, made
 * the first time the boot API hands the task out as an object. It has no state of its own; TaskInfo,
 * Kill and Restart act on {@link #task()}. A task outlives its capabilities (its type is pooled: the
 * last capability going destroys nothing).
 */
public final class TaskControl extends KernelObject {
    private final Task task;

    public TaskControl(int id, Task task) {
        super(id);
        this.task = task;
    }

    @Override
    public ObjectType type() {
        return ObjectType.TASK;
    }

    /** The task named. */
    public Task task() {
        return task;
    }

    @Override
    public String toString() {
        return "task-cap#" + id() + "(" + task + ")";
    }
}
