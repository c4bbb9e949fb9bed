/**
 * The supervisor: holds its children's Task capabilities, hears their faults on its fault endpoint,
 * and restarts them by an Erlang/OTP policy; see {@link io.capipc.system.supervisor.Supervisor}.
 */
@NullMarked
package io.capipc.system.supervisor;

import org.jspecify.annotations.NullMarked;
