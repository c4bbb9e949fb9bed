/**
 * Async ports (docs/semantics.md §5.5) as a stateful property with its own reference model, in the
 * way of the budget and region properties: Bind, AsyncSend, AsyncCall, a Call through a port, and
 * the faults that lose messages, on the kernel and on {@link io.capipc.props.ports.AsyncRules}
 * side by side, with guarantees 4, 6 and 7 checked over them.
 */
@NullMarked
package io.capipc.props.ports;

import org.jspecify.annotations.NullMarked;
