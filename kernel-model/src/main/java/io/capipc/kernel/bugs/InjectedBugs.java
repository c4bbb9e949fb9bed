package io.capipc.kernel.bugs;

import io.capipc.api.Handles;
import io.capipc.api.MessageInfo;
import io.capipc.api.Reason;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.cap.CapabilityListener;
import io.capipc.cap.Derivation;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import io.capipc.kernel.inspect.QueueState;
import io.capipc.kernel.object.AsyncPort;
import io.capipc.kernel.object.Courier;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.ReplyPoolEntry;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.Untyped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The deliberate bugs a kernel was built with, for the property suite's injected-bug test, and the
 * wrong algorithms some of them stand for, kept here so the transitions read as the specification.
 *
 * <p>KEY ASSUMPTION: a real kernel pays nothing for this. Every site in the transitions is one line,
 * {@code if (bugs.on(X))}, and {@link #ENABLED} is a static final read once from the system property
 * {@code capipc.injectedBugs}: false everywhere but the property suite's JVM, so the JIT folds every
 * site away, the field load included. Only the property suite's module can name this package.
 */
public final class InjectedBugs {
    /** True only in a JVM started with {@code -Dcapipc.injectedBugs=true}. */
    public static final boolean ENABLED = Boolean.getBoolean("capipc.injectedBugs");
    /** No bug: the kernel as specified. */
    public static final InjectedBugs NONE = new InjectedBugs(0);
    /** Where an allocating bug leaves its garbage, so the allocation cannot be optimized away. */
    public static volatile Object sink;

    private static final ThreadLocal<InjectedBugs> PENDING = new ThreadLocal<>();

    private final long bits;

    private InjectedBugs(long bits) {
        this.bits = bits;
    }

    /** True if {@code bug} is injected; folds to false unless {@link #ENABLED}. */
    public boolean on(InjectedBug bug) {
        return ENABLED && (bits & (1L << bug.ordinal())) != 0;
    }

    /** A set of exactly these bugs. */
    public static InjectedBugs of(InjectedBug... bugs) {
        long bits = 0;
        for (InjectedBug b : bugs) {
            bits |= 1L << b.ordinal();
        }
        return new InjectedBugs(bits);
    }

    /**
     * Makes a kernel (with {@code make}, e.g. {@code Kernel::new}) that has exactly {@code bugs}.
     *
     * @throws IllegalStateException unless the JVM runs with {@code -Dcapipc.injectedBugs=true}
     */
    public static <T> T with(InjectedBugs bugs, Supplier<T> make) {
        if (!ENABLED) {
            throw new IllegalStateException("injected bugs need -Dcapipc.injectedBugs=true on the JVM's command line");
        }
        PENDING.set(bugs);
        try {
            return make.get();
        } finally {
            PENDING.remove();
        }
    }

    /** The bugs of the kernel being made on this thread now: those {@link #with} asked for, or none. */
    public static InjectedBugs forNewKernel() {
        InjectedBugs pending = ENABLED ? PENDING.get() : null;
        return pending == null ? NONE : pending;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("InjectedBugs[");
        String sep = "";
        for (InjectedBug b : InjectedBug.values()) {
            if ((bits & (1L << b.ordinal())) != 0) {
                sb.append(sep).append(b);
                sep = ",";
            }
        }
        return sb.append(']').toString();
    }

    // ---- The wrong algorithms.

    /** LIFO_SENDERS, LIFO_RECEIVERS: {@code t}, just queued last on {@code ep}, is moved to the front. */
    public static void moveToFront(Endpoint ep, Task t, QueueState kind) {
        List<Task> before = new ArrayList<>();
        for (Task q = ep.head(); q != t; q = Endpoint.next(q)) {
            before.add(q);
        }
        for (Task q : before) {
            ep.remove(q);
            ep.enqueue(q, kind);
        }
    }

    /** REVOKE_SPARES_ONE: Revoke that deletes every descendant but the last one it would delete. */
    public static void revokeSparingOne(Slot root, CapabilityListener events) {
        while (root.firstChild() != null && (root.firstChild().firstChild() != null || root.firstChild().nextSibling() != null)) {
            Slot leaf = root.firstChild();
            while (leaf.firstChild() != null) {
                leaf = leaf.firstChild();
            }
            Derivation.delete(leaf, events);
        }
    }

    /** REVOKE_LEAVES_GRANDCHILDREN: Revoke that deletes the children only; Delete moves each one's children up to the root. */
    public static void revokeChildrenOnly(Slot root, CapabilityListener events) {
        List<Slot> children = new ArrayList<>();
        for (Slot c = root.firstChild(); c != null; c = c.nextSibling()) {
            children.add(c);
        }
        children.forEach(c -> Derivation.delete(c, events));
    }

    /**
     * REVOKE_SPARES_QUEUED_CAPS: Revoke that deletes every descendant except those a sender queued on
     * an endpoint among {@code objects} names for transfer.
     */
    public static void revokeSparingQueued(Slot root, CapabilityListener events, List<? extends KernelObject> objects) {
        Set<Slot> named = new HashSet<>();
        for (KernelObject o : objects) {
            if (o instanceof Endpoint ep) {
                for (Task t = ep.firstSender(); t != null; t = Endpoint.next(t)) {
                    for (int i = 0; i < Math.min(MessageInfo.caps(t.sendInfo()), MessageInfo.MAX_CAPS); i++) {
                        if (t.space().cspace().inRange(t.sendCap(i))) {
                            named.add(t.space().cspace().slot(t.sendCap(i)));
                        }
                    }
                }
            }
        }
        List<Slot> descendants = new ArrayList<>();
        collect(root, descendants);
        for (Slot d : descendants) {
            if (!named.contains(d)) {
                Derivation.delete(d, events);
            }
        }
    }

    private static void collect(Slot s, List<Slot> out) {
        for (Slot c = s.firstChild(); c != null; c = c.nextSibling()) {
            out.add(c);
            collect(c, out);
        }
    }

    /**
     * REVOKE_SPARES_MADE: Revoke that deletes every descendant but, under an untyped capability, the
     * newest capability Retype made through it (its first child naming another object) and what
     * derives from that: the object lives on, still charged.
     */
    public static void revokeSparingMade(Slot root, CapabilityListener events) {
        Slot spared = null;
        for (Slot c = root.firstChild(); c != null && spared == null; c = c.nextSibling()) {
            spared = root.object() instanceof Untyped && c.object() != root.object() ? c : null;
        }
        for (Slot c = unspared(root, spared); c != null; c = unspared(root, spared)) {
            while (c.firstChild() != null) {
                c = c.firstChild();
            }
            Derivation.delete(c, events);
        }
    }

    private static @Nullable Slot unspared(Slot root, @Nullable Slot spared) {
        Slot first = root.firstChild();
        return first != null && first == spared ? first.nextSibling() : first;
    }

    /**
     * ASYNC_SEND_BLOCKS: the AsyncSend of {@code t} on a full {@code port} blocks it, queued by
     * {@code queue} on the port's endpoint as a synchronous Send through the port's endpoint
     * capability; null, the status of a blocked syscall.
     */
    public static @Nullable Status blockOnPort(Task t, AsyncPort port, long info,
                                                         java.util.function.BiConsumer<Endpoint, Task> queue) {
        Endpoint ep = (Endpoint) java.util.Objects.requireNonNull(port.endpointSlot().object());
        t.blockOnSend(ep, port.endpointSlot(), info, false);
        queue.accept(ep, t);
        return null;
    }

    private static final Set<Courier> ANSWERED = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());

    /**
     * ASYNC_SECOND_REPLY: true the first time the client received an answer carried by {@code c} with
     * its current tag, so the kernel sends another; false the second time, which then ends normally.
     */
    public static synchronized boolean firstAnswer(Courier c) {
        return ANSWERED.add(c) || !ANSWERED.remove(c);
    }

    /** DEADLOCK_REPORT_SPARES_CALLERS, _SUSPENDED: the report without the tasks the bug forgets. */
    public static List<Integer> spare(List<Integer> report, List<Task> tasks, boolean callers, boolean suspended) {
        List<Integer> out = new ArrayList<>();
        for (int id : report) {
            Task t = tasks.stream().filter(u -> u.id() == id).findFirst().orElseThrow();
            boolean spared = (callers && t.state() == TaskState.BLOCKED_ON_REPLY)
                    || (suspended && t.ownContext().suspendedIn() != null);
            if (!spared) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * STALE_HANDLE_ACCEPTED, WRITE_HANDLE_WRONG_CONTEXT: a handle looked up by its slot alone, whatever
     * generation the entry there has now (QNX's rcvid-reuse hazard).
     */
    public static Reason handleBySlot(Task t, long handle) {
        int slot = Handles.slot(handle);
        if (t.space().cspace().inRange(slot) && t.space().cspace().slot(slot).object() instanceof ReplyPoolEntry entry) {
            t.decoded(entry);
            return Reason.NONE;
        }
        return Reason.STALE_HANDLE;
    }

    /** NBSEND_ALLOCATES, SUSPEND_ALLOCATES: allocate where nothing may be allocated. */
    public static void allocate() {
        sink = new long[2];
    }
}
