package io.capipc.system.file;

import io.capipc.servers.Cap;
import io.capipc.servers.IpcException;
import io.capipc.servers.IpcInterface;
import io.capipc.servers.Lease;
import io.capipc.servers.Lease.Access;
import io.capipc.servers.Op;
import java.lang.foreign.MemorySegment;

/**
 * The file server's protocol, in the spirit of a QNX resource manager: paths are relative to the
 * served directory (components separated by {@code /}, {@code .} alone for the directory itself), an
 * open file is a handle private to the client's badge. Small transfers copy through the caller's
 * leases; a large read asks for a {@link #window} and maps it.
 */
@IpcInterface(errors = FileService.Error.class)
public interface FileService {
    /** How a file is opened. */
    enum Mode {
        /** Read only; windows are read-only. */
        READ,
        /** Read and write an existing file; windows are writable. */
        READ_WRITE,
        /** As READ_WRITE, making the file (empty) if it does not exist. */
        CREATE
    }

    /** What the file server answers instead of a result. */
    enum Error {
        /** No such file or directory. */
        NOT_FOUND,
        /** Not a path: empty, absolute, an empty or {@code .} component, a NUL, or not UTF-8. */
        BAD_PATH,
        /** Longer than {@link PathGuard#MAX_PATH} bytes, or a component longer than {@link PathGuard#MAX_COMPONENT}. */
        PATH_TOO_LONG,
        /** A {@code ..} component, or a symbolic link that leads outside the served directory. */
        ESCAPES_ROOT,
        /** A directory where a file was expected. */
        NOT_A_FILE,
        /** A file where a directory was expected. */
        NOT_A_DIRECTORY,
        /** No open file has this handle (for this client). */
        BAD_HANDLE,
        /** The file was opened read-only. */
        NOT_WRITABLE,
        /** An offset beyond the end of the file, or a window that does not fit in it. */
        PAST_END,
        /** This client has as many files open as it may. */
        TOO_MANY_OPEN,
        /** The file is larger than the region cache may hold at once. */
        TOO_LARGE,
        /** The server's slots for windows are all taken, or the cache kept turning the region away. */
        BUSY,
        /** The operating system refused (permissions, disk). */
        IO_ERROR
    }

    /** Opens {@code path}; returns a handle for the other operations. */
    @Op(1)
    long open(@Lease(Access.READ) MemorySegment path, Mode mode) throws IpcException;

    /**
     * Copies bytes of the file from {@code offset} into {@code into}, as many as fit; returns how
     * many (0 at the end). An offset beyond the end is PAST_END.
     */
    @Op(2)
    long read(long handle, long offset, @Lease(Access.WRITE) MemorySegment into) throws IpcException;

    /** Writes {@code from} at {@code offset} (at most the file's size: no holes); returns the bytes written. */
    @Op(3)
    long write(long handle, long offset, @Lease(Access.READ) MemorySegment from) throws IpcException;

    /** The size in bytes of the file at {@code path}. */
    @Op(4)
    long stat(@Lease(Access.READ) MemorySegment path) throws IpcException;

    /**
     * The names in directory {@code path}, sorted, each followed by a newline, written into
     * {@code names} as far as they fit; returns the length of the whole listing.
     */
    @Op(5)
    long list(@Lease(Access.READ) MemorySegment path, @Lease(Access.WRITE) MemorySegment names) throws IpcException;

    /** Closes the handle; every window made from it is revoked. */
    @Op(6)
    void close(long handle) throws IpcException;

    /**
     * A window of {@code length} bytes from {@code offset} of the file's memory-mapped region: Map it
     * to read the bytes in place. Read-only unless the file was opened for writing. Revoked when the
     * handle is closed, when the client's badge disconnects, or when the region cache evicts the
     * file's region; map again after a new window.
     */
    @Op(7)
    @Cap
    int window(long handle, long offset, long length) throws IpcException;
}
