/** A key-value store: byte keys and values travel as leases of the client's memory. */
@NullMarked
package io.capipc.examples.kv;

import org.jspecify.annotations.NullMarked;
