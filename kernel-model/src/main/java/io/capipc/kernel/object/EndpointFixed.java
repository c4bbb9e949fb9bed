package io.capipc.kernel.object;

import io.capipc.cap.KernelObject;

/**
 * What an {@link Endpoint} holds from creation to the end, kept apart from its queue state (see
 * {@link EndpointPad}): a transition reaches the queue from its own cache, and only the queue's own
 * lines move between cores.
 */
abstract class EndpointFixed extends KernelObject {
    final TaskQueue waiting = new TaskQueue();
    final BadgeTable badges;

    EndpointFixed(int id, int limit, int preallocated) {
        super(id);
        this.badges = new BadgeTable(limit, preallocated);
    }
}

/** Two cache lines between an endpoint's fixed references and its queue state. */
abstract class EndpointPad extends EndpointFixed {
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;

    EndpointPad(int id, int limit, int preallocated) {
        super(id, limit, preallocated);
    }
}
