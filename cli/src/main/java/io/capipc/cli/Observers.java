package io.capipc.cli;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Status;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.Tracer;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallClass;
import io.capipc.kernel.inspect.SyscallName;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.Recording;
import org.jspecify.annotations.Nullable;

/**
 * What {@code capipc demo} records besides its printed trace, chosen by options (docs/observing.md):
 * a Flight Recorder file with capipc's events ({@code --jfr}), the trace as Chrome/Perfetto
 * trace-event JSON ({@code --trace-out}), the trace, the blocked-on graph and the derivation tree as
 * Mermaid ({@code --mermaid}) and the two graphs as Graphviz DOT ({@code --dot}). A demo calls
 * {@link #attach} when its kernel is built and {@link #finish} when its system has run (or, for the
 * deadlock demo, locked up: the graphs are the kernel's state then).
 */
final class Observers {
    private @Nullable Path jfr;
    private @Nullable Path traceOut;
    private @Nullable Path mermaid;
    private @Nullable Path dot;
    private @Nullable Recording recording;
    private @Nullable TraceRecorder recorder;

    /**
     * Takes {@code args[i]} if it is one of this class's options (with its value, {@code args[i + 1]});
     * returns how many arguments it took: 0 (not an option of this class), 2, or -1 (no value).
     */
    int take(String[] args, int i) {
        if (!args[i].equals("--jfr") && !args[i].equals("--trace-out") && !args[i].equals("--mermaid") && !args[i].equals("--dot")) {
            return 0;
        }
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            return -1;
        }
        Path p = Path.of(args[i + 1]);
        switch (args[i]) {
            case "--jfr" -> jfr = p;
            case "--trace-out" -> traceOut = p;
            case "--mermaid" -> mermaid = p;
            default -> dot = p;
        }
        return 2;
    }

    /** The options' usage text. */
    static String usage() {
        return "[--jfr FILE.jfr] [--trace-out FILE.json] [--mermaid FILE.md] [--dot FILE.dot]";
    }

    /** Starts the recording and installs the tracer {@code printer} (null: none) and, if needed, the recorder. */
    void attach(Kernel kernel, @Nullable Tracer printer) {
        if (jfr != null) {
            Recording r = new Recording();
            for (SyscallClass c : SyscallClass.values()) {
                r.enable(c.eventName());
            }
            r.start();
            recording = r;
        }
        if (traceOut != null || mermaid != null) {
            recorder = new TraceRecorder();
        }
        Tracer both = tee(printer, recorder);
        if (both != null) {
            kernel.tracer(both);
        }
    }

    /** Writes the files asked for, and says where on {@code out}. */
    void finish(Kernel kernel, PrintStream out) {
        try {
            Recording r = recording;
            if (r != null && jfr != null) {
                r.stop();
                r.dump(jfr);
                r.close();
                out.println("  flight recording:     " + jfr);
            }
            TraceRecorder rec = recorder;
            if (rec != null && traceOut != null) {
                Files.writeString(traceOut, TraceEventJson.render(rec), StandardCharsets.UTF_8);
                out.println("  trace-event JSON:     " + traceOut);
            }
            KernelView view = kernel.inspect();
            var blocked = KernelGraphs.blockedOn(view, kernel.blockedOnGraph());
            var tree = KernelGraphs.derivationTree(view);
            if (mermaid != null) {
                String md = "# capipc demo\n\n## Sequence\n\n```mermaid\n" + (rec == null ? "sequenceDiagram\n" : MermaidTrace.render(rec))
                        + "```\n\n## Blocked-on graph (at the end)\n\n```mermaid\n" + KernelGraphs.mermaid(blocked)
                        + "```\n\n## Derivation tree (at the end)\n\n```mermaid\n" + KernelGraphs.mermaid(tree) + "```\n";
                Files.writeString(mermaid, md, StandardCharsets.UTF_8);
                out.println("  Mermaid:              " + mermaid);
            }
            if (dot != null) {
                Files.writeString(dot, KernelGraphs.dot("blocked_on", blocked) + KernelGraphs.dot("derivation_tree", tree),
                        StandardCharsets.UTF_8);
                out.println("  Graphviz DOT:         " + dot);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static @Nullable Tracer tee(@Nullable Tracer a, @Nullable Tracer b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return new Tracer() {
            @Override
            public void syscall(TaskHandle task, IpcBuffer ipc, SyscallName op, long x, long y, Outcome outcome) {
                a.syscall(task, ipc, op, x, y, outcome);
                b.syscall(task, ipc, op, x, y, outcome);
            }

            @Override
            public void completed(TaskHandle task, IpcBuffer ipc, Status status) {
                a.completed(task, ipc, status);
                b.completed(task, ipc, status);
            }
        };
    }
}
