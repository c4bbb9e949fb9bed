package io.capipc.kernel.inspect;

/**
 * One edge of the blocked-on graph (docs/semantics.md §11): task {@code waiter} waits, through kernel
 * object {@code object} (-1 for a reply), for task {@code unblocker}, which could unblock it. Ids are
 * the kernel's, as in {@link KernelView}.
 */
public record WaitEdge(int waiter, int object, int unblocker) {}
