/**
 * The kernel's JDK Flight Recorder events: one type per syscall class, off by default, reported by
 * the dispatch point (docs/observing.md, "Flight Recorder events"). Not exported: users enable the
 * events by name ({@link io.capipc.kernel.inspect.SyscallClass#eventName()}).
 */
@NullMarked
package io.capipc.kernel.jfr;

import org.jspecify.annotations.NullMarked;
