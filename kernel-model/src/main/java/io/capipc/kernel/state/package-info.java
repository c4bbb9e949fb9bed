/**
 * The kernel's object registry and what reads all of it: inspection views, the invariant checker and
 * the blocked-on graph. Internal.
 *
 * <p>Not yet {@code @NullMarked}: null still means "none" in many fields here (an empty queue, no
 * holder, a Status not yet known while blocked); the annotations already in place mark them.
 */
package io.capipc.kernel.state;
