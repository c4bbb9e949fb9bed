package io.capipc.servers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ServerLoopTest {
    private final Kernel kernel = new Kernel();
    private final ObjectHandle ep = kernel.createEndpoint();
    private final ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);

    private SpaceHandle space(String name, int rights, long badge) {
        SpaceHandle s = kernel.createSpace(name, 2);
        kernel.install(s, 0, ep, rights, badge);
        return s;
    }

    @Test
    void serve_callsAndSends_answersCallsAndStopsOnStop() throws Exception {
        CopyOnWriteArrayList<Kind> kinds = new CopyOnWriteArrayList<>();
        Status[] end = new Status[1];
        rt.start(kernel.createTask(space("server", Rights.READ, 0), "server"), sys -> end[0] = ServerLoop.serve(sys, 0, s -> {
            kinds.add(s.ipc().kind());
            if (s.ipc().label() == 99) {
                return ServerLoop.STOP;
            }
            s.ipc().setMr(0, s.ipc().mr(0) * 10);
            return MessageInfo.of(0, 1);
        }));
        long[] answer = new long[1];
        Status[] client = new Status[3];
        rt.start(kernel.createTask(space("client", Rights.WRITE, 1), "client"), sys -> {
            client[0] = sys.send(0, MessageInfo.of(5, 0));
            sys.ipc().setMr(0, 4);
            client[1] = sys.call(0, MessageInfo.of(1, 1));
            answer[0] = sys.ipc().mr(0);
            client[2] = sys.send(0, MessageInfo.of(99, 0));
        });
        assertTrue(rt.awaitTermination(Duration.ofSeconds(10)));
        assertArrayEquals(new Status[] {Status.OK, Status.OK, Status.OK}, client);
        assertEquals(Status.OK, end[0]);
        assertEquals(40, answer[0]);
        assertEquals(List.of(Kind.SEND, Kind.CALL, Kind.SEND), List.copyOf(kinds));
    }

    @Test
    void serve_endpointSlotWithoutRead_returnsInsufficientRights() throws Exception {
        Status[] end = new Status[1];
        rt.start(kernel.createTask(space("server", Rights.WRITE, 0), "server"),
                sys -> end[0] = ServerLoop.serve(sys, 0, s -> ServerLoop.STOP));
        assertTrue(rt.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(Status.INSUFFICIENT_RIGHTS, end[0]);
    }
}
