package io.capipc.kernel.object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes behind a region and its windows (docs/semantics.md §12.1): a file, either one the boot
 * code named or an anonymous one (made in /dev/shm where it exists, and unlinked at once), held open
 * by one channel. Every mapping maps its own range of the file into its own shared arena, so closing
 * that arena ends exactly that mapping, in every thread, and the operating system keeps the bytes
 * until the last mapping of them is gone: a view can never reach freed memory. The channel is closed,
 * freeing an anonymous file's bytes, once no region or window over it is left ({@link #spanGone()}).
 */
public final class RegionMemory {
    private final FileChannel channel;
    private final long size;
    private final boolean anonymous;
    private int spans;
    private int frees;
    /** The id of the first region made over these bytes, which names them in views. */
    private int root = -1;

    private RegionMemory(FileChannel channel, long size, boolean anonymous) {
        this.channel = channel;
        this.size = size;
        this.anonymous = anonymous;
    }

    /** Fresh zeroed bytes, backed by an anonymous file. */
    public static RegionMemory anonymous(long bytes) {
        try {
            Path dir = Path.of("/dev/shm");
            Path file = Files.isDirectory(dir) && Files.isWritable(dir)
                    ? Files.createTempFile(dir, "capipc-region", ".bin") : Files.createTempFile("capipc-region", ".bin");
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Files.delete(file);
            if (bytes > 0) {
                ch.write(ByteBuffer.allocate(1), bytes - 1); // sets the size; the file is sparse
            }
            return new RegionMemory(ch, bytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a region of " + bytes + " bytes", e);
        }
    }

    /** The bytes of an existing file, which stays where it is. */
    public static RegionMemory file(Path file) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new RegionMemory(ch, ch.size(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file, e);
        }
    }

    public long size() {
        return size;
    }

    /** True for bytes of the kernel's own, freed with the last region over them. */
    public boolean isAnonymous() {
        return anonymous;
    }

    /**
     * Kernel: maps {@code length} bytes from {@code offset} into {@code arena}, read-only unless
     * {@code writable}. Allocates: the arena's mapping is the view Map returns.
     */
    MemorySegment map(long offset, long length, boolean writable, Arena arena) {
        try {
            return channel.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, offset, length,
                    arena);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + length + " bytes of a region", e);
        }
    }

    /** Kernel: region {@code id}, a region or window over these bytes, was made. */
    void spanMade(int id) {
        if (frees > 0) {
            throw new AssertionError("a region made over freed memory");
        }
        if (root < 0) {
            root = id;
        }
        spans++;
    }

    /** InjectedBug WINDOW_NOT_COUNTED: the span just made is not counted. */
    public void forgetSpan() {
        spans--;
    }

    /** The id of the first region made over these bytes. */
    public int root() {
        return root;
    }

    /** Kernel: a region or window over these bytes was destroyed; the last one frees them. */
    void spanGone() {
        if (spans <= 0) {
            throw new AssertionError("region memory freed twice");
        }
        if (--spans == 0) {
            try {
                channel.close();
                frees++;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot free a region", e);
            }
        }
    }

    /** How many times the bytes were freed: 0 while a region over them lives, then exactly 1. */
    public int frees() {
        return frees;
    }
}
