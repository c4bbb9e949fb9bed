/**
 * The kernel objects, one per class: tasks with their registers and caller buffers, spaces, endpoints,
 * notifications, caller contexts and reply pool entries. Internal.
 *
 * <p>Not yet {@code @NullMarked}: null still means "none" in many fields here (an empty queue, no
 * holder, a Status not yet known while blocked); the annotations already in place mark them.
 */
package io.capipc.kernel.object;
