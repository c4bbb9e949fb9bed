package io.capipc.props.harness;

import io.capipc.api.IpcBuffer;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.props.model.Model;
import io.capipc.props.model.Model.Cap;
import io.capipc.props.model.Model.MTask;
import io.capipc.props.model.Model.Ref;
import io.capipc.props.model.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The abstraction function: reads the real kernel's state in the model's terms and lists every
 * difference. An empty list after every step means the kernel refines the model on that run. Besides
 * the kernel view and the IPC buffers it reads the driver's clock, each blocked task's deadline and
 * whether a task holds a cancelled context, which no view shows but every later status depends on.
 * Suspended contexts are compared as each space's free reply-pool entries and its reply
 * capabilities (slot and caller); system messages as each endpoint's mask and queue. The model names
 * a faulted task in MR0 by its number ({@link Model#taskWord}); here that becomes the kernel's id.
 */
public final class Refinement {
    private Refinement() {}

    public static List<String> differences(Model m, World w) {
        List<String> out = new ArrayList<>();
        KernelView v = w.view();
        same("clock", m.now(), w.now(), out);
        for (int t = 0; t < m.tasks().size(); t++) {
            compareTask(t, m.task(t), m.xfer().get(t), m.sendVia().get(t), v.task(w.task(t).id()), w.ipc(t), w, out);
            same("t" + t + " handle", m.handles().get(t), w.ipc(t).handle(), out);
            compareExpiry(t, m, v.task(w.task(t).id()), out);
            compareMemory(t, m.task(t), w.memory(t), out);
            KernelView.TaskView kt = v.task(w.task(t).id());
            same("t" + t + " restarts", m.control().restarts().get(t), kt.restarts(), out);
            same("t" + t + " last run ended", m.control().ended().get(t), kt.ended(), out);
        }
        for (int e = 0; e < m.endpoints().size(); e++) {
            Model.Queue q = m.endpoints().get(e);
            if (e >= v.endpoints().size()) {
                // A spare endpoint number Retype has not used yet: nothing names it in either.
                if (e < m.shape().bootEndpoints() + m.control().madeEndpoints()) {
                    out.add("endpoint " + e + ": the model made it, the kernel did not");
                }
                continue;
            }
            KernelView.EndpointView ev = v.endpoints().get(e);
            List<Integer> waiting = ev.queued().stream().map(w::taskOf).toList();
            if (!q.kind().name().equals(ev.queue().name()) || !q.waiting().equals(waiting)) {
                out.add("endpoint " + e + ": model " + q.kind() + q.waiting() + ", kernel " + ev.queue() + waiting);
            }
            same("endpoint " + e + " accepts", m.accepts().get(e), ev.accepts(), out);
            List<List<Long>> notices = m.notices().get(e).stream()
                    .map(n -> List.of((long) n.kind(), n.badge(), kernelWord(n.word(), w))).toList();
            List<List<Long>> kernelNotices = ev.notices().stream()
                    .map(n -> List.of((long) n.kind().label(), n.badge(), n.word())).toList();
            same("endpoint " + e + " system messages (kind, badge, MR0)", notices, kernelNotices, out);
        }
        for (KernelView.SpaceView sv : v.spaces()) {
            int sp = w.spaceOf(sv.id());
            long used = m.entries().stream().filter(en -> en.space() == sp).count();
            same("space " + sp + " free replies", (int) (m.shape().replyPool().get(sp) - used), sv.freeReplies(), out);
            List<List<Integer>> suspended = m.entries().stream().filter(en -> en.space() == sp && en.slot() >= 0)
                    .sorted(java.util.Comparator.comparingInt(Model.Entry::slot)).map(en -> List.of(en.slot(), en.caller())).toList();
            List<List<Integer>> kernelSuspended = sv.suspended().stream().map(x -> List.of(x.slot(), w.taskOf(x.caller()))).toList();
            same("space " + sp + " suspended (slot, caller)", suspended, kernelSuspended, out);
        }
        KernelView.NotificationView nv = v.notifications().get(0);
        Model.Ntfn n = m.ntfn();
        List<Integer> waiters = nv.waiters().stream().map(w::taskOf).toList();
        if (n.word() != nv.word() || n.pending() != nv.pending() || !n.waiters().equals(waiters) || n.bound() != w.taskOf(nv.bound())) {
            out.add("notification: model " + n + ", kernel " + nv + " (waiters " + waiters + ")");
        }
        compareUntypeds(m, w, v, out);
        Map<Ref, Cap> kernelCaps = capabilities(m, w);
        if (!kernelCaps.equals(m.caps())) {
            out.add("capabilities: model " + m.caps() + ", kernel " + kernelCaps);
        }
        return out;
    }

    /**
     * Every capability in the kernel, in the model's terms: each Space's slots, and each task's TCB
     * slot ({@link Model#tcb}) holding its fault endpoint.
     */
    public static Map<Ref, Cap> capabilities(Model m, World w) {
        KernelView v = w.view();
        Map<Ref, Cap> kernelCaps = new HashMap<>();
        for (KernelView.SpaceView s : v.spaces()) {
            for (KernelView.SlotView sl : s.slots()) {
                Ref parent = sl.parentSpace() < 0 ? null : new Ref(w.spaceOf(sl.parentSpace()), sl.parentSlot());
                int object = sl.type() == io.capipc.api.ObjectType.REPLY_POOL_ENTRY ? m.shape().replyObject() : w.objectOf(sl.objectId());
                kernelCaps.put(new Ref(w.spaceOf(s.id()), sl.index()), new Cap(object, sl.rights(), sl.badge(), parent));
            }
        }
        for (int t = 0; t < m.tasks().size(); t++) {
            KernelView.SlotView fc = v.task(w.task(t).id()).faultCap();
            if (fc != null) {
                Ref parent = fc.parentSpace() < 0 ? null : new Ref(w.spaceOf(fc.parentSpace()), fc.parentSlot());
                kernelCaps.put(Model.tcb(t), new Cap(w.objectOf(fc.objectId()), fc.rights(), fc.badge(), parent));
            }
        }
        return kernelCaps;
    }

    /** Every untyped's budget, used bytes, what it made (model numbers, charges, oldest first), and whether it lives (§13). */
    private static void compareUntypeds(Model m, World w, KernelView v, List<String> out) {
        List<List<Object>> model = new ArrayList<>();
        for (int k = 0; k < m.control().untypeds().size(); k++) {
            io.capipc.props.model.Control.Untyped u = m.control().untypeds().get(k);
            List<List<Long>> made = u.made().stream().map(x -> List.of((long) x.object(), x.charge())).toList();
            model.add(List.of(m.shape().untypedObject(k), u.budget(), u.used(), made, !u.alive()));
        }
        List<List<Object>> kernel = new ArrayList<>();
        for (KernelView.UntypedView u : v.untypeds()) {
            List<List<Long>> made = u.made().stream().map(x -> List.of((long) w.objectOf(x.objectId()), x.charge())).toList();
            kernel.add(List.of(w.objectOf(u.id()), u.budget(), u.used(), made, u.destroyed()));
        }
        same("untypeds (object, budget, used, made, destroyed)", model, kernel, out);
    }

    private static void compareTask(int t, MTask m, Model.Xfer xfer, Model.Ref via, KernelView.TaskView k, IpcBuffer ipc, World w,
                                    List<String> out) {
        String p = "t" + t + " ";
        same(p + "state", m.state().name(), k.state().name(), out);
        same(p + "blocked on", m.blockedOn(), w.objectOf(k.blockedOn()), out);
        if (m.state() == Model.State.BLOCKED_ON_SEND) {
            same(p + "is a Call", m.isCall(), k.isCall(), out);
            same(p + "sends through", via, k.sendSpace() < 0 ? null : new Model.Ref(w.spaceOf(k.sendSpace()), k.sendSlot()), out);
        }
        same(p + "holds context of", m.holds(), w.taskOf(k.holdsContextOf()), out);
        same(p + "status", m.status(), ipc.status(), out);
        same(p + "info", m.info(), ipc.info(), out);
        same(p + "badge", m.badge(), ipc.badge(), out);
        same(p + "count", m.count(), ipc.count(), out);
        same(p + "CallerInfo", List.of(m.ciBadge(), (long) m.ciLabel(), m.ciSend(), m.ciRecv()),
                List.of(ipc.callerBadge(), (long) ipc.callerLabel(), ipc.callerSendSize(), ipc.callerRecvSize()), out);
        Model.Xfer x = xfer;
        List<Long> capBadges = new ArrayList<>();
        List<Integer> caps = new ArrayList<>();
        List<Integer> receive = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            capBadges.add(ipc.capBadge(i));
            caps.add(ipc.cap(i));
            receive.add(ipc.receiveSlot(i));
        }
        same(p + "unwrapped", x.unwrapped(), ipc.unwrapped(), out);
        same(p + "unwrapped badges", x.capBadges(), capBadges, out);
        same(p + "cap slots", x.caps(), caps, out);
        same(p + "receive slots", x.receive(), receive, out);
        for (int i = 0; i < 64; i++) {
            if (kernelWord(m.mr().get(i), w) != ipc.mr(i)) {
                out.add(p + "MR" + i + ": model " + m.mr().get(i) + ", kernel " + ipc.mr(i));
                break;
            }
        }
    }

    /**
     * A blocked task's deadline (the kernel keeps a dead task's last one, which means nothing), and
     * whether the task holds a cancelled context.
     */
    private static void compareExpiry(int t, Model m, KernelView.TaskView k, List<String> out) {
        Model.State state = m.task(t).state();
        if (state != Model.State.RUNNING && state != Model.State.DEAD) {
            same("t" + t + " deadline", m.deadlines().get(t), k.deadline(), out);
        }
        same("t" + t + " holds a cancelled context", m.cancelled().get(t), k.holdsCancelled(), out);
    }

    private static void compareMemory(int t, MTask m, byte[] mem, List<String> out) {
        for (int i = 0; i < Shape.AREA; i++) {
            if (mem[World.RECV + i] != m.recvArea().get(i)) {
                out.add("t" + t + " receive area byte " + i + ": model " + m.recvArea().get(i) + ", kernel " + mem[World.RECV + i]);
                break;
            }
        }
        for (int i = 0; i < Shape.AREA; i++) {
            if (mem[World.SCRATCH + i] != m.scratch().get(i)) {
                out.add("t" + t + " scratch byte " + i + ": model " + m.scratch().get(i) + ", kernel " + mem[World.SCRATCH + i]);
                break;
            }
        }
    }

    /** A register value of the model in the kernel's terms: a {@link Model#taskWord} becomes the task's kernel id. */
    public static long kernelWord(long word, World w) {
        int t = Model.taskOfWord(word, w.tasks.length);
        return t < 0 ? word : w.task(t).id();
    }

    private static void same(String what, Object model, Object kernel, List<String> out) {
        if (!Objects.equals(model, kernel)) {
            out.add(what + ": model " + model + ", kernel " + kernel);
        }
    }
}
