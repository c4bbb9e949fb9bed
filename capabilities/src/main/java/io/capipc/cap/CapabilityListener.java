package io.capipc.cap;

/**
 * What the kernel must do when capabilities go or move: the small interface that lets revocation
 * cancel IPC without this module depending on the kernel (seL4 has a cycle there). Called by
 * {@link Derivation} inside the transition; implementations must not allocate.
 */
public interface CapabilityListener {
    /** {@code slot} is about to be emptied: release tasks queued through it. */
    void deleting(Slot slot);

    /** The capability in {@code from} now lives in {@code to}: follow it. */
    void moved(Slot from, Slot to);

    /** The last capability to {@code object} is gone: release everything blocked on it. */
    void destroyed(KernelObject object);
}
