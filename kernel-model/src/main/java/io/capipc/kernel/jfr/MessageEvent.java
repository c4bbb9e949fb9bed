package io.capipc.kernel.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One syscall of {@link io.capipc.kernel.inspect.SyscallClass#MESSAGE}: Send, Call, Recv, Reply, ReplyWait, Forward, their buffers (Read, Write, CallerInfo) and async ports (Bind, AsyncSend, AsyncCall, PortInfo). */
@Name("capipc.Message")
@Label("Message Syscall")
@Description("Send, Call, Recv, Reply, ReplyWait, Forward, their buffers (Read, Write, CallerInfo) and async ports (Bind, AsyncSend, AsyncCall, PortInfo)")
final class MessageEvent extends SyscallEvent {}
