package io.capipc.kernel;

/**
 * A task, as the boot API names it: its kernel-wide id and name, and which kernel made it. A handle
 * is a value, not the task: it gives no way into the kernel, only a name to pass back to the kernel,
 * a runtime or a view that made it.
 *
 * @param kernel the serial number of the kernel that made it
 * @param space the Space the task runs in
 */
public record TaskHandle(int kernel, int id, String name, SpaceHandle space) {
    @Override
    public String toString() {
        return name + "#" + id;
    }
}
