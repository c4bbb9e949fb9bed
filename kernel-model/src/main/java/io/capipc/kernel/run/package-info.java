/**
 * What runtimes share: the port a runtime gets from the kernel, blocking and waking (the Parker's
 * lock-free handshake), and the Syscalls a task body holds. Internal.
 *
 * <p>Not yet {@code @NullMarked}: null still means "none" in many fields here (an empty queue, no
 * holder, a Status not yet known while blocked); the annotations already in place mark them.
 */
package io.capipc.kernel.run;
