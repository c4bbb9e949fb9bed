package io.capipc.kernel.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One syscall of {@link io.capipc.kernel.inspect.SyscallClass#CAPABILITY}: Copy, Mint, Move, Mutate, Delete, Revoke, CancelBadgedSends, Retype, and the regions' Map, Unmap and Carve. */
@Name("capipc.Capability")
@Label("Capability Syscall")
@Description("Copy, Mint, Move, Mutate, Delete, Revoke, CancelBadgedSends, Retype, and the regions' Map, Unmap and Carve")
final class CapabilityEvent extends SyscallEvent {}
