package io.capipc.kernel.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One syscall of {@link io.capipc.kernel.inspect.SyscallClass#CONTEXT}: Suspend and Resume, the by-handle Reply, Forward, Read, Write and CallerInfo, and SystemMessages. */
@Name("capipc.Context")
@Label("Context Syscall")
@Description("Suspend and Resume, the by-handle Reply, Forward, Read, Write and CallerInfo, and SystemMessages")
final class ContextEvent extends SyscallEvent {}
