package io.capipc.servers.channel;

/**
 * The four ways capipc moves bytes between tasks (docs/semantics.md §12, docs/servers.md "Size
 * strategy"). The user picks one; {@link SizeStrategy} only proposes.
 */
public enum Transport {
    /** In the message registers of a Call: up to 512 bytes, nothing shared. */
    REGISTERS,
    /** Call with attached buffers, which the server reaches with Read and Write: copied by the kernel. */
    READ_WRITE,
    /** A region mapped, filled, moved to the server with MOVE and moved back: copies nothing. */
    MOVED_REGION,
    /** A channel (ChannelClient, ChannelServer): rings in a shared region, for sustained traffic. */
    CHANNEL
}
