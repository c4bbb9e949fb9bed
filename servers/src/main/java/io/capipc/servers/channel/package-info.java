/**
 * Shared-memory channels (docs/semantics.md §12.2, docs/servers.md "Channels"): a request ring and a
 * response ring of fixed-size descriptors in one region, with notifications as doorbells rung only
 * when the peer said it is waiting; a server that reads a hostile client's ring safely; and the size
 * strategy, the explicit choice between registers, Read/Write, a moved region and a channel.
 */
@NullMarked
package io.capipc.servers.channel;

import org.jspecify.annotations.NullMarked;
