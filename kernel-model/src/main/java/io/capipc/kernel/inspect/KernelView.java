package io.capipc.kernel.inspect;

import io.capipc.api.SystemMessage;
import io.capipc.cap.CSpace;
import io.capipc.cap.KernelObject;
import io.capipc.cap.ObjectType;
import io.capipc.cap.Slot;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.TaskQueue;
import io.capipc.kernel.object.Notice;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.ReplyPoolEntry;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskState;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only snapshot of the kernel (SPEC section 11), taken atomically under the kernel's lock.
 * Plain records, so two snapshots compare with {@code equals}: a refused syscall must leave the
 * snapshot unchanged (SPEC section 7). IPC buffers are not part of it: they are the task's own.
 */
public record KernelView(List<SpaceView> spaces, List<TaskView> tasks, List<EndpointView> endpoints,
                         List<NotificationView> notifications) {

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
     * capability it sent through (space id and index; -1 otherwise), and the fault endpoint
     * capability in its TCB slot (null: none).
     */
    public record TaskView(int id, String name, int spaceId, TaskState state, int blockedOn,
                           boolean isCall, int holdsContextOf, int sendSpace, int sendSlot, SlotView faultCap) {}

    /**
     * An endpoint: what its queue holds, the queued task ids, oldest first, the system messages it
     * accepts (a mask of {@link SystemMessage#bit()}s) and those queued, oldest first.
     */
    public record EndpointView(int id, Endpoint.Queue queue, List<Integer> queued, int accepts,
                               List<NoticeView> notices) {}

    /** A notification: its word, whether it is pending, its waiters (oldest first) and bound task (-1: none). */
    public record NotificationView(int id, long word, boolean pending, List<Integer> waiters, int bound) {}

    /** Builds the snapshot; the kernel calls this under its lock. */
    public static KernelView of(List<Space> spaces, List<Task> tasks, List<KernelObject> objects) {
        List<SpaceView> sv = new ArrayList<>();
        for (Space s : spaces) {
            sv.add(space(s));
        }
        List<TaskView> tv = new ArrayList<>();
        for (Task t : tasks) {
            CallerContext held = t.heldContext();
            Slot via = t.sendSlot();
            tv.add(new TaskView(t.id(), t.name(), t.space().id(), t.state(),
                    t.blockedOn() == null ? -1 : t.blockedOn().id(), t.isCall(),
                    held == null ? -1 : held.caller().id(),
                    via == null ? -1 : via.owner().id(), via == null ? -1 : via.index(),
                    t.faultCap().isEmpty() ? null : slotView(t.faultCap())));
        }
        List<EndpointView> ev = new ArrayList<>();
        List<NotificationView> nv = new ArrayList<>();
        for (KernelObject o : objects) {
            if (o instanceof Notification n) {
                List<Integer> waiters = new ArrayList<>();
                for (Task q = n.firstWaiter(); q != null; q = TaskQueue.next(q)) {
                    waiters.add(q.id());
                }
                nv.add(new NotificationView(n.id(), n.word(), n.isPending(), List.copyOf(waiters),
                        n.bound() == null ? -1 : n.bound().id()));
            }
            if (o instanceof Endpoint ep) {
                List<Integer> queued = new ArrayList<>();
                for (Task q = ep.head(); q != null; q = Endpoint.next(q)) {
                    queued.add(q.id());
                }
                List<NoticeView> notices = new ArrayList<>();
                for (Notice n = ep.firstNotice(); n != null; n = Endpoint.next(n)) {
                    notices.add(new NoticeView(n.kind(), n.badge(), n.word()));
                }
                ev.add(new EndpointView(ep.id(), ep.queue(), List.copyOf(queued), ep.accepts(), List.copyOf(notices)));
            }
        }
        return new KernelView(List.copyOf(sv), List.copyOf(tv), List.copyOf(ev), List.copyOf(nv));
    }

    private static SpaceView space(Space s) {
        CSpace cs = s.cspace();
        List<SlotView> slots = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            Slot slot = cs.slot(i);
            if (!slot.isEmpty()) {
                slots.add(slotView(slot));
            }
        }
        List<SuspendedView> suspended = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            if (cs.slot(i).object() instanceof ReplyPoolEntry e) {
                suspended.add(new SuspendedView(i, e.context() == null ? -1 : e.context().caller().id()));
            }
        }
        return new SpaceView(s.id(), s.name(), cs.size(), List.copyOf(slots), s.freeEntries(), List.copyOf(suspended));
    }

    private static SlotView slotView(Slot slot) {
        Slot p = slot.parent();
        return new SlotView(slot.index(), slot.object().id(), slot.object().type(), slot.rights(), slot.badge(),
                p == null ? -1 : p.owner().id(), p == null ? -1 : p.index());
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
