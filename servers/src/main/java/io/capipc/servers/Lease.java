package io.capipc.servers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@code MemorySegment} parameter lent to the server for the duration of the call (Hubris's
 * leases): the segment is attached to the Call as a caller buffer, and the server reaches it only
 * through a {@link Leased}, with Read ({@link Access#READ}) or Write ({@link Access#WRITE}), never
 * beyond its bytes. Up to 8 of each kind per operation.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Lease {
    /** What the server may do with the caller's bytes. */
    Access value();

    /** What a lease allows the server. */
    enum Access {
        /** The server may read the bytes (the segment goes in the send buffer). */
        READ,
        /** The server may write the bytes (the segment goes in the receive buffer, and must be writable). */
        WRITE
    }
}
