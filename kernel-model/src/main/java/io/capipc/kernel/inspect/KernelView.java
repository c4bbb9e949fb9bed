package io.capipc.kernel.inspect;

import io.capipc.api.ObjectType;
import io.capipc.api.SystemMessage;
import io.capipc.api.TaskState;
import java.util.List;

/**
 * A read-only snapshot of the kernel (docs/semantics.md §11), taken atomically under the kernel's lock
 * ({@code Kernel.inspect()}).
 * Plain records, so two snapshots compare with {@code equals}: a refused syscall must leave the
 * snapshot unchanged (docs/semantics.md §7). IPC buffers are not part of it: they are the task's own.
 */
public record KernelView(List<SpaceView> spaces, List<TaskView> tasks, List<EndpointView> endpoints,
                         List<NotificationView> notifications, List<PortView> ports, List<RegionView> regions,
                         List<MappingView> mappings, List<UntypedView> untypeds) {

    /** A view without regions or untypeds. */
    public KernelView(List<SpaceView> spaces, List<TaskView> tasks, List<EndpointView> endpoints,
                      List<NotificationView> notifications, List<PortView> ports) {
        this(spaces, tasks, endpoints, notifications, ports, List.of(), List.of(), List.of());
    }

    /** A view without async ports, regions or untypeds (for checks that rebuild a view of what they expect). */
    public KernelView(List<SpaceView> spaces, List<TaskView> tasks, List<EndpointView> endpoints,
                      List<NotificationView> notifications) {
        this(spaces, tasks, endpoints, notifications, List.of(), List.of(), List.of(), List.of());
    }

    /**
     * A region or window (docs/semantics.md §12.1): its bytes as {@code length} from {@code offset} of
     * the memory first made with region {@code memory}, whether it was destroyed (its last capability
     * went), and how many times that memory was freed (0 while a region over it lives, then 1).
     */
    public record RegionView(int id, int memory, long offset, long length, boolean destroyed, int frees) {}

    /** A live mapping: the Space and slot it was made through, the region, and whether it is writable. */
    public record MappingView(int space, int slot, int region, boolean writable) {}

    /** A full slot: the capability's object, rights and badge, and its parent as (space, slot). */
    public record SlotView(int index, int objectId, ObjectType type, int rights, long badge,
                           int parentSpace, int parentSlot) {}

    /**
     * A space: its full slots in index order, its free reply-pool entries, and its suspended contexts
     * in slot order.
     */
    public record SpaceView(int id, String name, int size, List<SlotView> slots, int freeReplies,
                            List<SuspendedView> suspended) {}

    /** A reply capability: its slot, and the id of the caller whose context it holds (-1: the caller has gone). */
    public record SuspendedView(int slot, int caller) {}

    /** A queued system message: its kind, the badge concerned and MR0. */
    public record NoticeView(SystemMessage kind, long badge, long word) {}

    /**
     * A task: its state, the endpoint it is queued on (-1: none), whether its queued send is a Call,
     * the id of the caller whose context it holds (-1: none), for a queued sender the slot of the
     * capability it sent through (space id and index; -1 otherwise), the fault endpoint capability in
     * its TCB slot (null: none), the deadline of its blocked syscall on the kernel's clock
     * ({@code Long.MAX_VALUE}: none), whether the context it held was cancelled (its caller gave
     * up: Read, Write and CallerInfo answer CANCELLED), and task control (docs/semantics.md §13): how
     * many times it was restarted, how its last run ended ({@link io.capipc.api.TaskInfo}'s ALIVE,
     * EXITED, FAULTED, KILLED) and that fault's kind and class-name hash.
     */
    public record TaskView(int id, String name, int spaceId, TaskState state, int blockedOn,
                           boolean isCall, int holdsContextOf, int sendSpace, int sendSlot, SlotView faultCap,
                           long deadline, boolean holdsCancelled, int restarts, int ended, int faultKind,
                           int faultHash) {
        /**
         * A task never restarted whose current run has not ended (docs/semantics.md §13: restarts 0,
         * ended {@link io.capipc.api.TaskInfo#ALIVE}, no fault).
         */
        public TaskView(int id, String name, int spaceId, TaskState state, int blockedOn, boolean isCall,
                        int holdsContextOf, int sendSpace, int sendSlot, SlotView faultCap, long deadline,
                        boolean holdsCancelled) {
            this(id, name, spaceId, state, blockedOn, isCall, holdsContextOf, sendSpace, sendSlot, faultCap, deadline,
                    holdsCancelled, 0, io.capipc.api.TaskInfo.ALIVE, 0, 0);
        }
    }

    /**
     * An untyped (docs/semantics.md §13): its budget, the bytes charged to the live objects made from
     * it, those objects oldest first, and whether it was destroyed.
     */
    public record UntypedView(int id, long budget, long used, List<MadeView> made, boolean destroyed) {}

    /** An object made from an untyped: its id, type and the bytes it was charged. */
    public record MadeView(int objectId, ObjectType type, long charge) {}

    /** The untyped with this id. */
    public UntypedView untyped(int id) {
        for (UntypedView u : untypeds) {
            if (u.id() == id) {
                return u;
            }
        }
        throw new IllegalArgumentException("no untyped " + id);
    }

    /**
     * An endpoint: what its queue holds, the queued task ids, oldest first, the system messages it
     * accepts (a mask of {@link SystemMessage#bit()}s) and those queued, oldest first, and whether it
     * was destroyed (its last capability went).
     */
    public record EndpointView(int id, QueueState queue, List<Integer> queued, int accepts,
                               List<NoticeView> notices, boolean destroyed) {}

    /**
     * A notification: its word, whether it is pending, its waiters (oldest first), its bound task (-1:
     * none), and whether it was destroyed (its last capability went).
     */
    public record NotificationView(int id, long word, boolean pending, List<Integer> waiters, int bound,
                                   boolean destroyed) {}

    /**
     * An async port (docs/semantics.md §5.5): the endpoint it sends to and the badge its messages
     * carry (-1 and 0 once its capability to it went), the endpoint AsyncCall replies go to (-1 once
     * gone), how many messages it lost, whether it takes no more (revoked) or was destroyed, its
     * entries in index order, and the capabilities in its own space (its two endpoint capabilities
     * and those in flight).
     */
    public record PortView(int id, int endpoint, long badge, int replyEndpoint, long lost, boolean revoked,
                           boolean destroyed, List<EntryView> entries, List<SlotView> slots) {}

    /**
     * An entry of an async port: its phase (FREE, SENDING, CALLING, REPLYING), the id of the kernel
     * task that carries it (the id endpoint queues and contexts name), that task's state and the
     * object it is queued on (-1: none), and the tag of its AsyncCall (0: none).
     */
    public record EntryView(int index, String phase, int carrier, TaskState state, int blockedOn, long tag) {}

    /** The async port with this id. */
    public PortView port(int id) {
        for (PortView p : ports) {
            if (p.id() == id) {
                return p;
            }
        }
        throw new IllegalArgumentException("no async port " + id);
    }

    /** The task with this id. */
    public TaskView task(int id) {
        for (TaskView t : tasks) {
            if (t.id() == id) {
                return t;
            }
        }
        throw new IllegalArgumentException("no task " + id);
    }

    /** The endpoint with this id. */
    public EndpointView endpoint(int id) {
        for (EndpointView e : endpoints) {
            if (e.id() == id) {
                return e;
            }
        }
        throw new IllegalArgumentException("no endpoint " + id);
    }

    /** The notification with this id. */
    public NotificationView notification(int id) {
        for (NotificationView n : notifications) {
            if (n.id() == id) {
                return n;
            }
        }
        throw new IllegalArgumentException("no notification " + id);
    }

    /** True if the endpoint or notification with this id was destroyed. */
    public boolean isDestroyed(int objectId) {
        for (EndpointView e : endpoints) {
            if (e.id() == objectId) {
                return e.destroyed();
            }
        }
        return notification(objectId).destroyed();
    }

    /** The space with this id. */
    public SpaceView space(int id) {
        for (SpaceView s : spaces) {
            if (s.id() == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("no space " + id);
    }
}
