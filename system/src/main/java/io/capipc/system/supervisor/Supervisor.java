package io.capipc.system.supervisor;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.api.TaskInfo;
import io.capipc.servers.Caller;
import io.capipc.servers.IpcException;
import io.capipc.servers.Server;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A supervisor task (Erlang/OTP's supervisor, Hubris's supervisor task): it holds a Task capability
 * (READ and WRITE) to each child, and each child's fault endpoint is the supervisor's endpoint, through
 * a capability badged with the child's number + 1, so a TASK_FAULTED message says which child threw.
 *
 * <p><b>Restarting.</b> On a fault it reads the child's TaskInfo (the fault's kind and class hash),
 * then restarts by its {@link RestartPolicy}: the child alone, or every child in order (Restart kills
 * a live child first, so its callers get PEER_DIED and every call ends). A notice about a child that
 * was already restarted since (its TaskInfo says ALIVE: a one-for-all restart overtook it) is stale
 * and ignored, so one fault never causes two restarts.
 *
 * <p><b>Giving up.</b> With an {@link Intensity} of N restarts in a window, the fault that would make
 * the (N+1)-th restart within the window makes it give up instead: it kills every child, stops
 * serving, and throws {@link GaveUp} from {@link #serve}, so its own fault endpoint (its parent's)
 * hears TASK_FAULTED: the failure is reported upward, as an OTP supervisor exits with
 * {@code shutdown}.
 *
 * <p><b>Introspection.</b> {@link #report()} is an immutable snapshot, replaced after every event, for
 * the boot code and the CLI; over IPC, {@link Supervision} answers the same on the same endpoint.
 * Restart counts are the kernel's (TaskInfo), so they agree with {@code Kernel.inspect()}.
 */
public final class Supervisor implements SupervisionServer {
    /** Thrown from {@link #serve} when the restart intensity was exceeded: the task faults, its parent hears. */
    public static final class GaveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GaveUp(String message) {
            super(message);
        }
    }

    /**
     * A supervised child.
     *
     * @param name its name, for the report
     * @param taskSlot the slot of the supervisor's Task capability to it (READ and WRITE)
     */
    public record Child(String name, int taskSlot) {}

    private final Syscalls sys;
    private final int endpoint;
    private final List<Child> children;
    private final RestartPolicy policy;
    private final Intensity intensity;
    private final LongSupplier clock;
    private final Map<Integer, String> knownFaults = new HashMap<>();
    private final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
    private final int[] faults;
    private final int[] faultKind;
    private final int[] faultHash;
    private final AtomicReference<SupervisorReport> report = new AtomicReference<>();
    private boolean gaveUp;

    /**
     * A supervisor for the task {@code sys}, hearing faults and questions on the endpoint in
     * {@code endpoint} (READ), of {@code children} (child i's fault capability badged i + 1), by
     * {@code policy} within {@code intensity}, timing restarts by {@code clock} (nanoseconds: the
     * simulated runtime's virtual clock in tests, {@code System::nanoTime} otherwise).
     */
    public Supervisor(Syscalls sys, int endpoint, List<Child> children, RestartPolicy policy, Intensity intensity,
                      LongSupplier clock) {
        if (children.isEmpty()) {
            throw new IllegalArgumentException("a supervisor needs at least one child");
        }
        this.sys = sys;
        this.endpoint = endpoint;
        this.children = List.copyOf(children);
        this.policy = policy;
        this.intensity = intensity;
        this.clock = clock;
        this.faults = new int[children.size()];
        this.faultKind = new int[children.size()];
        this.faultHash = new int[children.size()];
        publish();
    }

    /** Names these exception classes in the report when a child's fault has their hash. */
    public Supervisor knownFaults(List<Class<? extends Throwable>> types) {
        for (Class<? extends Throwable> t : types) {
            knownFaults.put(t.getName().hashCode(), t.getSimpleName());
        }
        publish();
        return this;
    }

    /** The badge of child {@code index}'s fault capability. */
    public static long faultBadge(int index) {
        return index + 1L;
    }

    /**
     * Serves until it gives up: restarts children as they fault and answers {@link Supervision}.
     *
     * @throws GaveUp when the restart intensity was exceeded (after every child was killed)
     */
    public Status serve() {
        Server server = Server.builder(endpoint, new SupervisionDispatcher(this))
                .onTaskFaulted((srv, s, badge, word) -> faulted(srv, badge))
                .build();
        Status end = server.serve(sys);
        if (gaveUp) {
            throw new GaveUp("restart intensity exceeded: more than " + intensity.maxRestarts() + " restarts in "
                    + intensity.windowNanos() + " ns");
        }
        return end;
    }

    /** The newest snapshot (from any thread). */
    public SupervisorReport report() {
        SupervisorReport r = report.get();
        assert r != null : "published in the constructor";
        return r;
    }

    private void faulted(Server server, long badge) {
        int index = (int) (badge - 1);
        if (badge < 1 || index >= children.size() || gaveUp) {
            return; // not one of ours (a badge it never gave out), or it already gave up
        }
        Child child = children.get(index);
        if (sys.taskInfo(child.taskSlot()) != Status.OK) {
            return; // its Task capability was taken away: nothing to restart
        }
        IpcBuffer ipc = sys.ipc();
        if (ipc.mr(TaskInfo.ENDED) != TaskInfo.FAULTED) {
            return; // stale: restarted since (by one-for-all), and alive again
        }
        faults[index]++;
        faultKind[index] = (int) ipc.mr(TaskInfo.FAULT_KIND);
        faultHash[index] = (int) ipc.mr(TaskInfo.FAULT_HASH);
        long now = clock.getAsLong();
        while (!restartTimes.isEmpty() && now - restartTimes.peekFirst() >= intensity.windowNanos()) {
            restartTimes.pollFirst();
        }
        if (restartTimes.size() >= intensity.maxRestarts()) {
            giveUp(server);
            return;
        }
        restartTimes.addLast(now);
        if (policy == RestartPolicy.ONE_FOR_ONE) {
            restart(child);
        } else {
            for (Child c : children) {
                restart(c);
            }
        }
        publish();
    }

    private void restart(Child child) {
        Status s = sys.restart(child.taskSlot());
        if (s != Status.OK) {
            throw new IllegalStateException("restarting " + child.name() + ": " + s + " (" + sys.ipc().reason() + ")");
        }
    }

    private void giveUp(Server server) {
        gaveUp = true;
        for (Child c : children) {
            var _ = sys.kill(c.taskSlot()); // a dead child or a lost capability: nothing more to stop
        }
        publish();
        server.stop();
    }

    private void publish() {
        List<SupervisorReport.Child> list = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            Child c = children.get(i);
            int restarts = sys.taskInfo(c.taskSlot()) == Status.OK ? (int) sys.ipc().mr(TaskInfo.RESTARTS) : -1;
            list.add(new SupervisorReport.Child(c.name(), restarts, faults[i], faultKind[i], faultHash[i], faultName(i)));
        }
        report.set(new SupervisorReport(policy, intensity, gaveUp, list));
    }

    private String faultName(int i) {
        if (faults[i] == 0) {
            return "-";
        }
        String known = knownFaults.get(faultHash[i]);
        return known != null ? known : String.format("class hash %08x", faultHash[i]);
    }

    @Override
    public int children(Caller caller) {
        return children.size();
    }

    @Override
    public long restarts(Caller caller, int child) throws IpcException {
        return report().children().get(index(child)).restarts();
    }

    @Override
    public long lastFault(Caller caller, int child) throws IpcException {
        int i = index(child);
        return ((long) faultKind[i] << 32) | (faultHash[i] & 0xFFFF_FFFFL);
    }

    @Override
    public boolean gaveUp(Caller caller) {
        return gaveUp;
    }

    private int index(int child) throws IpcException {
        if (child < 0 || child >= children.size()) {
            throw IpcException.of(Supervision.Error.NO_SUCH_CHILD);
        }
        return child;
    }
}
