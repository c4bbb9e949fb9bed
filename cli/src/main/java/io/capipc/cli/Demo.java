package io.capipc.cli;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.servers.ServerLoop;
import io.capipc.servers.upper.UpperCaseServer;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo system: an upper-case server, three clients Calling it with send and receive buffers, and
 * an init task that stops the server once every client has reported done. Every task talks only
 * through capabilities installed at boot: each client holds a WRITE capability to the server's
 * endpoint minted with its own badge, so the server knows who calls without trusting the message.
 */
final class Demo {
    /** Slot of the server's endpoint in every space. */
    static final int SERVICE = 0;
    /** Slot of init's endpoint, where clients report done. */
    static final int INIT = 1;
    private static final int DONE = 9;
    private static final String[] TEXTS = {
        "hello from client one", "capabilities name what you may do", "reply, then wait: the fast path"
    };

    private final PrintStream out;
    private final ThreadedRuntime.Threads threads;
    private final int callsPerClient;
    private final boolean trace;
    private final Observers observers;

    Demo(PrintStream out, ThreadedRuntime.Threads threads, int callsPerClient, boolean trace) {
        this(out, threads, callsPerClient, trace, new Observers());
    }

    Demo(PrintStream out, ThreadedRuntime.Threads threads, int callsPerClient, boolean trace, Observers observers) {
        this.out = out;
        this.threads = threads;
        this.callsPerClient = callsPerClient;
        this.trace = trace;
        this.observers = observers;
    }

    /** Runs the system to the end; returns 0 if every task did what it should, else 1. */
    int run() throws InterruptedException {
        Kernel kernel = new Kernel();
        TracePrinter printer = new TracePrinter(out);
        observers.attach(kernel, trace ? printer : null);
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads);
        ObjectHandle service = kernel.createEndpoint();
        ObjectHandle init = kernel.createEndpoint();
        out.printf("capipc demo: 1 upper-case server, %d clients x %d calls, %s threads%n%n",
                TEXTS.length, callsPerClient, threads.name().toLowerCase());

        SpaceHandle serverSpace = kernel.createSpace("server", 4);
        kernel.install(serverSpace, SERVICE, service, Rights.READ, 0);
        UpperCaseServer upper = new UpperCaseServer(16);
        Status[] serverEnd = new Status[1];
        rt.start(kernel.createTask(serverSpace, "server"), sys -> serverEnd[0] = ServerLoop.serve(sys, SERVICE, upper));

        AtomicLong mismatches = new AtomicLong();
        List<TaskHandle> clients = new ArrayList<>();
        for (int c = 0; c < TEXTS.length; c++) {
            String name = "client-" + (c + 1);
            SpaceHandle space = kernel.createSpace(name, 4);
            kernel.install(space, SERVICE, service, Rights.WRITE, c + 1);
            kernel.install(space, INIT, init, Rights.WRITE, c + 1);
            TaskHandle task = kernel.createTask(space, name);
            clients.add(task);
            String text = TEXTS[c];
            rt.start(task, sys -> {
                byte[] answer = new byte[64];
                MemorySegment send = MemorySegment.ofArray(text.getBytes(StandardCharsets.US_ASCII));
                MemorySegment recv = MemorySegment.ofArray(answer);
                for (int i = 0; i < callsPerClient; i++) {
                    Status s = sys.call(SERVICE, MessageInfo.of(UpperCaseServer.UPPER, 0), send, recv);
                    String got = new String(answer, 0, (int) sys.ipc().mr(0), StandardCharsets.US_ASCII);
                    if (s != Status.OK || !got.equals(text.toUpperCase())) {
                        mismatches.incrementAndGet();
                    }
                }
                require(sys.send(INIT, MessageInfo.of(DONE, 0)), "a client's DONE");
            });
        }

        SpaceHandle initSpace = kernel.createSpace("init", 4);
        kernel.install(initSpace, INIT, init, Rights.READ, 0);
        kernel.install(initSpace, SERVICE, service, Rights.WRITE, 0);
        rt.start(kernel.createTask(initSpace, "init"), sys -> {
            for (int i = 0; i < TEXTS.length; i++) {
                require(sys.recv(INIT), "init's Recv");
            }
            require(sys.send(SERVICE, MessageInfo.of(UpperCaseServer.STOP, 0)), "init's STOP");
        });

        long t0 = System.nanoTime();
        boolean finished = rt.awaitTermination(Duration.ofSeconds(60));
        long micros = (System.nanoTime() - t0) / 1_000;
        List<String> broken = kernel.invariantViolations();
        summary(kernel, upper, finished, micros, mismatches.get(), serverEnd[0], broken, rt, printer);
        observers.finish(kernel, out);
        boolean ok = finished && mismatches.get() == 0 && serverEnd[0] == Status.OK && broken.isEmpty()
                && rt.failures().isEmpty() && upper.requests() == (long) TEXTS.length * callsPerClient;
        out.println(ok ? "\nresult: OK" : "\nresult: FAILED");
        return ok ? 0 : 1;
    }

    /** A task body's unexpected status becomes a task failure, which the summary reports. */
    private static void require(Status s, String what) {
        if (s != Status.OK) {
            throw new IllegalStateException(what + " returned " + s);
        }
    }

    private void summary(Kernel kernel, UpperCaseServer upper, boolean finished, long micros, long mismatches,
                         Status serverEnd, List<String> broken, ThreadedRuntime rt, TracePrinter printer) {
        out.printf("%nsummary%n");
        out.printf("  all tasks ended:      %s (%,d us)%n", finished, micros);
        out.printf("  calls answered:       %d of %d%n", upper.requests(), (long) TEXTS.length * callsPerClient);
        out.printf("  bytes upper-cased:    %d%n", upper.bytes());
        out.printf("  wrong answers:        %d%n", mismatches);
        out.printf("  server loop ended:    %s%n", serverEnd);
        out.printf("  task failures:        %s%n", rt.failures().isEmpty() ? "none" : rt.failures());
        out.printf("  kernel invariants:    %s%n", broken.isEmpty() ? "all hold" : broken);
        if (trace) {
            out.printf("  trace lines:          %d%n", printer.lines());
        }
        out.printf("  final task states:   ");
        kernel.inspect().tasks().forEach(t -> out.printf(" %s=%s", t.name(), t.state()));
        out.println();
    }
}
