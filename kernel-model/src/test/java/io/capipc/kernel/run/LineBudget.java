package io.capipc.kernel.run;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;
import org.openjdk.jol.vm.VM;
import org.openjdk.jol.vm.VirtualMachine;

/**
 * Counts the cache lines a kernel transition writes (docs/benchmarks.md, "The line budget"): every
 * object reachable from a root (the kernel's own objects, arrays and collections; native segments by
 * their contents) is copied byte by byte before and after, and each byte that changed is charged to
 * its 64-byte line by address, and named by the field that holds it. Headers are skipped (a lock's
 * word is back as it was when the transition ends). A line written with the value it held is not
 * seen: the count is a lower bound. The transition must not allocate into the graph, nor may a
 * collection run between the two copies and the addresses (the test runs it right after a GC).
 */
final class LineBudget {
    static final int LINE = 64;
    private static final VirtualMachine VM_ = VM.current();

    /** One object of the graph: its label (the shortest path from the root) and contents. */
    private record Node(Object object, String label) {}

    private final List<Node> nodes = new ArrayList<>();

    LineBudget(Object root) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> queue = new ArrayDeque<>();
        queue.add(new Node(root, root.getClass().getSimpleName()));
        seen.put(root, true);
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            nodes.add(n);
            for (Map.Entry<String, Object> child : children(n.object()).entrySet()) {
                if (child.getValue() != null && seen.put(child.getValue(), true) == null && followed(child.getValue())) {
                    queue.add(new Node(child.getValue(), label(n.label(), child.getKey(), child.getValue())));
                }
            }
        }
    }

    /** The kernel's objects, arrays, collections and native segments; not records (immutable), threads, classes, lambdas. */
    private static boolean followed(Object o) {
        Class<?> c = o.getClass();
        if (o instanceof MemorySegment) {
            return ((MemorySegment) o).isNative();
        }
        if (c.isHidden() || c.isRecord() || o instanceof Thread || o instanceof Class || o instanceof ClassLoader) {
            return false;
        }
        String name = c.getName();
        return c.isArray() || name.startsWith("io.capipc.") || name.startsWith("java.util.");
    }

    /** A task by its name and id; anything else by the path it was reached by. */
    private static String label(String parent, String field, Object child) {
        return child.getClass().getSimpleName().equals("Task") ? "Task " + child : parent + "." + field;
    }

    /** The references an object holds, by field name (arrays: "[i]"). */
    private static Map<String, Object> children(Object o) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        Class<?> c = o.getClass();
        if (o instanceof MemorySegment) {
            return out;
        }
        if (c.isArray()) {
            if (!c.getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(o); i++) {
                    out.put("[" + i + "]", Array.get(o, i));
                }
            }
            return out;
        }
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                    out.putIfAbsent(f.getName(), VM_.getObject(o, VM_.fieldOffset(f)));
                }
            }
        }
        return out;
    }

    /** A copy of every node's contents, headers left out. */
    List<byte[]> copy() {
        List<byte[]> out = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            Object o = n.object();
            if (o instanceof MemorySegment seg) {
                out.add(seg.toArray(ValueLayout.JAVA_BYTE));
                continue;
            }
            long size = VM_.sizeOf(o);
            int from = o.getClass().isArray() ? VM_.arrayHeaderSize() : VM_.objectHeaderSize();
            byte[] b = new byte[(int) size];
            for (int i = from; i < size; i++) {
                b[i] = VM_.getByte(o, i);
            }
            out.add(b);
        }
        return out;
    }

    /** The lines whose bytes differ between two copies, each with the fields (or elements) written in it. */
    SortedMap<Long, TreeSet<String>> written(List<byte[]> before, List<byte[]> after) {
        SortedMap<Long, TreeSet<String>> lines = new TreeMap<>();
        for (int k = 0; k < nodes.size(); k++) {
            byte[] a = before.get(k);
            byte[] b = after.get(k);
            Node n = nodes.get(k);
            long base = n.object() instanceof MemorySegment seg ? seg.address() : VM_.addressOf(n.object());
            for (int i = 0; i < a.length; i++) {
                if (a[i] != b[i]) {
                    lines.computeIfAbsent((base + i) / LINE, x -> new TreeSet<>()).add(n.label() + "." + fieldAt(n.object(), i));
                }
            }
        }
        return lines;
    }

    /** The name of the field (or array element, or mailbox byte) at offset {@code at} of {@code o}. */
    private static String fieldAt(Object o, long at) {
        if (o instanceof MemorySegment) {
            return "@" + (at / 8 * 8);
        }
        Class<?> c = o.getClass();
        if (c.isArray()) {
            long scale = VM_.arrayIndexScale(c.getName());
            return "[" + ((at - VM_.arrayBaseOffset(c.getName())) / scale) + "]";
        }
        for (FieldLayout f : ClassLayout.parseClass(c).fields()) {
            if (at >= f.offset() && at < f.offset() + f.size()) {
                return f.name();
            }
        }
        return "+" + at;
    }
}
