package io.capipc.kernel.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One syscall of {@link io.capipc.kernel.inspect.SyscallClass#NOTIFICATION}: Signal, Wait, Poll, BindNotification and UnbindNotification. */
@Name("capipc.Notification")
@Label("Notification Syscall")
@Description("Signal, Wait, Poll, BindNotification and UnbindNotification")
final class NotificationEvent extends SyscallEvent {}
