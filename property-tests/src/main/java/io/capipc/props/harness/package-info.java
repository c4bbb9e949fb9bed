/**
 * The property harness: generator, runner, shrinker, the world that drives a kernel beside the model,
 * and the checks, one per guarantee.
 *
 * <p>Not yet {@code @NullMarked}: checks return null for "no violation" and the model uses null for
 * "none" throughout.
 */
package io.capipc.props.harness;
