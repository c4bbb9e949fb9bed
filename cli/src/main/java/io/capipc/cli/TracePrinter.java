package io.capipc.cli;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.Tracer;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallName;
import java.io.PrintStream;

/**
 * Prints each transition as one readable line, in the order the kernel took them (the tracer is
 * called under the kernel's lock): who made which syscall with what, and what came of it. Tasks a
 * syscall woke are printed, indented, just after it.
 */
final class TracePrinter implements Tracer {
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final StringBuilder woken = new StringBuilder();
    private long lines;

    TracePrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void syscall(TaskHandle task, IpcBuffer ipc, SyscallName op, long a, long b, Outcome result) {
        String outcome = result.isBlocked() ? "blocked" : result + detail(ipc, op, result.status());
        print(task, op.specName() + args(op, a, b), outcome);
        out.print(woken);
        woken.setLength(0);
    }

    @Override
    public void completed(TaskHandle task, IpcBuffer ipc, Status status) {
        String got = status == Status.OK ? "  " + MessageInfo.toString(ipc.info()) + received(ipc) : "";
        lines++;
        woken.append(String.format("%14s%-10s %-34s -> %s%n", "", task.name(), "  ...woken", status + got));
    }

    long lines() {
        return lines;
    }

    private void print(TaskHandle task, String what, String outcome) {
        lines++;
        long micros = (System.nanoTime() - start) / 1_000;
        out.printf("%,10d us  %-10s %-34s -> %s%n", micros, task.name(), what, outcome);
    }

    private static String args(SyscallName op, long a, long b) {
        return switch (op) {
            case SEND, NB_SEND, CALL, REPLY_WAIT, FORWARD -> "(slot " + a + ", " + MessageInfo.toString(b) + ")";
            case REPLY -> "(" + MessageInfo.toString(b) + ")";
            case RECV, NB_RECV, DELETE, REVOKE, CANCEL_BADGED_SENDS, SIGNAL, WAIT, POLL, BIND_NOTIFICATION -> "(slot " + a + ")";
            case READ, WRITE -> "(offset " + a + ")";
            case COPY, MINT, MOVE, MUTATE -> "(slot " + a + " -> slot " + b + ")";
            case RESUME, CALLER_INFO_HANDLE -> "(handle 0x" + Long.toHexString(a) + ")";
            case REPLY_HANDLE, FORWARD_HANDLE -> "(handle 0x" + Long.toHexString(a) + ", " + MessageInfo.toString(b) + ")";
            case READ_HANDLE, WRITE_HANDLE -> "(handle 0x" + Long.toHexString(a) + ", offset " + b + ")";
            case SYSTEM_MESSAGES -> "(slot " + a + ", kinds 0b" + Long.toBinaryString(b) + ")";
            case BIND -> "(endpoint slot " + a + " -> port slot " + b + ")";
            case ASYNC_SEND, ASYNC_CALL -> "(port " + a + ", " + MessageInfo.toString(b) + ")";
            case PORT_INFO -> "(port " + a + ")";
            case MAP, UNMAP -> "(slot " + a + ")";
            case CARVE -> "(slot " + a + " -> slot " + b + ")";
            case RETYPE -> "(untyped slot " + a + " -> slot " + b + ")";
            case KILL, RESTART, TASK_INFO -> "(task slot " + a + ")";
            case CALLER_INFO, UNBIND_NOTIFICATION, EXIT, FAULT, SUSPEND -> "";
        };
    }

    private static String detail(IpcBuffer ipc, SyscallName op, Status result) {
        if (result != Status.OK) {
            return "";
        }
        return switch (op) {
            case RECV, NB_RECV, REPLY_WAIT, WAIT, POLL -> "  " + MessageInfo.toString(ipc.info()) + received(ipc);
            case READ, WRITE, READ_HANDLE, WRITE_HANDLE -> "  " + ipc.count() + " B";
            case SUSPEND -> "  handle=0x" + Long.toHexString(ipc.handle());
            case ASYNC_CALL -> "  tag=" + ipc.tag();
            case PORT_INFO -> "  lost=" + ipc.lost();
            case MAP -> "  " + ipc.mapping().byteSize() + " B" + (ipc.mapping().isReadOnly() ? " read-only" : "");
            case TASK_INFO -> "  state=" + ipc.mr(io.capipc.api.TaskInfo.STATE) + " restarts=" + ipc.mr(io.capipc.api.TaskInfo.RESTARTS)
                    + " ended=" + ipc.mr(io.capipc.api.TaskInfo.ENDED) + " fault=" + ipc.mr(io.capipc.api.TaskInfo.FAULT_KIND);
            case CALLER_INFO, CALLER_INFO_HANDLE -> "  badge=" + ipc.callerBadge() + " label=" + ipc.callerLabel()
                    + " send=" + ipc.callerSendSize() + " B recv=" + ipc.callerRecvSize() + " B";
            case SEND, NB_SEND, CALL, REPLY, FORWARD, SIGNAL, BIND_NOTIFICATION, UNBIND_NOTIFICATION, COPY, MINT,
                 MOVE, MUTATE, DELETE, REVOKE, CANCEL_BADGED_SENDS, EXIT, FAULT, RESUME, REPLY_HANDLE, FORWARD_HANDLE,
                 SYSTEM_MESSAGES, BIND, ASYNC_SEND, UNMAP, CARVE, RETYPE, KILL, RESTART -> "";
        };
    }

    private static String received(IpcBuffer ipc) {
        StringBuilder sb = new StringBuilder();
        if (ipc.badge() != 0) {
            sb.append(" badge=").append(ipc.badge());
        }
        if (ipc.length() > 0) {
            sb.append(" mr0=").append(ipc.mr(0));
        }
        return sb.toString();
    }
}
