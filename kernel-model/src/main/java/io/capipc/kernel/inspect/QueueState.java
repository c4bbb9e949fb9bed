package io.capipc.kernel.inspect;

/**
 * What an endpoint's queue holds (docs/semantics.md guarantee 9: never senders and receivers at once). Read from
 * the head of the queue, not stored.
 */
public enum QueueState {
    /** Nobody waits. */
    IDLE,
    /** Tasks blocked in Send or Call, oldest first. */
    SENDERS,
    /** Tasks blocked in Recv or ReplyWait, oldest first. */
    RECEIVERS
}
