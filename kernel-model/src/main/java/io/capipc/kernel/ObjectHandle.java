package io.capipc.kernel;

import io.capipc.api.ObjectType;

/**
 * A kernel object a capability can name (an endpoint or a notification), as the boot API names it:
 * its kernel-wide id, its type, and which kernel made it. A value, not the object: it grants nothing
 * until {@link Kernel#install} puts a capability to it in a slot.
 *
 * @param kernel the serial number of the kernel that made it
 */
public record ObjectHandle(int kernel, int id, ObjectType type) {
    @Override
    public String toString() {
        return type.name().toLowerCase(java.util.Locale.ROOT) + "#" + id;
    }
}
