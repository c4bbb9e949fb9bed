package io.capipc.servers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An {@code int} that names a capability slot, transferred with the message instead of carried in a
 * register. On a parameter: the client's slot whose capability is sent (the endpoint capability
 * needs GRANT); the server's method is given the slot it arrived in (one of the server's receive
 * slots, {@link Server.Builder#receiveSlots}). On a method (its result): the server returns the slot
 * of the capability to send back, and the client's stub returns the slot it arrived in (its receive
 * slot, {@code NameClient.receiveSlot}). A capability that did not arrive is an error
 * ({@link ProtocolError#MISSING_CAPABILITY}), never a silent slot of -1. Java has no value types yet,
 * so a slot is an annotated {@code int}, which keeps these calls allocation-free.
 *
 * <p>By default the receiver gets a child of the sender's capability and the sender keeps its own.
 * With {@link #move()} the capability moves (docs/semantics.md §12.1): it leaves the sender's slot,
 * and any mapping the sender made through it ends, and arrives keeping its place in the derivation
 * tree; a region handed over so can no longer be touched by the one who gave it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.PARAMETER, ElementType.METHOD})
public @interface Cap {
    /** True to transfer with MOVE instead of as a copy. */
    boolean move() default false;
}
