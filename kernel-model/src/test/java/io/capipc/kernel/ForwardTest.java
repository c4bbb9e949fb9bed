package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import io.capipc.kernel.DeterministicDriver;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forward (docs/semantics.md §5.1; QNX MsgForward): a Call handed on, answered straight to its caller. */
class ForwardTest {
    private static final int IN = 0;
    private static final int OUT = 1;
    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle front = kernel.createEndpoint();
    private final ObjectHandle middle = kernel.createEndpoint();
    private final ObjectHandle back = kernel.createEndpoint();
    private final TaskHandle client = task("client", null, front, Rights.WRITE, 1);
    private final TaskHandle s1 = task("s1", front, middle, Rights.WRITE, 20);
    private final TaskHandle s2 = task("s2", middle, back, Rights.WRITE, 30);
    private final TaskHandle s3 = task("s3", back, null, 0, 0);

    /** A started task receiving on {@code in} (slot IN) and holding {@code out} (slot OUT) with a badge. */
    private TaskHandle task(String name, ObjectHandle in, ObjectHandle out, int outRights, long badge) {
        SpaceHandle s = kernel.createSpace(name, 4);
        if (in != null) {
            kernel.install(s, IN, in, Rights.READ, 0);
        }
        if (out != null) {
            kernel.install(s, in == null ? IN : OUT, out, outRights, badge);
        }
        TaskHandle t = kernel.createTask(s, name);
        d.start(t);
        return t;
    }

    @Test
    void forward_chainThroughThreeServers_lastOneAnswersTheOriginalCaller() {
        assertEquals(Outcome.BLOCKED, d.recv(s1, IN));
        assertEquals(Outcome.BLOCKED, d.recv(s2, IN));
        assertEquals(Outcome.BLOCKED, d.recv(s3, IN));
        d.ipc(client).setMr(0, 5);
        assertEquals(Outcome.BLOCKED, d.call(client, IN, MessageInfo.of(1, 1)));
        d.ipc(s1).setMr(0, 50);
        assertEquals(Outcome.OK, d.forward(s1, OUT, MessageInfo.of(2, 1)));
        assertEquals(Kind.CALL, d.ipc(s2).kind());
        assertEquals(20, d.ipc(s2).badge(), "the next server sees the forwarder's badge");
        assertEquals(50, d.ipc(s2).mr(0), "the caller's registers were replaced by the forwarder's");
        d.ipc(s2).setMr(0, 500);
        assertEquals(Outcome.OK, d.forward(s2, OUT, MessageInfo.of(3, 1)));
        assertEquals(30, d.ipc(s3).badge());
        assertEquals(client.id(), kernel.inspect().task(s3.id()).holdsContextOf());
        assertEquals(-1, kernel.inspect().task(s1.id()).holdsContextOf());
        d.ipc(s3).setMr(0, 42);
        assertEquals(Outcome.OK, d.reply(s3, MessageInfo.of(0, 1)));
        assertEquals(Status.OK, d.ipc(client).status());
        assertEquals(Kind.REPLY, d.ipc(client).kind());
        assertEquals(42, d.ipc(client).mr(0));
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void forward_noReceiverWaiting_callerQueuedAsCallThroughForwardersCapability() {
        assertEquals(Outcome.BLOCKED, d.recv(s1, IN));
        assertEquals(Outcome.BLOCKED, d.call(client, IN, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, d.forward(s1, OUT, MessageInfo.of(2, 0)));
        KernelView.TaskView c = kernel.inspect().task(client.id());
        assertEquals(TaskState.BLOCKED_ON_SEND, c.state());
        assertEquals(true, c.isCall());
        assertEquals(middle.id(), c.blockedOn());
        assertEquals(s1.space().id(), c.sendSpace());
        assertEquals(Outcome.OK, d.recv(s2, IN));
        assertEquals(client.id(), kernel.inspect().task(s2.id()).holdsContextOf());
        assertEquals(Outcome.OK, d.reply(s2, MessageInfo.of(0, 0)));
        assertEquals(Status.OK, d.ipc(client).status());
    }

    @Test
    void forward_buffersPassThrough_nextServerReadsAndWritesCallerMemory() {
        byte[] answer = new byte[4];
        assertEquals(Outcome.BLOCKED, d.recv(s1, IN));
        assertEquals(Outcome.BLOCKED, d.recv(s2, IN));
        assertEquals(Outcome.BLOCKED, d.call(client, IN, MessageInfo.of(1, 0), MemorySegment.ofArray(new byte[] {1, 2, 3}), MemorySegment.ofArray(answer)));
        assertEquals(Outcome.OK, d.forward(s1, OUT, MessageInfo.of(7, 0)));
        assertEquals(Outcome.NO_CALLER, d.read(s1, 0, MemorySegment.ofArray(new byte[3])), "the forwarder let go");
        byte[] got = new byte[3];
        assertEquals(Outcome.OK, d.read(s2, 0, MemorySegment.ofArray(got)));
        assertArrayEquals(new byte[] {1, 2, 3}, got);
        assertEquals(Outcome.OK, d.write(s2, 1, MemorySegment.ofArray(new byte[] {9, 9})));
        assertEquals(Outcome.OK, d.callerInfo(s2));
        assertEquals(20, d.ipc(s2).callerBadge());
        assertEquals(7, d.ipc(s2).callerLabel());
        assertEquals(Outcome.OK, d.reply(s2, MessageInfo.of(0, 0)));
        assertArrayEquals(new byte[] {0, 9, 9, 0}, answer);
    }

    @Test
    void forward_refusals_inSpecOrderAndContextKept() {
        assertEquals(Outcome.NO_CALLER, d.forward(s1, OUT, MessageInfo.of(0, 0)));
        assertEquals(Outcome.BLOCKED, d.recv(s1, IN));
        assertEquals(Outcome.BLOCKED, d.call(client, IN, MessageInfo.of(1, 0)));
        KernelView before = kernel.inspect();
        assertEquals(Outcome.INVALID_ARGUMENT, d.forward(s1, OUT, MessageInfo.pack(0, 0, 1, false)));
        assertEquals(Outcome.INVALID_ARGUMENT, d.forward(s1, 9, MessageInfo.of(0, 0)));
        assertEquals(Outcome.INVALID_CAPABILITY, d.forward(s1, 3, MessageInfo.of(0, 0)));
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.forward(s1, IN, MessageInfo.of(0, 0)), "IN is READ only");
        assertEquals(before, kernel.inspect());
    }

    @Test
    void forward_forwardersCapabilityDeletedWhileQueued_callerReleasedWithRevoked() {
        assertEquals(Outcome.BLOCKED, d.recv(s1, IN));
        assertEquals(Outcome.BLOCKED, d.call(client, IN, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, d.forward(s1, OUT, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, d.delete(s1, OUT));
        assertEquals(Status.REVOKED, d.ipc(client).status());
        assertEquals(TaskState.RUNNING, kernel.inspect().task(client.id()).state());
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void reply_afterForward_isANoOpForTheForwarder() {
        assertEquals(Outcome.BLOCKED, d.recv(s1, IN));
        assertEquals(Outcome.BLOCKED, d.recv(s2, IN));
        assertEquals(Outcome.BLOCKED, d.call(client, IN, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, d.forward(s1, OUT, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, d.reply(s1, MessageInfo.of(0, 0)));
        assertEquals(TaskState.BLOCKED_ON_REPLY, kernel.inspect().task(client.id()).state(), "only s2 can answer now");
    }
}
