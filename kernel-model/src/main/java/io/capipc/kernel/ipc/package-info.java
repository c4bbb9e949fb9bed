/**
 * Message delivery: copying registers, transferring capabilities, and completing the syscalls a
 * delivery ends. Internal.
 *
 * <p>Not yet {@code @NullMarked}: null still means "none" in many fields here (an empty queue, no
 * holder, a Status not yet known while blocked); the annotations already in place mark them.
 */
package io.capipc.kernel.ipc;
