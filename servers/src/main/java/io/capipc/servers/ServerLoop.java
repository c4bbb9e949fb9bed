package io.capipc.servers;

import io.capipc.api.Status;
import io.capipc.api.Syscalls;

/**
 * The server fast path (docs/semantics.md §5.1): Recv once, then answer each message and wait for the next
 * with one ReplyWait. A Reply to a Send has no context to answer and is a no-op, so one loop serves
 * Sends and Calls alike.
 */
public final class ServerLoop {
    /** Returned by a {@link Handler} to leave the loop; not a sendable info word. */
    public static final long STOP = -1L;

    private ServerLoop() {}

    /**
     * Serves {@code endpoint} until the handler returns {@link #STOP}.
     *
     * @return OK after STOP, or the first status that was not OK (the loop cannot go on)
     */
    public static Status serve(Syscalls sys, int endpoint, Handler handler) {
        Status s = sys.recv(endpoint);
        while (s == Status.OK) {
            long reply = handler.handle(sys);
            if (reply == STOP) {
                return Status.OK;
            }
            s = sys.replyWait(endpoint, reply);
        }
        return s;
    }
}
