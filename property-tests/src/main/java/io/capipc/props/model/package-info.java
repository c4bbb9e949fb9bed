/**
 * The reference model: the kernel's semantics as plain immutable-ish Java, small enough to read
 * beside docs/semantics.md.
 *
 * <p>Not yet {@code @NullMarked}: checks return null for "no violation" and the model uses null for
 * "none" throughout.
 */
package io.capipc.props.model;
