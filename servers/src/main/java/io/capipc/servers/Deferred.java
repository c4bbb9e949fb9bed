package io.capipc.servers;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;

/**
 * Answering a deferred call by its token ({@link Caller#defer}), from any later point of the server
 * task (or another task of its Space). The generated dispatcher's {@code reply<Operation>} methods
 * answer with a result; these answer without one. A token is single-use: the kernel consumes it with
 * the answer, and refuses a second use (INVALID_CAPABILITY) rather than reach a later caller.
 */
public final class Deferred {
    private Deferred() {}

    /** Answers with the declared or protocol {@code error}; OK (and dropped) if the caller gave up. */
    public static Status fail(Syscalls sys, long token, Enum<?> error) {
        return sys.reply(token, Wire.errorReply(error));
    }

    /** Answers a {@code void} operation; OK (and dropped) if the caller gave up. */
    public static Status done(Syscalls sys, long token) {
        return sys.reply(token, MessageInfo.of(0, 0));
    }
}
