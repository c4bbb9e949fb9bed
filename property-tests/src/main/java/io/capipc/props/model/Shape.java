package io.capipc.props.model;

import java.util.List;

/**
 * The fixed shape of a generated world: {@code tasks} tasks, each alone in a space of {@code slots}
 * slots; endpoints 0..endpoints-1 and one notification (object number {@code endpoints}); and the
 * original capabilities installed at boot.
 */
public record Shape(int tasks, int slots, int endpoints, List<Boot> boot) {
    /** Bytes in each task's send area, receive area and scratch buffer. */
    public static final int AREA = 64;

    /** An original capability: object {@code object} in slot {@code slot} of task {@code task}'s space. */
    public record Boot(int task, int slot, int object, int rights, long badge) {}

    /** The object number of the notification. */
    public int notification() {
        return endpoints;
    }
}
