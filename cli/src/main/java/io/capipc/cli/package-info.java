/**
 * The {@code ./capipc} launcher: the demo system, the deadlock demo and the trace printer.
 */
@NullMarked
package io.capipc.cli;

import org.jspecify.annotations.NullMarked;
