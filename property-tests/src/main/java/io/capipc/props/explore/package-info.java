/**
 * The exhaustive interleaving explorer (issue 22): every order in which the tasks of a small
 * {@link io.capipc.props.explore.Scenario} can take their syscalls, with every place its faults can
 * strike, run on the real kernel under the deterministic driver beside the reference model, with
 * every guarantee's check, refinement and the kernel's invariants asked at every state. States equal
 * in the model and in each task's progress are explored once. The search is breadth-first, so the
 * first violation found has a shortest trace.
 */
@NullMarked
package io.capipc.props.explore;

import org.jspecify.annotations.NullMarked;
