/**
 * The transitions: one synchronized Dispatch method per syscall, decoding its arguments and running the
 * transition class that implements it. Internal.
 *
 * <p>Not yet {@code @NullMarked}: null still means "none" in many fields here (an empty queue, no
 * holder, a Status not yet known while blocked); the annotations already in place mark them.
 */
package io.capipc.kernel.syscall;
