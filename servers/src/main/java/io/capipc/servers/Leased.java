package io.capipc.servers;

import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import java.lang.foreign.MemorySegment;
import org.jspecify.annotations.Nullable;

/**
 * The server's side of a {@link Lease}: the caller's bytes [base, base + size) of its send buffer
 * (READ) or receive buffer (WRITE), reached only with Read and Write of the current caller context
 * (or, once the call was deferred, of its token, {@link #deferred}). Offsets are the lease's own,
 * from 0; nothing outside the lease is reachable, whatever the sizes the client claimed (the kernel
 * bounds the copy by the buffers the client really attached).
 *
 * <p>The dispatcher reuses one {@code Leased} per parameter for every call; one that a deferred call
 * needs later is obtained with {@link #deferred}.
 */
public final class Leased {
    private final Lease.Access access;
    private @Nullable Syscalls sys;
    private long handle;
    private long base;
    private long size;

    /** For generated dispatchers: a lease of {@code access}, bound to nothing yet. */
    public Leased(Lease.Access access) {
        this.access = access;
    }

    /** For generated dispatchers: binds this lease to bytes [base, base + size) of the current call. */
    public void bind(Syscalls sys, long base, long size) {
        this.sys = sys;
        this.handle = 0;
        this.base = base;
        this.size = size;
    }

    /** What the server may do with these bytes. */
    public Lease.Access access() {
        return access;
    }

    /** The lease's size in bytes, as the client attached it. */
    public long size() {
        return size;
    }

    /**
     * Copies bytes from offset {@code offset} of a READ lease into {@code dst}, as many as fit in both;
     * the count is in {@code sys.ipc().count()}. RANGE for an offset outside 0..size;
     * INVALID_ARGUMENT on a WRITE lease; otherwise the status of Read.
     */
    public Status read(long offset, MemorySegment dst) {
        if (access != Lease.Access.READ) {
            return Status.INVALID_ARGUMENT;
        }
        if (offset < 0 || offset > size) {
            return Status.RANGE;
        }
        MemorySegment d = dst.byteSize() <= size - offset ? dst : dst.asSlice(0, size - offset);
        Syscalls s = bound();
        return handle == 0 ? s.read(base + offset, d) : s.read(handle, base + offset, d);
    }

    /**
     * Copies {@code src} into a WRITE lease at {@code offset}, as much as fits; the count is in
     * {@code sys.ipc().count()}. RANGE for an offset outside 0..size; INVALID_ARGUMENT on a READ lease.
     */
    public Status write(long offset, MemorySegment src) {
        if (access != Lease.Access.WRITE) {
            return Status.INVALID_ARGUMENT;
        }
        if (offset < 0 || offset > size) {
            return Status.RANGE;
        }
        MemorySegment s = src.byteSize() <= size - offset ? src : src.asSlice(0, size - offset);
        Syscalls b = bound();
        return handle == 0 ? b.write(base + offset, s) : b.write(handle, base + offset, s);
    }

    /** Bytes the last {@link #read} or {@link #write} copied. */
    public long count() {
        return bound().ipc().count();
    }

    private Syscalls bound() {
        Syscalls s = sys;
        if (s == null) {
            throw new IllegalStateException("this lease was never bound to a call");
        }
        return s;
    }

    /**
     * A copy of this lease that reaches the same bytes through the deferred call's {@code token}
     * ({@link Caller#defer}), for use after the handler returned; allocates one object.
     */
    public Leased deferred(long token) {
        Leased l = new Leased(access);
        l.sys = sys;
        l.base = base;
        l.size = size;
        l.handle = token;
        return l;
    }
}
