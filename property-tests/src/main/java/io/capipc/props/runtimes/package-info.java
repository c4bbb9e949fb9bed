/**
 * "Both run the same transition code" (docs/semantics.md §10) as a property: task bodies run on the
 * {@link io.capipc.kernel.SimulatedRuntime}, and the order in which their transitions happened is
 * replayed on the {@link io.capipc.kernel.DeterministicDriver}; every transition and the final state must agree.
 */
@NullMarked
package io.capipc.props.runtimes;

import org.jspecify.annotations.NullMarked;
