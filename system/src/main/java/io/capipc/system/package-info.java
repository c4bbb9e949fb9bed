/**
 * The boot code of the whole system ({@link io.capipc.system.SystemImage}) and what its servers
 * share ({@link io.capipc.system.SlotPool}).
 */
@NullMarked
package io.capipc.system;

import org.jspecify.annotations.NullMarked;
