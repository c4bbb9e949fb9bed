package io.capipc.cli;

import io.capipc.kernel.ThreadedRuntime;
import java.io.PrintStream;

/**
 * The capipc command line: {@code capipc demo [options]}; {@code capipc demo --help} lists them. The
 * demo runs the whole system ({@link SystemDemo}); {@code --upper} the first demo, an upper-case
 * server and its clients ({@link Demo}); {@code --deadlock} the deadlock report ({@link DeadlockDemo}); and
 * what to record besides ({@link Observers}: {@code --jfr}, {@code --trace-out}, {@code --mermaid}, {@code --dot}).
 */
public final class Main {
    static final String USAGE = "usage: capipc demo [--virtual] [--calls N] [--clients N] [--no-trace] [--upper] [--deadlock] "
            + Observers.usage() + " [--help]";
    static final String HELP = USAGE + """


            Runs a whole small system on the capipc kernel and checks it: a supervisor over a name server
            and a file server (serving a fresh temporary directory), and clients that look the file server
            up by name, write their own files, read them back, read a shared file, and (client-1) read large
            files by windows of memory-mapped regions. Mid-run the file server crashes holding a client's
            read; the supervisor restarts it and the clients recover. Prints every syscall (the trace),
            then a summary; the exit code is 0 only if every answer was right and every invariant holds.

              --calls N     file operations per client, at least 2 (default 6; with --upper, calls per client, default 2)
              --clients N   clients, 1..14 (default 3)
              --virtual     run every task on a virtual thread instead of a platform thread
              --no-trace    print no trace, only the summary (and a progress line on long runs)
              --upper       the first demo instead: an upper-case server and three clients
              --deadlock    the deadlock demo: two servers calling each other, and the report
              --jfr FILE           record a Flight Recording of capipc's syscall events (docs/observing.md)
              --trace-out FILE     write the trace as Chrome/Perfetto trace-event JSON
              --mermaid FILE       write the trace as a Mermaid sequence diagram, with the blocked-on
                                   graph and the derivation tree at the end
              --dot FILE           write the blocked-on graph and the derivation tree as Graphviz DOT
              --help        this text
            """;

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length == 0 || !args[0].equals("demo")) {
            err.println(USAGE);
            return 2;
        }
        ThreadedRuntime.Threads threads = ThreadedRuntime.Threads.PLATFORM;
        int calls = -1;
        int clients = 3;
        boolean trace = true;
        boolean deadlock = false;
        Observers observers = new Observers();
        boolean upper = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--help" -> {
                    out.print(HELP);
                    return 0;
                }
                case "--virtual" -> threads = ThreadedRuntime.Threads.VIRTUAL;
                case "--no-trace" -> trace = false;
                case "--deadlock" -> deadlock = true;
                case "--upper" -> upper = true;
                case "--calls" -> {
                    if (i + 1 >= args.length || !args[i + 1].matches("[1-9][0-9]{0,6}")) {
                        err.println("--calls needs a number from 1 to 9999999");
                        return 2;
                    }
                    calls = Integer.parseInt(args[++i]);
                }
                case "--clients" -> {
                    if (i + 1 >= args.length || !args[i + 1].matches("[1-9][0-9]?")
                            || Integer.parseInt(args[i + 1]) > io.capipc.system.SystemImage.MAX_CLIENTS) {
                        err.println("--clients needs a number from 1 to " + io.capipc.system.SystemImage.MAX_CLIENTS);
                        return 2;
                    }
                    clients = Integer.parseInt(args[++i]);
                }
                default -> {
                    int took = observers.take(args, i);
                    if (took <= 0) {
                        err.println(took < 0 ? args[i] + " needs a file name" : "unknown option '" + args[i] + "'; " + USAGE);
                        return 2;
                    }
                    i += took - 1;
                }
            }
        }
        if (deadlock) {
            return new DeadlockDemo(out, threads, observers).run();
        }
        if (!upper && calls == 1) {
            // Each client's first operation writes; the file server's crash is injected into a read.
            err.println("--calls needs at least 2 for the system demo: the file server crashes on a read, and each client's first operation is a write");
            return 2;
        }
        if (upper) {
            return new Demo(out, threads, calls < 0 ? 2 : calls, trace, observers).run();
        }
        return new SystemDemo(out, threads, clients, calls < 0 ? 6 : calls, trace, observers).run();
    }
}
