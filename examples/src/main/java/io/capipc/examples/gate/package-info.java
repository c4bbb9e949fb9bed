/** A gate: calls to pass it are deferred until an event (a notification bit) opens it. */
@NullMarked
package io.capipc.examples.gate;

import org.jspecify.annotations.NullMarked;
