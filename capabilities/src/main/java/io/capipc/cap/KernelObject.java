package io.capipc.cap;

/**
 * Anything a capability can name. The capabilities module knows objects only through this, so that
 * it does not depend on the kernel model that implements them.
 */
public interface KernelObject {
    /** The object's type, fixed at creation. */
    ObjectType type();

    /** A kernel-wide number, unique among objects, for views and traces. */
    int id();
}
