package io.capipc.kernel.object;

import io.capipc.cap.KernelObject;
import io.capipc.cap.ObjectType;

/**
 * A notification: a 64-bit word, a pending flag and waiters (SPEC section 1; seL4's notification).
 *
 * <p>Only the object exists so far: it can be created and named by capabilities, and every endpoint
 * syscall refuses it with INVALID_CAPABILITY. Signal, Wait, Poll and binding come with the
 * notifications issue.
 */
public final class Notification extends KernelObject {

    public Notification(int id) {
        super(id);
    }

    @Override
    public ObjectType type() {
        return ObjectType.NOTIFICATION;
    }

    @Override
    public String toString() {
        return "notification#" + id();
    }
}
