/**
 * The budget property (docs/semantics.md §13, guarantee 16): its actions, its reference model of
 * untyped budgets, the objects made from them and the tasks waiting on those, the kernel side, and
 * the run that checks one against the other after every step.
 */
@NullMarked
package io.capipc.props.budgets;

import org.jspecify.annotations.NullMarked;
