package io.capipc.servers;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.io.PrintStream;
import java.time.Duration;

/** The client/server example of README.md, verbatim between the markers; ReadmeExampleTest checks both. */
final class ReadmeExample {
    private ReadmeExample() {}

    static void run(PrintStream out) throws InterruptedException {
        // README:begin
        Kernel kernel = new Kernel();
        ObjectHandle ep = kernel.createEndpoint();
        SpaceHandle serverSpace = kernel.createSpace("server", 4);
        SpaceHandle clientSpace = kernel.createSpace("client", 4);
        kernel.install(serverSpace, 0, ep, Rights.READ, 0);
        kernel.install(clientSpace, 0, ep, Rights.WRITE, 42); // badge 42 names this client

        ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        rt.start(kernel.createTask(serverSpace, "server"), sys -> {
            if (sys.recv(0) == Status.OK) {                     // wait for a message on slot 0
                long sum = sys.ipc().mr(0) + sys.ipc().badge(); // the badge cannot be forged
                sys.ipc().setMr(0, sum);
                Status s = sys.reply(MessageInfo.of(0, 1));     // answer with one register
                if (s != Status.OK) {                           // a refusal says which check refused it
                    throw new IllegalStateException(sys.ipc().reason().render());
                }
            }
        });
        rt.start(kernel.createTask(clientSpace, "client"), sys -> {
            sys.ipc().setMr(0, 1);
            Status s = sys.call(0, MessageInfo.of(7, 1));       // label 7, one register
            out.println(s + " " + sys.ipc().mr(0));             // prints "OK 43"
        });
        boolean ended = rt.awaitTermination(Duration.ofSeconds(5));
        // README:end
    }
}
