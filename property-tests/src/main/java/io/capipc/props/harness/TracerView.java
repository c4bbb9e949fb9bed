package io.capipc.props.harness;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.Tracer;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallName;
import java.util.Objects;

/**
 * The {@code Tracer} contract as a check: the IPC buffer a tracer is shown is the task's own, read-only
 * (docs/semantics.md §11: "a read-only view of its IPC buffer, never the task itself"). Every field it
 * reads must be the one the task itself would read at that moment, and every write must be refused
 * with UnsupportedOperationException (tried with the value already there, so a view that wrongly
 * accepts one still changes nothing).
 */
public final class TracerView {
    private static final int REGISTERS = 64;

    private final DeterministicDriver driver;
    private String mismatch;
    private boolean writesTried;

    /** A checker for a tracer of its own to call ({@link #compare}); {@link #watch} installs one. */
    public TracerView(DeterministicDriver driver) {
        this.driver = driver;
    }

    /**
     * Installs on {@code kernel} (driven by {@code driver}) a tracer that checks every view it is
     * shown against the task's own buffer; {@link #mismatch()} says the first difference.
     */
    public static TracerView watch(Kernel kernel, DeterministicDriver driver) {
        TracerView v = new TracerView(driver);
        kernel.tracer(new Tracer() {
            @Override
            public void syscall(TaskHandle task, IpcBuffer ipc, SyscallName op, long a, long b, Outcome outcome) {
                v.compare(task, ipc);
            }

            @Override
            public void completed(TaskHandle task, IpcBuffer ipc, Status status) {
                v.compare(task, ipc);
            }
        });
        return v;
    }

    /** Compares what a tracer was shown of {@code task}'s buffer with the buffer; keeps the first difference. */
    public void compare(TaskHandle task, IpcBuffer shown) {
        if (mismatch == null) {
            String m = mismatch(shown, driver.ipc(task), !writesTried);
            writesTried = true;
            mismatch = m == null ? null : task + ": " + m;
        }
    }

    /** The first way a tracer's view differed from the task's buffer so far, or null. */
    public String mismatch() {
        return mismatch;
    }

    /**
     * Where {@code seen} (a tracer's view) differs from {@code own} (the task's buffer), or null if
     * nowhere; {@code tryWrites}: also that it refuses writes (a world asks once: each costs an exception).
     */
    public static String mismatch(IpcBuffer seen, IpcBuffer own, boolean tryWrites) {
        for (int i = 0; i < REGISTERS; i++) {
            if (seen.mr(i) != own.mr(i)) {
                return field("MR" + i, seen.mr(i), own.mr(i));
            }
        }
        for (int i = 0; i < MessageInfo.MAX_CAPS; i++) {
            String m = capField(seen, own, i);
            if (m != null) {
                return m;
            }
        }
        String m = results(seen, own);
        return m != null || !tryWrites ? m : writesRefused(seen);
    }

    private static String capField(IpcBuffer seen, IpcBuffer own, int i) {
        if (seen.cap(i) != own.cap(i)) {
            return field("cap " + i, seen.cap(i), own.cap(i));
        }
        if (seen.receiveSlot(i) != own.receiveSlot(i)) {
            return field("receive slot " + i, seen.receiveSlot(i), own.receiveSlot(i));
        }
        if (seen.move(i) != own.move(i)) {
            return field("move " + i, seen.move(i), own.move(i));
        }
        return seen.capBadge(i) != own.capBadge(i) ? field("capability badge " + i, seen.capBadge(i), own.capBadge(i)) : null;
    }

    /** What the kernel last delivered. */
    private static String results(IpcBuffer seen, IpcBuffer own) {
        Object[][] pairs = {
            {"status", seen.status(), own.status()}, {"reason", seen.reason(), own.reason()},
            {"info", seen.info(), own.info()}, {"badge", seen.badge(), own.badge()},
            {"count", seen.count(), own.count()}, {"handle", seen.handle(), own.handle()},
            {"tag", seen.tag(), own.tag()}, {"lost", seen.lost(), own.lost()},
            {"unwrapped", seen.unwrapped(), own.unwrapped()}, {"mapping", seen.mapping(), own.mapping()},
            {"caller badge", seen.callerBadge(), own.callerBadge()}, {"caller label", seen.callerLabel(), own.callerLabel()},
            {"caller send size", seen.callerSendSize(), own.callerSendSize()},
            {"caller receive size", seen.callerRecvSize(), own.callerRecvSize()},
        };
        for (Object[] p : pairs) {
            if (!Objects.equals(p[1], p[2])) {
                return field((String) p[0], p[1], p[2]);
            }
        }
        // The same memory (equals compares address and size), but only to read.
        return seen.mapping() != null && !seen.mapping().isReadOnly() ? "a tracer was shown a writable mapping" : null;
    }

    private static String writesRefused(IpcBuffer seen) {
        Runnable[] writes = {
            () -> seen.setMr(0, seen.mr(0)), () -> seen.setCap(0, seen.cap(0)),
            () -> seen.setReceiveSlot(0, seen.receiveSlot(0)), () -> seen.setMove(0, seen.move(0)),
        };
        String[] names = {"setMr", "setCap", "setReceiveSlot", "setMove"};
        for (int i = 0; i < writes.length; i++) {
            try {
                writes[i].run();
                return "a tracer's view of an IPC buffer accepted " + names[i];
            } catch (UnsupportedOperationException expected) {
                // read-only, as it must be
            } catch (RuntimeException e) {
                return "a tracer's view of an IPC buffer refused " + names[i] + " with " + e + ", not UnsupportedOperationException";
            }
        }
        return null;
    }

    private static String field(String name, Object seen, Object own) {
        return "a tracer was shown " + name + " " + seen + " where the task's IPC buffer holds " + own;
    }
}
