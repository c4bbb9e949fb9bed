package io.capipc.servers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as an IPC interface: capipc's interface compiler (the annotation processor of
 * {@code capipc-servers-processor}) generates, beside it, a client stub ({@code NameClient}, which
 * implements it), a server interface ({@code NameServer}) and a dispatcher ({@code NameDispatcher})
 * for a {@link Server}. docs/servers.md describes the rules; in short:
 *
 * <ul>
 *   <li>every method has an {@link Op} with its operation number (the message label), unique in the
 *       interface, and declares {@code throws IpcException};
 *   <li>parameters are primitives, {@code boolean}s and enums (one message register each), {@link
 *       Lease}d {@code MemorySegment}s (one register each, for the size) and {@link Cap} {@code int}s
 *       (a capability slot, no register); at most 64 registers;
 *   <li>a result is {@code void}, one primitive, {@code boolean} or enum, or a {@link Cap} {@code int};
 *   <li>{@link OneWay} methods are sent (Send), not called, and return {@code void}.
 * </ul>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface IpcInterface {
    /**
     * The interface's errors: an enum whose constants a server may answer with, each carried in the
     * reply's label ({@link Wire#errorLabel}); {@link NoErrors} when it declares none.
     */
    Class<? extends Enum<?>> errors() default NoErrors.class;
}
