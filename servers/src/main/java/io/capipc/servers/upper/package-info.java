/**
 * The upper-casing server of the demo and its client stub.
 */
@NullMarked
package io.capipc.servers.upper;

import org.jspecify.annotations.NullMarked;
