package io.capipc.system.name;

import io.capipc.servers.Cap;
import io.capipc.servers.IpcException;
import io.capipc.servers.IpcInterface;
import io.capipc.servers.Lease;
import io.capipc.servers.Lease.Access;
import io.capipc.servers.Op;
import java.lang.foreign.MemorySegment;

/**
 * The name server's protocol (QNX's name_attach and name_open, Fuchsia's capability routing reduced
 * to a flat namespace): a client with the REGISTER right binds a name to a capability; a client with
 * the LOOKUP right receives a capability to what the name names. Who may do what is in the badge of
 * the client's capability to the name server ({@link NameRights}), which the kernel makes unforgeable.
 *
 * <p>A name is 1..{@value #MAX_NAME} bytes of {@code [A-Za-z0-9._/-]}.
 */
@IpcInterface(errors = Names.Error.class)
public interface Names {
    /** The longest name, in bytes. */
    int MAX_NAME = 64;
    /** The word a watch notification is signalled with: the name was registered, replaced or removed. */
    long CHANGED = 1;

    /** What the name server answers instead of a result. */
    enum Error {
        /** No such name. */
        NOT_FOUND,
        /** The caller's badge lacks the right the operation needs. */
        NOT_PERMITTED,
        /** Longer than {@link #MAX_NAME}, or empty. */
        BAD_NAME,
        /** Another client registered this name. */
        NAME_TAKEN,
        /** The server's slots are all taken. */
        FULL,
        /** The caller donated no untyped, or what it donated is spent. */
        NO_BUDGET,
        /** The caller already donated an untyped. */
        ALREADY_DONATED,
        /** The name was registered with a per-client badge, but its capability is badged already. */
        NOT_MINTABLE
    }

    /**
     * Binds {@code name} to {@code capability} (needs REGISTER). The caller's own earlier binding of
     * the name is replaced, and every capability looked up through it revoked. With
     * {@code perClientBadge}, each lookup receives the capability minted with the looker's own badge
     * (so an unbadged endpoint capability tells its server who calls); otherwise a plain copy.
     */
    @Op(1)
    void register(@Lease(Access.READ) MemorySegment name, @Cap int capability, boolean perClientBadge) throws IpcException;

    /** A capability to what {@code name} names (needs LOOKUP); revoked when the name is removed or replaced. */
    @Op(2)
    @Cap
    int lookup(@Lease(Access.READ) MemorySegment name) throws IpcException;

    /** Removes the caller's binding of {@code name} (needs REGISTER), revoking every lookup; false if it had none. */
    @Op(3)
    boolean unregister(@Lease(Access.READ) MemorySegment name) throws IpcException;

    /**
     * Gives the server an untyped (needs WRITE on it) from which it makes this client's objects: the
     * server spends nothing of its own on a client. Once per client; returned when its badge disconnects.
     */
    @Op(4)
    void donate(@Cap int untyped) throws IpcException;

    /**
     * A notification, retyped from the caller's donated untyped, that the server signals with
     * {@link #CHANGED} whenever {@code name} is registered (at once if it is now), replaced or removed
     * (needs LOOKUP): a client waiting for a server to come back waits on it, then looks up.
     */
    @Op(5)
    @Cap
    int watch(@Lease(Access.READ) MemorySegment name) throws IpcException;
}
