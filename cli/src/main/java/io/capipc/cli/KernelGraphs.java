package io.capipc.cli;

import com.google.common.graph.EndpointPair;
import com.google.common.graph.Graph;
import com.google.common.graph.GraphBuilder;
import com.google.common.graph.ImmutableGraph;
import com.google.common.graph.ImmutableValueGraph;
import com.google.common.graph.ValueGraph;
import com.google.common.graph.ValueGraphBuilder;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.WaitEdge;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two views of a kernel as Guava graphs, and each graph as Graphviz DOT and as a Mermaid flowchart:
 * the blocked-on graph (docs/semantics.md §11: a task to the task that could unblock it, labelled
 * with the object it waits through; a cycle is a deadlock) and the derivation tree of capabilities
 * (docs/semantics.md §2: each capability to those copied, minted or carved from it; originals are
 * roots). Node names are readable and unique: {@code name#id} for a task, {@code space[slot]} for a
 * capability.
 */
final class KernelGraphs {
    private KernelGraphs() {}

    /** Waiter to unblocker, each edge's value the objects it waits through ("endpoint 3", "reply"). */
    static ImmutableValueGraph<String, String> blockedOn(KernelView view, List<WaitEdge> edges) {
        Map<Integer, String> tasks = new HashMap<>();
        view.tasks().forEach(t -> tasks.put(t.id(), t.name() + "#" + t.id()));
        var g = ValueGraphBuilder.directed().allowsSelfLoops(true).<String, String>build();
        for (WaitEdge e : edges) {
            String through = e.object() < 0 ? "reply" : "object " + e.object();
            String from = tasks.getOrDefault(e.waiter(), "task#" + e.waiter());
            String to = tasks.getOrDefault(e.unblocker(), "task#" + e.unblocker());
            String old = g.edgeValueOrDefault(from, to, null);
            g.putEdgeValue(from, to, old == null ? through : old + ", " + through);
        }
        return ImmutableValueGraph.copyOf(g);
    }

    /** Parent capability to child; every full slot is a node, labelled {@code space[slot] TYPE#object}. */
    static ImmutableGraph<String> derivationTree(KernelView view) {
        Map<Integer, String> spaces = new HashMap<>();
        view.spaces().forEach(s -> spaces.put(s.id(), s.name()));
        var g = GraphBuilder.directed().<String>build();
        for (KernelView.SpaceView s : view.spaces()) {
            for (KernelView.SlotView slot : s.slots()) {
                String node = cap(spaces, s.id(), slot.index()) + " " + slot.type() + "#" + slot.objectId();
                g.addNode(node);
            }
        }
        Map<String, String> nodeOf = new HashMap<>();
        for (String n : g.nodes()) {
            nodeOf.put(n.substring(0, n.indexOf(' ')), n);
        }
        for (KernelView.SpaceView s : view.spaces()) {
            for (KernelView.SlotView slot : s.slots()) {
                if (slot.parentSpace() >= 0) {
                    String parent = nodeOf.get(cap(spaces, slot.parentSpace(), slot.parentSlot()));
                    String child = nodeOf.get(cap(spaces, s.id(), slot.index()));
                    if (parent != null && child != null) {
                        g.putEdge(parent, child);
                    }
                }
            }
        }
        return ImmutableGraph.copyOf(g);
    }

    private static String cap(Map<Integer, String> spaces, int space, int slot) {
        return spaces.getOrDefault(space, "space" + space) + "[" + slot + "]";
    }

    static String dot(String name, ValueGraph<String, String> g) {
        StringBuilder sb = new StringBuilder("digraph ").append(dotId(name)).append(" {\n");
        g.nodes().forEach(n -> sb.append("  ").append(dotId(n)).append(";\n"));
        for (EndpointPair<String> e : g.edges()) {
            sb.append("  ").append(dotId(e.source())).append(" -> ").append(dotId(e.target()))
                    .append(" [label=").append(dotId(g.edgeValue(e).orElse(""))).append("];\n");
        }
        return sb.append("}\n").toString();
    }

    static String dot(String name, Graph<String> g) {
        StringBuilder sb = new StringBuilder("digraph ").append(dotId(name)).append(" {\n");
        g.nodes().forEach(n -> sb.append("  ").append(dotId(n)).append(";\n"));
        for (EndpointPair<String> e : g.edges()) {
            sb.append("  ").append(dotId(e.source())).append(" -> ").append(dotId(e.target())).append(";\n");
        }
        return sb.append("}\n").toString();
    }

    static String mermaid(ValueGraph<String, String> g) {
        Map<String, String> ids = ids(g.nodes());
        StringBuilder sb = new StringBuilder("flowchart LR\n");
        ids.forEach((n, id) -> sb.append("    ").append(id).append("[\"").append(label(n)).append("\"]\n"));
        for (EndpointPair<String> e : g.edges()) {
            sb.append("    ").append(ids.get(e.source())).append(" -->|\"").append(label(g.edgeValue(e).orElse("")))
                    .append("\"| ").append(ids.get(e.target())).append('\n');
        }
        return sb.toString();
    }

    static String mermaid(Graph<String> g) {
        Map<String, String> ids = ids(g.nodes());
        StringBuilder sb = new StringBuilder("flowchart TD\n");
        ids.forEach((n, id) -> sb.append("    ").append(id).append("[\"").append(label(n)).append("\"]\n"));
        for (EndpointPair<String> e : g.edges()) {
            sb.append("    ").append(ids.get(e.source())).append(" --> ").append(ids.get(e.target())).append('\n');
        }
        return sb.toString();
    }

    /** Mermaid node ids n0, n1, ... in the graph's node order. */
    private static Map<String, String> ids(Iterable<String> nodes) {
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String n : nodes) {
            ids.put(n, "n" + ids.size());
        }
        return ids;
    }

    /** Text inside a Mermaid quoted label: # and " become Mermaid's entity codes (#35; and #quot;). */
    private static String label(String s) {
        return s.replace("#", "#35;").replace("\"", "#quot;");
    }

    /** A DOT quoted id. */
    private static String dotId(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
