package io.capipc.examples;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.servers.Caller;
import io.capipc.servers.IpcException;
import io.capipc.servers.Server;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A typed interface moves a capability ({@code @Cap(move = true)}, docs/semantics.md §12.1), on both
 * runtimes: the client's region goes to the server in the call and comes back in the reply; while
 * the server holds it the client's slot is empty and its old view refuses access.
 */
class MoveTest {
    private static final int EP = 0;
    private static final int BLOCK = 1;

    static List<String> runtimes() {
        return Harness.runtimes();
    }

    /** The server: maps the block it was given, doubles its first long, gives it back. */
    static final class Doubler implements BlocksServer {
        private final Syscalls sys;

        Doubler(Syscalls sys) {
            this.sys = sys;
        }

        @Override
        public int doubled(Caller caller, int block) throws IpcException {
            if (sys.map(block) != Status.OK) {
                throw IpcException.of(Blocks.Error.UNMAPPABLE);
            }
            MemorySegment bytes = sys.ipc().mapping();
            bytes.set(JAVA_LONG, 0, bytes.get(JAVA_LONG, 0) * 2);
            return block;
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aRegionMovedThereAndBack_throughTheGeneratedStub(String runtime) throws Exception {
        long[] seen = new long[2];
        boolean[] oldViewAlive = {true};
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle ep = h.kernel().createEndpoint();
            SpaceHandle server = h.kernel().createSpace("doubler", 4);
            h.kernel().install(server, EP, ep, Rights.READ | Rights.GRANT, 0);
            h.start(h.kernel().createTask(server, "doubler"), sys -> {
                Status unused = Server.builder(EP, new BlocksDispatcher(new Doubler(sys))).receiveSlots(BLOCK).build().serve(sys);
            });
            SpaceHandle space = h.kernel().createSpace("client", 4);
            h.kernel().install(space, EP, ep, Rights.WRITE | Rights.GRANT, 1);
            h.kernel().install(space, BLOCK, h.kernel().createRegion(1 << 20), Rights.ALL, 0);
            TaskHandle client = h.kernel().createTask(space, "client");
            h.start(client, sys -> {
                if (sys.map(BLOCK) != Status.OK) {
                    throw new AssertionError("map: " + sys.ipc().reason());
                }
                MemorySegment mine = sys.ipc().mapping();
                mine.set(JAVA_LONG, 0, 21);
                BlocksClient blocks = new BlocksClient(sys, EP).receiveSlot(BLOCK);
                try {
                    int back = blocks.doubled(BLOCK);
                    oldViewAlive[0] = mine.scope().isAlive();
                    if (sys.map(back) != Status.OK) {
                        throw new AssertionError("map again: " + sys.ipc().reason());
                    }
                    seen[0] = back;
                    seen[1] = sys.ipc().mapping().get(JAVA_LONG, 0);
                } catch (IpcException e) {
                    throw new AssertionError(e);
                }
            });
            h.awaitEnded(client);
        }
        assertEquals(BLOCK, seen[0], "the block came back to its slot");
        assertEquals(42, seen[1]);
        assertFalse(oldViewAlive[0], "the view made before the move ended with it");
    }
}
