package io.capipc.cli;

import io.capipc.cli.TraceRecorder.Flow;
import io.capipc.cli.TraceRecorder.Syscall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's trace as a Mermaid sequence diagram: one participant per task, in the order they
 * first made a syscall; each message between tasks an arrow labelled with the syscall that carried
 * it; each syscall that carried none a note over its task (BLOCKED if it never ended).
 */
final class MermaidTrace {
    private MermaidTrace() {}

    static String render(TraceRecorder trace) {
        Map<Integer, String> names = trace.names();
        StringBuilder sb = new StringBuilder("sequenceDiagram\n");
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            sb.append("    participant ").append(id(e.getKey())).append(" as ").append(text(e.getValue())).append('\n');
        }
        List<Flow> flows = new ArrayList<>(trace.flows());
        Set<Syscall> carried = new HashSet<>();
        for (Flow f : flows) {
            carried.add(f.sent());
            carried.add(f.received());
        }
        int next = 0;
        for (Syscall s : trace.syscalls()) {
            // A syscall's flows are delivered at its time: draw them where it comes.
            while (next < flows.size() && flows.get(next).at() <= s.at) {
                Flow f = flows.get(next++);
                sb.append("    ").append(id(f.from())).append("->>").append(id(f.to())).append(": ").append(text(f.label())).append('\n');
            }
            if (!carried.contains(s)) {
                String outcome = s.status == null ? "BLOCKED" : s.status.name();
                sb.append("    Note over ").append(id(s.task)).append(": ").append(text(s.op.specName())).append(" ")
                        .append(outcome).append('\n');
            }
        }
        while (next < flows.size()) {
            Flow f = flows.get(next++);
            sb.append("    ").append(id(f.from())).append("->>").append(id(f.to())).append(": ").append(text(f.label())).append('\n');
        }
        return sb.toString();
    }

    /** A participant id Mermaid accepts whatever the task's name. */
    private static String id(int task) {
        return "t" + task;
    }

    /** Text with the characters Mermaid gives meaning to in a message (; and #) replaced. */
    static String text(String s) {
        return s.replace(';', ',').replace('#', ' ').replace('\n', ' ');
    }
}
