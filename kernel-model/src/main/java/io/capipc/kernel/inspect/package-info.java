/**
 * Read-only views of a kernel's state (immutable records copied under the kernel's lock) and the
 * vocabulary of traces: syscall names and outcomes.
 */
@NullMarked
package io.capipc.kernel.inspect;

import org.jspecify.annotations.NullMarked;
