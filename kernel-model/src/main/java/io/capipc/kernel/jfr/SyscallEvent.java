package io.capipc.kernel.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;

/**
 * What every capipc Flight Recorder event records: one syscall by one task. The five subclasses are
 * the syscall classes ({@link io.capipc.kernel.inspect.SyscallClass}); each is off by default ({@code @Enabled(false)}), so a
 * recording made with the JDK's own settings records none, and the kernel does not even build one.
 *
 * <p>A syscall that ends at once is an instant event (its duration is 0: the kernel reports it after
 * the transition, under its lock). A syscall that leaves its task blocked is committed when it
 * completes, so its duration is the time the task was blocked and its outcome is the completion's
 * status. No stack trace: the syscall names the place.
 */
@Category({"capipc", "Syscalls"})
@Enabled(false)
@StackTrace(false)
abstract class SyscallEvent extends Event {
    @Label("Task")
    @Description("The task's name, as given at boot")
    String task = "";

    @Label("Task Id")
    @Description("The task's id in its kernel")
    int taskId;

    @Label("Syscall")
    @Description("The syscall, by the name docs/semantics.md uses")
    String syscall = "";

    @Label("First Argument")
    @Description("A slot, an offset, a handle or a fault kind, as the syscall reads it; else 0")
    long a;

    @Label("Second Argument")
    @Description("An info word, a slot, an offset or a fault hash, as the syscall reads it; else 0")
    long b;

    @Label("Blocked")
    @Description("Whether the task was blocked: the event then spans the blocked interval")
    boolean blocked;

    @Label("Outcome")
    @Description("The status the syscall returned or completed with (a Status name), or BLOCKED if it never completed")
    String outcome = "";
}
