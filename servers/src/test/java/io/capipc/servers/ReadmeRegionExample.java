package io.capipc.servers;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/** The region example of README.md, verbatim between the markers; ReadmeExampleTest checks it. */
final class ReadmeRegionExample {
    private ReadmeRegionExample() {}

    static void run(PrintStream out) throws InterruptedException {
        // README:region:begin
        Kernel kernel = new Kernel();
        ObjectHandle ep = kernel.createEndpoint();
        ObjectHandle block = kernel.createRegion(64 << 20);           // 64 MiB, zeroed
        SpaceHandle producerSpace = kernel.createSpace("producer", 4);
        SpaceHandle consumerSpace = kernel.createSpace("consumer", 4);
        kernel.install(producerSpace, 0, ep, Rights.WRITE | Rights.GRANT, 0);
        kernel.install(producerSpace, 1, block, Rights.ALL, 0);
        kernel.install(consumerSpace, 0, ep, Rights.READ | Rights.GRANT, 0);

        ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        rt.start(kernel.createTask(consumerSpace, "consumer"), sys -> {
            sys.ipc().setReceiveSlot(0, 1);                        // the block arrives in slot 1
            if (sys.recv(0) != Status.OK || sys.map(1) != Status.OK) {
                return;
            }
            MemorySegment bytes = sys.ipc().mapping();             // the same 64 MiB, not a copy
            bytes.set(JAVA_LONG, bytes.byteSize() - 8, bytes.get(JAVA_LONG, 0) * 2);
            sys.ipc().setCap(0, 1);
            sys.ipc().setMove(0, true);                            // give it back: slot 1 empties
            if (sys.reply(MessageInfo.of(0, 0, 1)) != Status.OK) {
                throw new IllegalStateException(sys.ipc().reason().render());
            }
        });
        rt.start(kernel.createTask(producerSpace, "producer"), sys -> {
            if (sys.map(1) != Status.OK) {
                return;
            }
            MemorySegment mine = sys.ipc().mapping();
            mine.set(JAVA_LONG, 0, 21);
            sys.ipc().setCap(0, 1);
            sys.ipc().setMove(0, true);                            // slot 1 empties, its mapping ends
            sys.ipc().setReceiveSlot(0, 1);                        // and the block comes back there
            if (sys.call(0, MessageInfo.of(0, 0, 1)) != Status.OK || sys.map(1) != Status.OK) {
                return;
            }
            MemorySegment back = sys.ipc().mapping();
            out.println(back.get(JAVA_LONG, back.byteSize() - 8) + " " + mine.scope().isAlive()); // "42 false"
        });
        boolean ended = rt.awaitTermination(Duration.ofSeconds(5));
        // README:region:end
    }
}
