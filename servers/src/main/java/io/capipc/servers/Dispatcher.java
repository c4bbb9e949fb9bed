package io.capipc.servers;

import io.capipc.api.Syscalls;

/**
 * Decodes one message of an interface and calls the server's method for it: what the interface
 * compiler generates ({@code NameDispatcher}) and a {@link Server} runs. The message is in
 * {@code sys.ipc()}, a Call (to answer) or a Send (a {@link OneWay} operation).
 */
public interface Dispatcher {
    /**
     * Handles the message: decodes the registers, calls the method, encodes the result.
     *
     * @return the reply's info word (its registers set); ignored for a Send or a deferred call
     * @throws IpcException to answer with an error: the interface's, or a {@link ProtocolError}
     *     (an unknown label, a bad request, a missing capability)
     * @throws RuntimeException what the server's method threw; the {@link Server} answers
     *     HANDLER_FAILED and applies its {@link Server.Builder#onHandlerException policy}
     */
    long dispatch(Syscalls sys, Caller caller) throws IpcException;

    /** The interface's declared errors (an enum class), which the server may answer with. */
    Class<? extends Enum<?>> errors();

    /** The most capabilities one operation receives: the server sets that many receive slots. */
    int capabilitiesIn();

    /** The interface's name, for logs. */
    String interfaceName();
}
