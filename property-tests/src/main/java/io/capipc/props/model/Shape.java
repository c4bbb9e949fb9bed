package io.capipc.props.model;

import java.util.List;

/**
 * The fixed shape of a generated world: {@code tasks} tasks, task t running in space
 * {@code spaceOf.get(t)} (several tasks may share one), every space of {@code slots} slots with a
 * reply pool of {@code replyPool.get(space)} entries; endpoints 0..endpoints-1, each tracking at most
 * {@code badges} live badges at once, and one notification (object number {@code endpoints}); the
 * original capabilities installed at boot; and each task's fault slot ({@code faultSlot.get(t)}, -1:
 * none): a slot of its space holding, at boot, an endpoint capability with WRITE, which is copied
 * into the task's TCB slot when the task is made, and whose endpoint hears TASK_FAULTED when the
 * task's body throws.
 */
public record Shape(int tasks, int slots, int endpoints, List<Integer> spaceOf, List<Boot> boot, List<Integer> replyPool,
                    int badges, List<Integer> faultSlot) {
    /** Bytes in each task's send area, receive area and scratch buffer. */
    public static final int AREA = 64;

    /** An original capability: object {@code object} in slot {@code slot} of space {@code space}. */
    public record Boot(int space, int slot, int object, int rights, long badge) {}

    /** The number of spaces. */
    public int spaces() {
        return spaceOf.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    /** The space task {@code t} runs in. */
    public int space(int t) {
        return spaceOf.get(t);
    }

    /** The object number of the notification. */
    public int notification() {
        return endpoints;
    }

    /**
     * The object number every reply capability names in the model: one past the notification. The
     * model tells reply capabilities apart by their slot, as the kernel does by its pool entry.
     */
    public int replyObject() {
        return endpoints + 1;
    }

    /** The object number of task {@code t}'s Task object (docs/semantics.md §13), which Task capabilities name: after the reply object. */
    public int taskObject(int t) {
        return replyObject() + 1 + t;
    }

    /** The task a Task object number names, or -1 if {@code object} is no Task object. */
    public int taskOf(int object) {
        int t = object - replyObject() - 1;
        return t >= 0 && t < tasks ? t : -1;
    }
}
