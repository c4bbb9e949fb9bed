package io.capipc.cli;

import io.capipc.kernel.ThreadedRuntime;
import java.io.PrintStream;

/**
 * The capipc command line: {@code capipc demo [--virtual] [--calls N] [--no-trace] [--deadlock]}, and
 * what to record besides ({@link Observers}: {@code --jfr}, {@code --trace-out}, {@code --mermaid}, {@code --dot}).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length == 0 || !args[0].equals("demo")) {
            err.println("usage: capipc demo [--virtual] [--calls N] [--no-trace] [--deadlock]");
            return 2;
        }
        ThreadedRuntime.Threads threads = ThreadedRuntime.Threads.PLATFORM;
        int calls = 2;
        boolean trace = true;
        boolean deadlock = false;
        Observers observers = new Observers();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--virtual" -> threads = ThreadedRuntime.Threads.VIRTUAL;
                case "--no-trace" -> trace = false;
                case "--deadlock" -> deadlock = true;
                case "--calls" -> {
                    if (i + 1 >= args.length || !args[i + 1].matches("[1-9][0-9]{0,6}")) {
                        err.println("--calls needs a number from 1 to 9999999");
                        return 2;
                    }
                    calls = Integer.parseInt(args[++i]);
                }
                default -> {
                    int took = observers.take(args, i);
                    if (took <= 0) {
                        err.println(took < 0 ? args[i] + " needs a file name"
                                : "unknown option '" + args[i] + "'; usage: capipc demo [--virtual] [--calls N] [--no-trace] [--deadlock] "
                                + Observers.usage());
                        return 2;
                    }
                    i += took - 1;
                }
            }
        }
        return deadlock ? new DeadlockDemo(out, threads, observers).run() : new Demo(out, threads, calls, trace, observers).run();
    }
}
