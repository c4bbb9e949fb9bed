package io.capipc.props.ports;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.KernelView.EntryView;
import io.capipc.kernel.inspect.KernelView.PortView;
import io.capipc.kernel.inspect.KernelView.SlotView;
import io.capipc.kernel.inspect.KernelView.TaskView;
import io.capipc.props.ports.AsyncRules.Agent;
import io.capipc.props.ports.AsyncRules.Cap;
import io.capipc.props.ports.AsyncRules.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The abstraction function of async-port runs: reads the kernel after a step in {@link AsyncRules}'
 * terms and lists every difference. Tasks by number, an entry's carrier as {@link AsyncRules#carrier},
 * objects as the model numbers them ({@link PortLedger#object}), capabilities as (object, rights,
 * badge, parent slot).
 */
final class PortRefinement {
    private PortRefinement() {}

    static @Nullable String compare(PortWorld w, AsyncRules m, PortLedger l, KernelView v) {
        List<String> out = new ArrayList<>();
        Map<Integer, Integer> who = l.agents(v);
        for (int t = 0; t < PortWorld.TASKS; t++) {
            Agent a = m.tasks.get(t);
            TaskView k = v.task(w.tasks[t].id());
            IpcBuffer ipc = w.d.ipc(w.tasks[t]);
            String p = "t" + t + " ";
            same(p + "state", a.state.name(), k.state().name(), out);
            same(p + "blocked on", a.blockedOn, l.object(k.blockedOn()), out);
            same(p + "status", a.status, ipc.status(), out);
            same(p + "info", MessageInfo.toString(a.info), MessageInfo.toString(ipc.info()), out);
            same(p + "badge", a.badge, ipc.badge(), out);
            same(p + "MR0, MR1", List.of(a.mr0, a.mr1), List.of(ipc.mr(0), ipc.mr(1)), out);
            same(p + "tag", a.tag, ipc.tag(), out);
            same(p + "lost", a.lost, ipc.lost(), out);
            int holds = k.holdsContextOf() < 0 ? AsyncRules.NONE : who.getOrDefault(k.holdsContextOf(), -99);
            same(p + "holds (context of, cancelled)", List.of(a.holds >= 0 ? a.holds : AsyncRules.NONE, a.holds == AsyncRules.CANCELLED),
                    List.of(holds, k.holdsCancelled()), out);
        }
        for (int e = 0; e < m.eps.size(); e++) {
            AsyncRules.Ep ep = m.eps.get(e);
            KernelView.EndpointView ev = v.endpoint(w.endpoints[e].id());
            List<Integer> queued = ev.queued().stream().map(id -> who.getOrDefault(id, -99)).toList();
            same("endpoint " + e, ep.kind + ep.queue + (ep.destroyed ? " destroyed" : ""),
                    ev.queue().name() + queued + (ev.destroyed() ? " destroyed" : ""), out);
        }
        for (int p = 0; p < m.ports.size(); p++) {
            AsyncRules.Port port = m.ports.get(p);
            PortView pv = l.port(v, p);
            if (pv == null) {
                if (!port.destroyed) {
                    out.add("port " + p + ": the kernel has no such port");
                }
                continue;
            }
            same("port " + p + " lost", port.lost, pv.lost(), out);
            same("port " + p + " destroyed", port.destroyed, pv.destroyed(), out);
            if (!port.destroyed) {
                same("port " + p + " revoked", m.revoked(p), pv.revoked(), out);
                List<String> entries = new ArrayList<>();
                List<String> kernelEntries = new ArrayList<>();
                for (int i = 0; i < port.entries.size(); i++) {
                    AsyncRules.Entry en = port.entries.get(i);
                    Agent c = Objects.requireNonNull(m.carriers.get(AsyncRules.carrier(p, i)));
                    entries.add(en.phase + " tag " + en.tag + " " + c.state + " on " + c.blockedOn);
                    EntryView ke = pv.entries().get(i);
                    kernelEntries.add(ke.phase() + " tag " + ke.tag() + " " + ke.state() + " on " + l.object(ke.blockedOn()));
                }
                same("port " + p + " entries", entries, kernelEntries, out);
                same("port " + p + " slots", portSlots(m, p), kernelSlots(l, pv.slots(), v), out);
            }
        }
        Map<Integer, String> model = new HashMap<>();
        for (Map.Entry<Node, Cap> e : m.caps.entrySet()) {
            if (e.getKey().space() == 0) {
                model.put(e.getKey().slot(), show(e.getValue()));
            }
        }
        KernelView.SpaceView sv = v.space(w.space.id());
        same("capabilities", model, kernelSlots(l, sv.slots(), v), out);
        return out.isEmpty() ? null : String.join("; ", out);
    }

    /** Port p's own capabilities: its endpoint's (slot 0), its reply endpoint's (1), and those in flight. */
    private static Map<Integer, String> portSlots(AsyncRules m, int p) {
        Map<Integer, String> out = new HashMap<>();
        for (Map.Entry<Node, Cap> e : m.caps.entrySet()) {
            if (e.getKey().space() == 1 + p) {
                out.put(e.getKey().slot(), show(e.getValue()));
            }
        }
        return out;
    }

    private static String show(Cap c) {
        Node parent = c.parent();
        return "obj " + c.obj() + " rights " + c.rights() + " badge " + c.badge() + " parent " + (parent == null ? "-" : parent.slot());
    }

    private static Map<Integer, String> kernelSlots(PortLedger l, List<SlotView> slots, KernelView v) {
        Map<Integer, String> out = new HashMap<>();
        for (SlotView s : slots) {
            if (s.index() >= 2 && s.type() != io.capipc.api.ObjectType.ENDPOINT && s.type() != io.capipc.api.ObjectType.ASYNC_PORT) {
                continue;
            }
            String parent = s.parentSpace() < 0 ? "-" : String.valueOf(s.parentSlot());
            out.put(s.index(), "obj " + l.object(s.objectId()) + " rights " + s.rights() + " badge " + s.badge() + " parent " + parent);
        }
        return out;
    }

    private static void same(String what, Object model, Object kernel, List<String> out) {
        if (!Objects.equals(model, kernel)) {
            out.add(what + ": model " + model + ", kernel " + kernel);
        }
    }
}
