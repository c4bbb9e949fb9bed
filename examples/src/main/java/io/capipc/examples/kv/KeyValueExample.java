// README:begin
package io.capipc.examples.kv;

import io.capipc.api.Rights;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.servers.IpcException;
import io.capipc.servers.Server;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

public final class KeyValueExample {
    public static void run(PrintStream out) throws InterruptedException {
        Kernel kernel = new Kernel();
        ObjectHandle ep = kernel.createEndpoint();
        SpaceHandle serverSpace = kernel.createSpace("kv", 4);
        SpaceHandle clientSpace = kernel.createSpace("client", 4);
        kernel.install(serverSpace, 0, ep, Rights.READ, 0);
        kernel.install(clientSpace, 0, ep, Rights.WRITE, 1);

        ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        Server server = Server.builder(0, new KeyValueDispatcher(new KeyValueStore(100))).build();
        rt.start(kernel.createTask(serverSpace, "kv"), server::serve);
        Thread client = rt.start(kernel.createTask(clientSpace, "client"), sys -> {
            KeyValue kv = new KeyValueClient(sys, 0);            // the generated stub
            kv.put(bytes("colour"), bytes("blue"));              // both lent to the server, read-only
            MemorySegment value = MemorySegment.ofArray(new byte[16]);
            long n = kv.get(bytes("colour"), value);             // the server writes into value
            out.println(new String(value.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            try {
                kv.get(bytes("shape"), value);
            } catch (IpcException e) {                           // the server's answer, or a transport failure
                out.println(e.error() + " " + e.status());       // prints "NOT_FOUND OK"
            }
        });
        client.join();
    }

    private static MemorySegment bytes(String s) {
        return MemorySegment.ofArray(s.getBytes(StandardCharsets.UTF_8));
    }
}
// README:end
