package io.capipc.system.file;

import java.nio.file.Path;

/**
 * Where the file server gets a memory-mapped region over a file: the one privilege it holds beyond
 * its capabilities, as a driver in a microkernel system is given its device's memory by the root
 * task. The boot code implements it with the kernel's boot API ({@code Kernel.createRegion(Path)}
 * and {@code install}), putting an original region capability with all rights into the server's
 * empty {@code slot}. A task cannot make a file region with its syscalls; this is how one is made.
 */
@FunctionalInterface
public interface RegionSource {
    /**
     * Installs a region over {@code file} (a real path inside the served directory) in {@code slot}
     * of the file server's Space; returns its size in bytes, or -1 if it could not be made.
     */
    long install(Path file, int slot);
}
