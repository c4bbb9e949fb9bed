package io.capipc.servers.upper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskBody;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.servers.ServerLoop;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpperCaseServerTest {
    private final Kernel kernel = new Kernel();
    private final ObjectHandle ep = kernel.createEndpoint();
    private final ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.VIRTUAL);
    private final UpperCaseServer upper = new UpperCaseServer(4);

    /** Runs the server (chunk 4) against one client body, which must end by sending STOP. */
    private void run(TaskBody client) throws InterruptedException {
        SpaceHandle s = kernel.createSpace("server", 2);
        kernel.install(s, 0, ep, Rights.READ, 0);
        rt.start(kernel.createTask(s, "server"), sys -> ServerLoop.serve(sys, 0, upper));
        SpaceHandle c = kernel.createSpace("client", 2);
        kernel.install(c, 0, ep, Rights.WRITE, 1);
        Status[] stop = new Status[1];
        rt.start(kernel.createTask(c, "client"), sys -> {
            client.run(sys);
            stop[0] = sys.send(0, MessageInfo.of(UpperCaseServer.STOP, 0));
        });
        assertTrue(rt.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(Status.OK, stop[0]);
        assertEquals(java.util.Map.of(), rt.failures());
    }

    @Test
    void upper_textLongerThanChunk_convertedWhole() throws Exception {
        byte[] answer = new byte[11];
        long[] mr0 = new long[1];
        run(sys -> {
            Status s = sys.call(0, MessageInfo.of(UpperCaseServer.UPPER, 0),
                    MemorySegment.ofArray("abc-Def xyz".getBytes(StandardCharsets.US_ASCII)), MemorySegment.ofArray(answer));
            assertEquals(Status.OK, s);
            mr0[0] = sys.ipc().mr(0);
        });
        assertEquals("ABC-DEF XYZ", new String(answer, StandardCharsets.US_ASCII));
        assertEquals(11, mr0[0]);
        assertEquals(1, upper.requests());
        assertEquals(11, upper.bytes());
    }

    @Test
    void upper_receiveBufferShorterThanText_writesWhatFits() throws Exception {
        byte[] answer = new byte[6];
        long[] mr0 = new long[1];
        Status[] call = new Status[1];
        run(sys -> {
            call[0] = sys.call(0, MessageInfo.of(UpperCaseServer.UPPER, 0),
                    MemorySegment.ofArray("abcdefghij".getBytes(StandardCharsets.US_ASCII)), MemorySegment.ofArray(answer));
            mr0[0] = sys.ipc().mr(0);
        });
        assertEquals(Status.OK, call[0]);
        assertEquals("ABCDEF", new String(answer, StandardCharsets.US_ASCII));
        assertEquals(6, mr0[0]);
    }

    @Test
    void upper_unknownLabel_repliesFailed() throws Exception {
        int[] label = new int[1];
        Status[] call = new Status[1];
        run(sys -> {
            call[0] = sys.call(0, MessageInfo.of(42, 0));
            label[0] = sys.ipc().label();
        });
        assertEquals(Status.OK, call[0]);
        assertEquals(UpperCaseServer.FAILED, label[0]);
        assertEquals(0, upper.requests());
    }

    @Test
    void constructor_chunkBelowOne_throws() {
        assertThrows(IllegalArgumentException.class, () -> new UpperCaseServer(0));
    }
}
