package io.capipc.kernel.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One syscall of {@link io.capipc.kernel.inspect.SyscallClass#FAULT}: Fault and Exit (a task's body threw or returned), Kill, Restart and TaskInfo. */
@Name("capipc.Fault")
@Label("Fault and Lifecycle Syscall")
@Description("Fault and Exit (a task's body threw or returned), Kill, Restart and TaskInfo")
final class FaultEvent extends SyscallEvent {}
