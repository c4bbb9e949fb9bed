/**
 * The library for writing servers on capipc: a {@link io.capipc.servers.ServerLoop} over the ReplyWait
 * fast path and the {@link io.capipc.servers.Handler} a server implements; the servers built with it
 * live in subpackages.
 */
@NullMarked
package io.capipc.servers;

import org.jspecify.annotations.NullMarked;
