package io.capipc.servers;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.run.ThreadedRuntime;
import java.io.PrintStream;
import java.time.Duration;

/** The client/server example of README.md, verbatim between the markers; ReadmeExampleTest checks both. */
final class ReadmeExample {
    private ReadmeExample() {}

    static void run(PrintStream out) throws InterruptedException {
        // README:begin
        Kernel kernel = new Kernel();
        Endpoint ep = kernel.createEndpoint();
        Space serverSpace = kernel.createSpace("server", 4);
        Space clientSpace = kernel.createSpace("client", 4);
        kernel.install(serverSpace, 0, ep, Rights.READ, 0);
        kernel.install(clientSpace, 0, ep, Rights.WRITE, 42); // badge 42 names this client

        ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        rt.start(kernel.createTask(serverSpace, "server"), sys -> {
            sys.recv(0);                                        // wait for a message on slot 0
            long sum = sys.ipc().mr(0) + sys.ipc().badge();     // the badge cannot be forged
            sys.ipc().setMr(0, sum);
            sys.reply(MessageInfo.of(0, 1));                    // answer with one register
        });
        rt.start(kernel.createTask(clientSpace, "client"), sys -> {
            sys.ipc().setMr(0, 1);
            Status s = sys.call(0, MessageInfo.of(7, 1));       // label 7, one register
            out.println(s + " " + sys.ipc().mr(0));             // prints "OK 43"
        });
        rt.awaitTermination(Duration.ofSeconds(5));
        // README:end
    }
}
