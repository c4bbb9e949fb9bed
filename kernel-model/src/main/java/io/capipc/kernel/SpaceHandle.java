package io.capipc.kernel;

/**
 * A Space, as the boot API names it: its kernel-wide id and name, and which kernel made it. A value,
 * not the Space.
 *
 * @param kernel the serial number of the kernel that made it
 */
public record SpaceHandle(int kernel, int id, String name) {
    @Override
    public String toString() {
        return name + "#" + id;
    }
}
