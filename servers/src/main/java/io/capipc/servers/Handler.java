package io.capipc.servers;

import io.capipc.api.Syscalls;

/**
 * What a server does with one message. The message is in {@code sys.ipc()}; for a Call the server
 * holds the caller context, so it may Read, Write and CallerInfo before it answers.
 */
@FunctionalInterface
public interface Handler {
    /**
     * Handles the message just received.
     *
     * @return the info word to reply with (ignored for a Send, which has nobody to answer), or
     *     {@link ServerLoop#STOP} to answer nothing more and leave the loop
     */
    long handle(Syscalls sys);
}
