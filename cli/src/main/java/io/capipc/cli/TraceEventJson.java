package io.capipc.cli;

import io.capipc.cli.TraceRecorder.Flow;
import io.capipc.cli.TraceRecorder.Syscall;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The kernel's trace as Chrome trace-event JSON (the JSON Object Format, which Perfetto's UI and
 * chrome://tracing open): one process, one track (tid) per task, named by metadata events; every
 * syscall a complete event ("ph":"X"), a blocked one spanning its blocked interval and a syscall that
 * ended at once a mark of {@value #MARK_US} us (less if its task's next syscall comes sooner: the
 * kernel reports a transition, not its length); one still blocked at the end runs to the last one;
 * every message between tasks a flow arrow ("ph":"s" on the sender's track, "ph":"f" with
 * "bp":"e" on the receiver's). Times are microseconds since the recorder was made.
 */
final class TraceEventJson {
    /** The length of a syscall that did not block, in microseconds. */
    static final double MARK_US = 1.0;
    private static final int PID = 1;

    private TraceEventJson() {}

    static String render(TraceRecorder trace) {
        StringBuilder sb = new StringBuilder("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
        sb.append("{\"name\":\"process_name\",\"ph\":\"M\",\"ts\":0,\"pid\":").append(PID)
                .append(",\"tid\":0,\"args\":{\"name\":\"capipc kernel\"}}");
        Map<Integer, String> names = trace.names();
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            sb.append(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"ts\":0,\"pid\":").append(PID).append(",\"tid\":")
                    .append(tid(e.getKey())).append(",\"args\":{\"name\":").append(quote(e.getValue())).append("}}");
        }
        List<Syscall> syscalls = trace.syscalls();
        long last = syscalls.isEmpty() ? 0 : syscalls.getLast().at;
        // A mark must end before its task's next syscall starts, so each track's slices nest.
        Map<Integer, Long> nextStart = new java.util.HashMap<>();
        double[] durs = new double[syscalls.size()];
        for (int i = syscalls.size() - 1; i >= 0; i--) {
            Syscall s = syscalls.get(i);
            Long next = nextStart.put(s.task, s.at);
            durs[i] = s.blocked ? us(s.ended >= 0 ? s.ended : last) - us(s.at)
                    : next == null ? MARK_US : Math.min(MARK_US, us(next) - us(s.at));
        }
        for (int i = 0; i < syscalls.size(); i++) {
            Syscall s = syscalls.get(i);
            String outcome = s.status == null ? "BLOCKED" : s.status.name();
            sb.append(",\n{\"name\":").append(quote(s.op.specName())).append(",\"cat\":\"syscall\",\"ph\":\"X\",\"ts\":")
                    .append(num(us(s.at))).append(",\"dur\":").append(num(durs[i]))
                    .append(",\"pid\":").append(PID).append(",\"tid\":").append(tid(s.task))
                    .append(",\"args\":{\"a\":").append(s.a).append(",\"b\":").append(s.b)
                    .append(",\"blocked\":").append(s.blocked).append(",\"outcome\":").append(quote(outcome)).append("}}");
        }
        List<Flow> flows = trace.flows();
        for (int i = 0; i < flows.size(); i++) {
            Flow f = flows.get(i);
            double at = us(f.at());
            sb.append(",\n{\"name\":").append(quote(f.label())).append(",\"cat\":\"message\",\"ph\":\"s\",\"id\":").append(i + 1)
                    .append(",\"ts\":").append(num(at)).append(",\"pid\":").append(PID).append(",\"tid\":").append(tid(f.from())).append('}');
            sb.append(",\n{\"name\":").append(quote(f.label())).append(",\"cat\":\"message\",\"ph\":\"f\",\"bp\":\"e\",\"id\":").append(i + 1)
                    .append(",\"ts\":").append(num(at)).append(",\"pid\":").append(PID).append(",\"tid\":").append(tid(f.to())).append('}');
        }
        return sb.append("\n]}\n").toString();
    }

    /** A task's track: its id plus one (tid 0 is the process's). */
    private static int tid(int task) {
        return task + 1;
    }

    private static double us(long nanos) {
        return nanos / 1_000.0;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
