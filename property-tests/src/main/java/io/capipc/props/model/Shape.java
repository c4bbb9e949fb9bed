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
 *
 * <p>Untyped budgets (docs/semantics.md §13): {@code untypeds.get(k)} is the budget of boot untyped k,
 * object {@link #untypedObject}(k), which boot capabilities may name; the untypeds Retype makes take
 * the next numbers. The last {@code spareEndpoints} endpoint numbers exist only once Retype makes
 * them, in order; before, no capability names them (so {@code badges} bounds only the boot ones: a
 * made endpoint tracks any number of badges).
 */
public record Shape(int tasks, int slots, int endpoints, List<Integer> spaceOf, List<Boot> boot, List<Integer> replyPool,
                    int badges, List<Integer> faultSlot, List<Long> untypeds, int spareEndpoints) {
    /** A world with no untypeds and no endpoint numbers kept for Retype. */
    public Shape(int tasks, int slots, int endpoints, List<Integer> spaceOf, List<Boot> boot, List<Integer> replyPool,
                 int badges, List<Integer> faultSlot) {
        this(tasks, slots, endpoints, spaceOf, boot, replyPool, badges, faultSlot, List.of(), 0);
    }

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

    /** The endpoints that exist at boot: 0..bootEndpoints()-1. */
    public int bootEndpoints() {
        return endpoints - spareEndpoints;
    }

    /** The object number of untyped {@code k} (boot ones first, then those Retype made, in order). */
    public int untypedObject(int k) {
        return replyObject() + 1 + tasks + k;
    }

    /** The untyped an object number names (its k), or -1. */
    public int untypedOf(int object) {
        int k = object - replyObject() - 1 - tasks;
        return k >= 0 ? k : -1;
    }

    /** The task a Task object number names, or -1 if {@code object} is no Task object. */
    public int taskOf(int object) {
        int t = object - replyObject() - 1;
        return t >= 0 && t < tasks ? t : -1;
    }
}
