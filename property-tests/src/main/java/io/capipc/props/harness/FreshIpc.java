package io.capipc.props.harness;

import org.jspecify.annotations.Nullable;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.TaskHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an IPC buffer is as a new task's is (docs/semantics.md §13: Restart starts the body again on
 * a fresh IPC buffer): every register, capability and receive slot, the status, reason, message
 * words and caller fields, compared with a buffer no syscall has touched.
 */
public final class FreshIpc {
    private FreshIpc() {}

    private static final List<Object> FRESH = contents(untouched());

    private static IpcBuffer untouched() {
        Kernel k = new Kernel();
        DeterministicDriver d = new DeterministicDriver(k);
        TaskHandle t = k.createTask(k.createSpace("fresh", 1), "fresh");
        d.start(t);
        return d.ipc(t);
    }

    /** What a buffer holds that a task or the kernel can set, in a fixed order. */
    public static List<Object> contents(IpcBuffer b) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < MessageInfo.MAX_LENGTH; i++) {
            out.add(b.mr(i));
        }
        for (int i = 0; i < MessageInfo.MAX_CAPS; i++) {
            out.add(b.cap(i));
            out.add(b.move(i));
            out.add(b.receiveSlot(i));
            out.add(b.capBadge(i));
        }
        out.add(b.unwrapped());
        out.add(b.status());
        out.add(b.reason());
        out.add(b.info());
        out.add(b.badge());
        out.add(b.count());
        out.add(b.handle());
        out.add(b.tag());
        out.add(b.lost());
        out.add(b.callerBadge());
        out.add(b.callerLabel());
        out.add(b.callerSendSize());
        out.add(b.callerRecvSize());
        return out;
    }

    /** Null if {@code b} is as fresh as a new task's buffer; else what differs. */
    public static @Nullable String problem(IpcBuffer b) {
        List<Object> got = contents(b);
        return got.equals(FRESH) ? null : "its IPC buffer is not fresh: " + got + ", a new one holds " + FRESH;
    }

    /** True if {@code b} is as fresh as a new task's buffer. */
    public static boolean isFresh(IpcBuffer b) {
        return problem(b) == null;
    }
}
