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

/** The async example of README.md, verbatim between the markers; ReadmeExampleTest checks both. */
final class ReadmeAsyncExample {
    private ReadmeAsyncExample() {}

    static void run(PrintStream out) throws InterruptedException {
        // README:async:begin
        Kernel kernel = new Kernel();
        ObjectHandle ep = kernel.createEndpoint();
        ObjectHandle replies = kernel.createEndpoint();          // where the client's answers arrive
        SpaceHandle serverSpace = kernel.createSpace("server", 4);
        SpaceHandle clientSpace = kernel.createSpace("client", 4);
        kernel.install(serverSpace, 0, ep, Rights.READ, 0);
        kernel.install(clientSpace, 0, ep, Rights.WRITE, 42);
        kernel.install(clientSpace, 1, replies, Rights.READ, 0);

        ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        rt.start(kernel.createTask(serverSpace, "server"), sys -> {
            for (int i = 0; i < 3 && sys.recv(0) == Status.OK; i++) {   // kind CALL, flag ASYNC
                sys.ipc().setMr(0, sys.ipc().mr(0) * 2);
                if (sys.reply(MessageInfo.of(0, 1)) != Status.OK) {
                    return;
                }
            }
        });
        rt.start(kernel.createTask(clientSpace, "client"), sys -> {
            if (sys.bind(0, 1, 4, 2) != Status.OK) {                 // a port of 4 entries in slot 2
                return;
            }
            for (int i = 1; i <= 3; i++) {
                sys.ipc().setMr(0, i);
                if (sys.asyncCall(2, MessageInfo.of(1, 1)) != Status.OK) { // returns at once
                    return;
                }
            }
            for (int i = 0; i < 3 && sys.recv(1) == Status.OK; i++) {      // kind REPLY, flag ASYNC
                out.println("tag " + sys.ipc().badge() + ": " + sys.ipc().mr(0)); // "tag 1: 2" ...
            }
        });
        boolean ended = rt.awaitTermination(Duration.ofSeconds(5));
        // README:async:end
    }
}
