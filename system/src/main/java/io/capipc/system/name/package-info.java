/**
 * The name server: names bound to capabilities, looked up by clients who hold the right, with a
 * badge per client; see {@link io.capipc.system.name.NameServer}.
 */
@NullMarked
package io.capipc.system.name;

import org.jspecify.annotations.NullMarked;
