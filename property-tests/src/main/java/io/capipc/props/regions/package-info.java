/**
 * The region property (docs/semantics.md §12.1, guarantees 14 and 15): its actions, its reference
 * model of regions, windows, mappings and MOVE, the kernel side, and the run that checks one against
 * the other after every step.
 */
@NullMarked
package io.capipc.props.regions;

import org.jspecify.annotations.NullMarked;
