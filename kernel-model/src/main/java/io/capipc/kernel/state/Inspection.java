package io.capipc.kernel.state;

import static io.capipc.kernel.bugs.InjectedBug.DEADLOCK_REPORT_SPARES_CALLERS;
import static io.capipc.kernel.bugs.InjectedBug.DEADLOCK_REPORT_SPARES_SUSPENDED;

import io.capipc.cap.CSpace;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.KernelView.EndpointView;
import io.capipc.kernel.inspect.KernelView.NoticeView;
import io.capipc.kernel.inspect.KernelView.EntryView;
import io.capipc.kernel.inspect.KernelView.NotificationView;
import io.capipc.kernel.inspect.KernelView.MappingView;
import io.capipc.kernel.inspect.KernelView.PortView;
import io.capipc.kernel.inspect.KernelView.RegionView;
import io.capipc.kernel.inspect.KernelView.SlotView;
import io.capipc.kernel.inspect.KernelView.SpaceView;
import io.capipc.kernel.inspect.KernelView.SuspendedView;
import io.capipc.kernel.inspect.KernelView.TaskView;
import io.capipc.kernel.inspect.WaitEdge;
import io.capipc.kernel.object.AsyncPort;
import io.capipc.kernel.object.CallerContext;
import io.capipc.kernel.object.Courier;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notice;
import io.capipc.kernel.object.Mapping;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Region;
import io.capipc.kernel.object.ReplyPoolEntry;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.Untyped;
import io.capipc.kernel.inspect.KernelView.MadeView;
import io.capipc.kernel.inspect.KernelView.UntypedView;
import io.capipc.kernel.object.TaskQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * The read-only side of the kernel (docs/semantics.md §11): the snapshot views, the blocked-on graph, the
 * deadlock report of guarantee 12 and the invariant checks, computed from the live objects. Values
 * only leave here: no live object is handed out.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock.
 */
public final class Inspection {
    private Inspection() {}

    /** A snapshot of everything in {@code registry}; the caller holds the kernel's lock. */
    public static KernelView view(Registry registry) {
        List<Space> spaces = registry.spaces();
        List<Task> tasks = registry.tasks();
        List<KernelObject> objects = registry.objects();
        List<SpaceView> sv = new ArrayList<>();
        for (Space s : spaces) {
            sv.add(space(s));
        }
        List<TaskView> tv = new ArrayList<>();
        for (Task t : tasks) {
            if (t.courier() != null) {
                continue; // reported with its port
            }
            CallerContext held = t.heldContext();
            Slot via = t.sendSlot();
            tv.add(new TaskView(t.id(), t.name(), t.space().id(), t.state(),
                    t.blockedOn() == null ? -1 : t.blockedOn().id(), t.isCall(),
                    held == null ? -1 : held.caller().id(),
                    via == null ? -1 : via.owner().id(), via == null ? -1 : via.index(),
                    t.faultCap().isEmpty() ? null : slotView(t.faultCap()), t.deadline(), t.holdsCancelled(),
                    t.restarts(), t.ended(), t.faultKind(), t.faultHash()));
        }
        List<EndpointView> ev = new ArrayList<>();
        List<NotificationView> nv = new ArrayList<>();
        List<RegionView> rv = new ArrayList<>();
        for (KernelObject o : objects) {
            if (o instanceof Region r) {
                rv.add(new RegionView(r.id(), r.memory().root(), r.offset(), r.length(), r.isDestroyed(),
                        r.memory().frees()));
            }
            if (o instanceof Notification n) {
                List<Integer> waiters = new ArrayList<>();
                for (Task q = n.firstWaiter(); q != null; q = TaskQueue.next(q)) {
                    waiters.add(q.id());
                }
                nv.add(new NotificationView(n.id(), n.word(), n.isPending(), List.copyOf(waiters),
                        n.bound() == null ? -1 : n.bound().id(), n.isDestroyed()));
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
                ev.add(new EndpointView(ep.id(), ep.queue(), List.copyOf(queued), ep.accepts(), List.copyOf(notices),
                        ep.isDestroyed()));
            }
        }
        List<PortView> pv = new ArrayList<>();
        for (AsyncPort p : registry.ports()) {
            pv.add(port(p));
        }
        List<UntypedView> uv = new ArrayList<>();
        for (Untyped u : registry.untypeds()) {
            List<MadeView> made = new ArrayList<>();
            for (Untyped.Made m : u.made()) {
                made.add(new MadeView(m.object().id(), m.object().type(), m.charge()));
            }
            uv.add(new UntypedView(u.id(), u.budget(), u.used(), List.copyOf(made), u.isDestroyed()));
        }
        return new KernelView(List.copyOf(sv), List.copyOf(tv), List.copyOf(ev), List.copyOf(nv), List.copyOf(pv),
                List.copyOf(rv), mappings(spaces), List.copyOf(uv));
    }

    private static List<MappingView> mappings(List<Space> spaces) {
        List<MappingView> out = new ArrayList<>();
        for (Space s : spaces) {
            for (int i = 0; i < s.cspace().size(); i++) {
                Mapping m = s.mapping(i);
                if (m != null) {
                    out.add(new MappingView(s.id(), i, m.region().id(), m.writable()));
                }
            }
        }
        return List.copyOf(out);
    }

    private static PortView port(AsyncPort p) {
        List<EntryView> entries = new ArrayList<>();
        for (Courier c : p.entries()) {
            Task carrier = c.carrier();
            entries.add(new EntryView(c.index(), c.phase().name(), carrier.id(), carrier.state(),
                    carrier.blockedOn() == null ? -1 : carrier.blockedOn().id(), c.tag()));
        }
        Slot ep = p.endpointSlot();
        Slot reply = p.replySlot();
        return new PortView(p.id(), ep.isEmpty() ? -1 : ep.object().id(), ep.badge(),
                reply.isEmpty() ? -1 : reply.object().id(), p.lost(), p.isRevoked() || ep.isEmpty(), p.isDestroyed(),
                List.copyOf(entries), space(p.space()).slots());
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

    /** Who waits on whom, through which object (see {@link BlockedOnGraph}). */
    public static List<WaitEdge> blockedOnGraph(Registry registry) {
        return BlockedOnGraph.edges(registry.tasks());
    }

    /** The deadlock report: the ids of the largest set of blocked tasks only each other could unblock. */
    public static List<Integer> deadlocked(Registry registry, InjectedBugs bugs) {
        List<Integer> report = BlockedOnGraph.deadlocked(registry.tasks());
        boolean callers = bugs.on(DEADLOCK_REPORT_SPARES_CALLERS);
        boolean suspended = bugs.on(DEADLOCK_REPORT_SPARES_SUSPENDED);
        if (callers || suspended) { report = InjectedBugs.spare(report, registry.tasks(), callers, suspended); }
        return report;
    }

    /** Every broken kernel invariant, described; empty when consistent (see {@link Invariants}). */
    public static List<String> violations(Registry registry) {
        return Invariants.violations(registry.spaces(), registry.tasks(), registry.objects(), registry.cspaces());
    }
}
