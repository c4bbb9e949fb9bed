package io.capipc.props.model;

import java.util.List;

/**
 * The fixed shape of a generated world: {@code tasks} tasks, task t running in space
 * {@code spaceOf.get(t)} (several tasks may share one), every space of {@code slots} slots;
 * endpoints 0..endpoints-1 and one notification (object number {@code endpoints}); and the original
 * capabilities installed at boot.
 */
public record Shape(int tasks, int slots, int endpoints, List<Integer> spaceOf, List<Boot> boot) {
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
}
