package io.capipc.servers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An operation that may also be called without waiting, through an async port (docs/semantics.md
 * §5.5). The method itself stays a synchronous Call; the generated client adds, for a method
 * {@code name}:
 *
 * <ul>
 *   <li>{@code long nameAsync(params)}: one AsyncCall through the port set with the client's
 *       {@code port(slot)}; returns at once with the call's <b>tag</b>, or throws {@link IpcException}
 *       if the port refused it (WOULD_BLOCK when every entry is taken, REVOKED...);
 *   <li>{@code nameResult()}: once a Recv on the port's reply endpoint delivered the answer whose
 *       badge is that tag, decodes it from the IPC buffer as the method would: the result, the
 *       server's declared error, or the transport error the kernel sent instead (PEER_DIED,
 *       NO_REPLY, REVOKED), each as for a synchronous call.
 * </ul>
 *
 * <p>Nothing changes on the server: it receives a Call (with the ASYNC flag) and answers it, now or
 * deferred. An AsyncCall attaches no buffers, so an async operation takes no {@link Lease}; its
 * answer is received by whatever Recv takes it, so it returns no {@link Cap}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Async {}
