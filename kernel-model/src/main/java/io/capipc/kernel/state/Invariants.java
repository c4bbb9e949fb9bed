package io.capipc.kernel.state;

import io.capipc.api.Rights;
import io.capipc.cap.CSpace;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import io.capipc.kernel.inspect.QueueState;
import io.capipc.kernel.object.AsyncPort;
import io.capipc.kernel.object.BadgeRecord;
import io.capipc.kernel.object.Courier;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notice;
import io.capipc.kernel.object.Mapping;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Region;
import io.capipc.kernel.object.TaskQueue;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.ReplyPoolEntry;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.Untyped;
import io.capipc.api.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's invariants, named after the seL4 invariants they mirror, checked over live objects.
 * Tests call {@link #violations} after every step; an empty list means all hold.
 *
 * <ul>
 *   <li><b>valid_queues / sym_refs</b>: a task is in an endpoint's queue exactly when its state names
 *       that endpoint, and the queue's kind matches the task's state.
 *   <li><b>distinct_queues</b>: no task is in two queues, nor twice in one.
 *   <li><b>ep_queues_blocked</b>: an endpoint never has senders and receivers queued at once (its
 *       kind, IDLE, SENDERS or RECEIVERS, is read from its head).
 *   <li><b>reply_caller</b>: every held caller context belongs to exactly one BLOCKED_ON_REPLY caller,
 *       and every BLOCKED_ON_REPLY caller's context is held, by a task as its current one or by a
 *       reply-pool entry, which points back to it.
 *   <li><b>reply_pool</b> (capipc's own): an entry with a slot is named by exactly that slot's reply
 *       capability and no other; an entry without one is free, unless its CALLER_CANCELLED notice
 *       is still queued; free entries number exactly those.
 *   <li><b>space_tasks</b> (capipc's own): a space counts exactly its tasks that are not DEAD (when
 *       the count reaches 0, its suspended callers get PEER_DIED).
 *   <li><b>badge_counts</b> (capipc's own): each endpoint counts, once per badge, exactly the slots
 *       holding a capability to it with that non-zero badge.
 *   <li><b>ep_notices</b> (capipc's own): system messages never wait on an endpoint while a receiver
 *       does.
 *   <li><b>mdb_rights</b>: a derived capability names its parent's object (or a window of its region)
 *       with a subset of its rights (or, under an untyped capability, an object Retype made from it);
 *       sibling links are symmetric.
 *   <li><b>mdb_acyclic</b>: following parents from any capability reaches a root.
 *   <li><b>port_entries</b> (capipc's own): an async port's free entries number exactly those in phase
 *       FREE; a FREE entry's carrier is RUNNING (or DEAD, once the port is destroyed) and has nothing in
 *       flight; a SENDING one is queued on the port's endpoint; a CALLING one is queued there or awaits
 *       its reply; a REPLYING one is queued on the reply endpoint. A destroyed port has no entry taken.
 *   <li><b>map_authority</b> (guarantee 14): a Space's mapping through a slot exists only while that
 *       slot holds a capability to the mapped region (writable only with WRITE), and only while the
 *       region and its memory live.
 *   <li><b>untyped_budget</b> (capipc's own, guarantee 16): an untyped's used bytes are exactly the sum
 *       of the charges of the live objects made from it, never more than its budget; nothing it made
 *       is destroyed yet still listed, and nothing it made outlives it (a destroyed untyped has made
 *       nothing that lives); every capability to an object it made is a descendant of a capability to
 *       it.
 *   <li><b>obj_refs</b>: an object's capability count is the number of slots naming it; a destroyed
 *       object is named by none; a queued sender's capability is still in its slot and names the
 *       endpoint it waits on (docs/semantics.md guarantee 3).
 * </ul>
 *
 * <p>{@link #treeHolds} checks the derivation-tree part without allocating, so the kernel can assert
 * it after every capability syscall under {@code -ea}.
 */
public final class Invariants {
    private Invariants() {}

    /**
     * Every broken invariant over every object, described; empty when the kernel is consistent.
     * {@code cspaces} is every capability space: the Spaces' and the tasks' TCB slots.
     */
    public static List<String> violations(List<Space> spaces, List<Task> tasks, List<KernelObject> objects,
                                          List<CSpace> cspaces) {
        List<Endpoint> endpoints = new ArrayList<>();
        List<Notification> notifications = new ArrayList<>();
        for (KernelObject o : objects) {
            if (o instanceof Endpoint ep) {
                endpoints.add(ep);
            } else if (o instanceof Notification n) {
                notifications.add(n);
            }
        }
        List<String> out = new ArrayList<>();
        Set<Task> queued = new HashSet<>();
        Census census = new Census(cspaces);
        for (Endpoint ep : endpoints) {
            checkQueue(ep, queued, out);
            checkBadges(ep, census, out);
        }
        for (Notification n : notifications) {
            checkNotification(n, queued, out);
        }
        for (Task t : tasks) {
            checkTask(t, queued, out);
        }
        int slots = 0;
        for (CSpace cs : cspaces) {
            slots += cs.size();
        }
        for (CSpace cs : cspaces) {
            for (int i = 0; i < cs.size(); i++) {
                checkSlot(cs.slot(i), slots, out);
            }
        }
        for (Space s : spaces) {
            checkPool(s, tasks, out);
            checkMappings(s, out);
        }
        for (Task t : tasks) {
            Slot fault = t.faultCap();
            if (!fault.isEmpty() && !(fault.object() instanceof Endpoint && Rights.has(fault.rights(), Rights.WRITE))) {
                out.add("tcb_fault: " + t + "'s fault capability names " + fault.object() + " with " + fault.rights());
            }
        }
        for (KernelObject o : objects) {
            if (o instanceof AsyncPort port) {
                checkPort(port, out);
            } else if (o instanceof Untyped u) {
                checkUntyped(u, census, out);
            }
        }
        for (KernelObject o : objects) {
            int named = census.naming(o);
            if (named != o.capabilityCount() || (o.isDestroyed() && named != 0)) {
                out.add("obj_refs: " + o + " counts " + o.capabilityCount() + " capabilities, " + named
                        + " slots name it, destroyed=" + o.isDestroyed());
            }
        }
        return out;
    }

    /** map_authority: a mapping's slot still holds a capability to its region, whose bytes live. */
    private static void checkMappings(Space s, List<String> out) {
        for (int i = 0; i < s.cspace().size(); i++) {
            Mapping m = s.mapping(i);
            if (m == null) {
                continue;
            }
            Region r = m.region();
            if (s.cspace().slot(i).object() != r || r.isDestroyed() || r.memory().frees() != 0
                    || (m.writable() && !Rights.has(s.cspace().slot(i).rights(), Rights.WRITE))) {
                out.add("map_authority: " + s + " maps " + r + " through slot " + i + ", which holds "
                        + s.cspace().slot(i).object() + " with " + Rights.toString(s.cspace().slot(i).rights()));
            }
        }
    }

    private static void checkUntyped(Untyped u, Census census, List<String> out) {
        long sum = 0;
        for (Untyped.Made m : u.made()) {
            sum += m.charge();
            if (m.object().isDestroyed()) {
                out.add("untyped_budget: " + u + " still charges destroyed " + m.object());
            }
            if (u.isDestroyed()) {
                out.add("untyped_budget: " + m.object() + " outlives " + u + ", which made it");
            }
            for (Slot slot : census.holders(m.object())) {
                if (!descendsFrom(slot, u)) {
                    out.add("untyped_budget: " + slot + " names " + m.object() + " made from " + u
                            + " but descends from no capability to it");
                }
            }
        }
        if (sum != u.used() || u.used() > u.budget() || u.used() < 0) {
            out.add("untyped_budget: " + u + " counts " + u.used() + " used of " + u.budget()
                    + "; its live objects were charged " + sum);
        }
    }

    private static boolean descendsFrom(Slot slot, KernelObject ancestor) {
        for (Slot p = slot.parent(); p != null; p = p.parent()) {
            if (p.object() == ancestor) {
                return true;
            }
        }
        return false;
    }

    private static void checkPort(AsyncPort port, List<String> out) {
        int free = 0;
        for (Courier c : port.entries()) {
            Task carrier = c.carrier();
            String why = switch (c.phase()) {
                case FREE -> {
                    free++;
                    boolean idle = carrier.state() == (port.isDestroyed() ? TaskState.DEAD : TaskState.RUNNING);
                    yield idle && nothingInFlight(c) ? null : "is FREE but its carrier is " + carrier.state();
                }
                case SENDING -> queuedOn(carrier, port.endpointSlot()) ? null : "is SENDING but not queued on its endpoint";
                case CALLING -> queuedOn(carrier, port.endpointSlot()) || carrier.state() == TaskState.BLOCKED_ON_REPLY
                        || carrier.state() == TaskState.BLOCKED_ON_SEND ? null : "is CALLING but " + carrier.state();
                case REPLYING -> queuedOn(carrier, port.replySlot()) ? null : "is REPLYING but not queued on its reply endpoint";
            };
            if (why != null || (port.isDestroyed() && c.phase() != Courier.Phase.FREE)) {
                out.add("port_entries: " + c + " " + (why != null ? why : "is taken in a destroyed port"));
            }
        }
        if (free != port.freeEntries()) {
            out.add("port_entries: " + port + " has " + free + " FREE entries but " + port.freeEntries() + " on its free list");
        }
    }

    private static boolean queuedOn(Task carrier, Slot via) {
        return carrier.state() == TaskState.BLOCKED_ON_SEND && !via.isEmpty() && carrier.blockedOn() == via.object();
    }

    private static boolean nothingInFlight(Courier c) {
        CSpace own = c.port().space().cspace();
        for (int i = 0; i < AsyncPort.SLOTS_PER_ENTRY; i++) {
            if (!own.slot(c.firstSlot() + i).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** A child names its parent's object, or one made from it (a window of its region). */
    private static boolean partOf(Slot child, Slot parent) {
        KernelObject c = child.object();
        KernelObject p = parent.object();
        return c != null && p != null && c.isPartOf(p);
    }

    /** The derivation-tree invariants only, allocation-free: for assertions inside the kernel. */
    public static boolean treeHolds(List<CSpace> cspaces, List<KernelObject> objects) {
        int total = 0;
        for (int s = 0; s < cspaces.size(); s++) {
            total += cspaces.get(s).size();
        }
        for (int s = 0; s < cspaces.size(); s++) {
            CSpace cs = cspaces.get(s);
            for (int i = 0; i < cs.size(); i++) {
                if (!slotHolds(cs.slot(i), total)) {
                    return false;
                }
            }
        }
        for (int o = 0; o < objects.size(); o++) {
            KernelObject obj = objects.get(o);
            int named = countNaming(cspaces, obj);
            if (named != obj.capabilityCount() || (obj.isDestroyed() && named != 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean slotHolds(Slot slot, int total) {
        if (slot.isEmpty()) {
            return slot.parent() == null && slot.firstChild() == null && slot.nextSibling() == null;
        }
        int depth = 0;
        for (Slot p = slot.parent(); p != null; p = p.parent()) {
            if (++depth > total) {
                return false;
            }
        }
        for (Slot c = slot.firstChild(); c != null; c = c.nextSibling()) {
            if (c.parent() != slot || !derivedRightly(c, slot)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A child names its parent's object, or one made from it (a window of its region), with a subset
     * of its rights; or its parent is an untyped capability and it names an object made from that
     * untyped (Retype), with any rights.
     */
    private static boolean derivedRightly(Slot child, Slot parent) {
        if (partOf(child, parent)) {
            return (child.rights() & ~parent.rights()) == 0;
        }
        return parent.object() != null && parent.object().type() == io.capipc.api.ObjectType.UNTYPED;
    }

    private static int countNaming(List<CSpace> cspaces, KernelObject o) {
        int named = 0;
        for (int s = 0; s < cspaces.size(); s++) {
            CSpace cs = cspaces.get(s);
            for (int i = 0; i < cs.size(); i++) {
                if (cs.slot(i).object() == o) {
                    named++;
                }
            }
        }
        return named;
    }

    private static void checkQueue(Endpoint ep, Set<Task> queued, List<String> out) {
        TaskState first = ep.head() == null ? null : ep.head().state();
        for (Task q = ep.head(); q != null; q = Endpoint.next(q)) {
            if (!queued.add(q)) {
                out.add("distinct_queues: " + q + " queued twice");
                return;
            }
            boolean blocked = q.state() == TaskState.BLOCKED_ON_SEND || q.state() == TaskState.BLOCKED_ON_RECEIVE;
            if (!blocked || q.blockedOn() != ep) {
                out.add("valid_queues: " + q + " in " + ep + " is " + q.state() + " on " + q.blockedOn());
            } else if (q.state() != first) {
                out.add("ep_queues_blocked: " + ep + " holds " + q + ", " + q.state() + ", behind a task " + first);
            }
        }
        if (first != null && ep.holdsReceivers() != (first == TaskState.BLOCKED_ON_RECEIVE)) {
            out.add("ep_queue_kind: " + ep + " records its queue as " + (ep.holdsReceivers() ? "receivers" : "senders")
                    + " while its head is " + first);
        }
        if (ep.firstNotice() != null && ep.queue() == QueueState.RECEIVERS) {
            out.add("ep_notices: " + ep + " holds a " + ep.firstNotice().kind() + " notice while receivers wait");
        }
        for (Notice n = ep.firstNotice(); n != null; n = Endpoint.next(n)) {
            if (n.queuedOn() != ep) {
                out.add("ep_notices: a " + n.kind() + " notice in " + ep + "'s queue names " + n.queuedOn());
            }
        }
    }

    private static void checkNotification(Notification n, Set<Task> queued, List<String> out) {
        if (n.isPending() && n.firstWaiter() != null) {
            out.add("ntfn_queue: " + n + " is pending with tasks waiting");
        }
        if (n.bound() != null && n.bound().boundNotification() != n) {
            out.add("ntfn_bound: " + n + " is bound to " + n.bound() + ", which is not bound to it");
        }
        for (Task q = n.firstWaiter(); q != null; q = TaskQueue.next(q)) {
            if (!queued.add(q)) {
                out.add("distinct_queues: " + q + " queued twice");
                return;
            }
            if (q.state() != TaskState.BLOCKED_ON_NOTIFICATION || q.blockedOn() != n) {
                out.add("valid_queues: " + q + " waits on " + n + " but is " + q.state() + " on " + q.blockedOn());
            }
            if (n.bound() != null && n.bound() != q) {
                out.add("ntfn_bound: " + q + " waits on " + n + ", which is bound to " + n.bound());
            }
        }
    }

    private static void checkTask(Task t, Set<Task> queued, List<String> out) {
        boolean waitsInQueue = t.state() == TaskState.BLOCKED_ON_SEND || t.state() == TaskState.BLOCKED_ON_RECEIVE
                || t.state() == TaskState.BLOCKED_ON_NOTIFICATION;
        Notification bound = t.boundNotification();
        if (bound != null && bound.bound() != t) {
            out.add("ntfn_bound: " + t + " is bound to " + bound + ", which is bound to " + bound.bound());
        }
        if (waitsInQueue != queued.contains(t)) {
            out.add("sym_refs: " + t + " is " + t.state() + " on " + t.blockedOn() + " but queued=" + queued.contains(t));
        }
        if (t.state() == TaskState.BLOCKED_ON_SEND
                && (t.sendSlot() == null || t.sendSlot().object() != t.blockedOn())) {
            out.add("obj_refs: " + t + " is queued on " + t.blockedOn() + " through " + t.sendSlot()
                    + ", which no longer names it");
        }
        CallerContext own = t.ownContext();
        if (own.isHeld() != (t.state() == TaskState.BLOCKED_ON_REPLY)) {
            out.add("reply_caller: " + t + " is " + t.state() + " but its context holder is " + own.holder()
                    + ", suspended in " + own.suspendedIn());
        }
        if (own.holder() != null && (own.holder().heldContext() != own || own.suspendedIn() != null)) {
            out.add("reply_caller: holder " + own.holder() + " of " + t + "'s context does not hold it alone");
        }
        if (own.suspendedIn() != null && own.suspendedIn().context() != own) {
            out.add("reply_caller: " + own.suspendedIn() + " holding " + t + "'s context does not point back");
        }
        CallerContext current = t.heldContext();
        if (current != null && current.holder() != t) {
            out.add("reply_caller: " + t + " holds the context of " + current.caller() + " whose holder is " + current.holder());
        }
    }

    private static void checkBadges(Endpoint ep, Census census, List<String> out) {
        Set<Long> live = new HashSet<>();
        for (BadgeRecord r : ep.badgeRecords()) {
            if (r.caps() > 0 && !live.add(r.badge())) {
                out.add("badge_counts: " + ep + " counts badge " + r.badge() + " twice");
            }
            int held = census.badged(ep, r.badge());
            if (r.caps() > 0 && r.caps() != held) {
                out.add("badge_counts: " + ep + " counts " + r.caps() + " capabilities with badge " + r.badge()
                        + ", " + held + " slots hold one");
            }
        }
        for (Slot slot : census.holders(ep)) {
            if (slot.badge() != 0 && !live.contains(slot.badge())) {
                out.add("badge_counts: " + slot + " holds badge " + slot.badge() + " of " + ep + ", which nothing counts");
            }
        }
    }

    /**
     * The slots naming each object, and how many name each endpoint with each badge: counted in one
     * pass over every slot, so a check costs slots plus objects, not their product (the fuzz targets
     * and the property suite check after every step).
     */
    private static final class Census {
        private final Map<KernelObject, List<Slot>> holders = new IdentityHashMap<>();
        private final Map<KernelObject, Map<Long, Integer>> badged = new IdentityHashMap<>();

        Census(List<CSpace> cspaces) {
            for (CSpace cs : cspaces) {
                for (int i = 0; i < cs.size(); i++) {
                    Slot slot = cs.slot(i);
                    KernelObject o = slot.object();
                    if (o != null) {
                        holders.computeIfAbsent(o, k -> new ArrayList<>()).add(slot);
                        if (o instanceof Endpoint) {
                            badged.computeIfAbsent(o, k -> new HashMap<>()).merge(slot.badge(), 1, Integer::sum);
                        }
                    }
                }
            }
        }

        /** The slots naming {@code o}. */
        List<Slot> holders(KernelObject o) {
            return holders.getOrDefault(o, List.of());
        }

        int naming(KernelObject o) {
            return holders(o).size();
        }

        int badged(Endpoint ep, long badge) {
            return badged.getOrDefault(ep, Map.of()).getOrDefault(badge, 0);
        }
    }

    private static int liveTasksIn(Space space, List<Task> tasks) {
        int n = 0;
        for (Task t : tasks) {
            if (t.space() == space && t.state() != TaskState.DEAD) {
                n++;
            }
        }
        return n;
    }

    private static void checkPool(Space space, List<Task> tasks, List<String> out) {
        int unused = 0;
        for (ReplyPoolEntry e : space.replyPool()) {
            int slot = e.slot();
            if (slot >= 0) {
                Slot s = space.cspace().slot(slot);
                if (s.object() != e || e.capabilityCount() != 1) {
                    out.add("reply_pool: " + e + " should be named by " + s + " alone; it holds " + s.object()
                            + ", count " + e.capabilityCount());
                }
            } else if (!e.cancelledNotice().isQueued()) {
                unused++;
            }
            if (slot < 0 && (e.context() != null || e.capabilityCount() != 0)) {
                out.add("reply_pool: " + e + " has no slot but holds a context or is named");
            }
            if (e.context() != null && e.context().suspendedIn() != e) {
                out.add("reply_caller: " + e + " holds a context that is not suspended in it");
            }
        }
        if (space.liveTasks() != liveTasksIn(space, tasks)) {
            out.add("space_tasks: " + space + " counts " + space.liveTasks() + " live tasks");
        }
        if (unused != space.freeEntries()) {
            out.add("reply_pool: " + space + " has " + unused + " unused entries but " + space.freeEntries() + " free");
        }
    }

    private static void checkSlot(Slot slot, int total, List<String> out) {
        if (!slot.isEmpty() && !slotHolds(slot, total)) {
            int depth = 0;
            for (Slot p = slot.parent(); p != null && depth <= total; p = p.parent()) {
                depth++;
            }
            if (depth > total) {
                out.add("mdb_acyclic: following parents from " + slot + " never reaches a root");
                return;
            }
        }
        if (slot.isEmpty()) {
            if (slot.parent() != null || slot.firstChild() != null || slot.nextSibling() != null) {
                out.add("mdb_empty: empty " + slot + " is linked into the derivation tree");
            }
            return;
        }
        for (Slot c = slot.firstChild(); c != null; c = c.nextSibling()) {
            if (c.parent() != slot) {
                out.add("mdb_links: " + c + " is a child of " + slot + " but names parent " + c.parent());
            }
            if (!derivedRightly(c, slot)) {
                out.add("mdb_rights: " + c + " (" + Rights.toString(c.rights()) + ") exceeds or differs from its parent " + slot);
            }
        }
    }
}
