package io.capipc.cli;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.inspect.WaitEdge;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code capipc demo --deadlock}: two servers that, to answer a Call, each Call the other. A client's
 * Call locks them up; the kernel reports the deadlock as data (docs/semantics.md guarantee 12), and this prints it.
 */
final class DeadlockDemo {
    private static final int OWN = 0;
    private static final int PEER = 1;

    private final PrintStream out;
    private final ThreadedRuntime.Threads threads;
    private final Observers observers;

    DeadlockDemo(PrintStream out, ThreadedRuntime.Threads threads) {
        this(out, threads, new Observers());
    }

    DeadlockDemo(PrintStream out, ThreadedRuntime.Threads threads, Observers observers) {
        this.out = out;
        this.threads = threads;
        this.observers = observers;
    }

    /** Returns 0 once the deadlock is reported, 1 if it is not within 10 seconds. */
    int run() throws InterruptedException {
        Kernel kernel = new Kernel();
        observers.attach(kernel, null);
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads);
        ObjectHandle a = kernel.createEndpoint();
        ObjectHandle b = kernel.createEndpoint();
        Map<Integer, String> names = new HashMap<>();
        names.put(a.id(), "endpoint A");
        names.put(b.id(), "endpoint B");
        names.put(-1, "its caller context");
        for (String n : List.of("A", "B")) {
            SpaceHandle s = kernel.createSpace("server-" + n, 2);
            kernel.install(s, OWN, n.equals("A") ? a : b, Rights.READ, 0);
            kernel.install(s, PEER, n.equals("A") ? b : a, Rights.WRITE, 0);
            var task = kernel.createTask(s, "server-" + n);
            names.put(task.id(), task.name());
            // To answer any Call, first Call the other server: the bug this demo shows.
            // The statuses do not matter: the servers never get past the Call.
            rt.start(task, sys -> {
                var _ = sys.recv(OWN);
                var _ = sys.call(PEER, MessageInfo.of(1, 0));
                var _ = sys.reply(MessageInfo.of(0, 0));
            });
        }
        SpaceHandle cs = kernel.createSpace("client", 2);
        kernel.install(cs, OWN, a, Rights.WRITE, 1);
        var client = kernel.createTask(cs, "client");
        names.put(client.id(), client.name());
        rt.start(client, sys -> {
            var _ = sys.call(OWN, MessageInfo.of(1, 0));
        });

        out.println("capipc demo --deadlock: server-A and server-B each Call the other to answer a Call");
        List<Integer> dead = List.of();
        for (int i = 0; i < 1000 && dead.size() < 3; i++) {
            Thread.sleep(10);
            dead = kernel.deadlocked();
        }
        out.println("\nblocked-on graph (waiter -> through -> who could unblock it):");
        for (WaitEdge e : kernel.blockedOnGraph()) {
            out.printf("  %-9s -> %-19s -> %s%n", names.get(e.waiter()), names.get(e.object()), names.get(e.unblocker()));
        }
        out.println("\ndeadlock report: " + (dead.isEmpty() ? "none" : dead.stream().map(names::get).toList()));
        observers.finish(kernel, out);
        return dead.size() == 3 ? 0 : 1;
    }
}
