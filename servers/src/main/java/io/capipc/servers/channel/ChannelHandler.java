package io.capipc.servers.channel;

import java.lang.foreign.MemorySegment;

/**
 * Serves one request of a channel (docs/servers.md "Channels"). The request is {@code length} bytes
 * of {@code data} from {@code at}; the response is written in place, over the request, and its
 * length returned.
 *
 * <p>In {@link ChannelServer.Data#SHARED} mode {@code data} is the client's memory: the client can
 * change it while the handler reads (fbufs' volatile buffers), so read each value once into a local
 * and check it there. In {@link ChannelServer.Data#COPIED} mode it is the server's own copy, taken once.
 * Either way {@code [at, at + length)} has been checked to lie inside the data area.
 */
@FunctionalInterface
public interface ChannelHandler {
    /**
     * @param client the channel's number (0..maxChannels-1), as the server numbered it at setup
     * @param data the memory the request is in (the client's region, or the server's copy)
     * @param at where the request starts in {@code data}
     * @param length the request's length in bytes
     * @return the response's length, 0..length; anything else (or a throw) answers
     *     {@link ChannelLayout#FAILED}
     */
    int serve(int client, MemorySegment data, long at, int length);
}
