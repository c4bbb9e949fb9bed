/**
 * The public vocabulary of capipc: statuses, rights, the info word, the IPC buffer and the syscall
 * surface a task programs against. Everything here is allocation-free on the syscall path.
 */
@NullMarked
package io.capipc.api;

import org.jspecify.annotations.NullMarked;
