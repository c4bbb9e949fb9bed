package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.api.TaskState;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Async ports (docs/semantics.md §5.5) on the deterministic driver: Bind, AsyncSend, AsyncCall,
 * PortInfo and a Call through a port; delivery in arrival order among synchronous senders; replies
 * and errors on the reply endpoint with their tags; losses counted, always the last of what was
 * sent, and the port revoked after one; capabilities in flight; the refusals in order.
 */
class AsyncPortTest {
    /** In the server's space: the endpoint with READ. */
    private static final int EP = 0;
    /** In the client's space: the endpoint (WRITE, GRANT, badge 7), its reply endpoint (READ), the port. */
    private static final int CLIENT_EP = 0;
    private static final int REPLY = 1;
    private static final int PORT = 2;
    private static final int SPARE = 3;
    private static final long BADGE = 7;

    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle endpoint = kernel.createEndpoint();
    private final ObjectHandle replies = kernel.createEndpoint();
    private final TaskHandle server;
    private final TaskHandle client;
    private final TaskHandle other;

    AsyncPortTest() {
        SpaceHandle ss = kernel.createSpace("server", 8);
        kernel.install(ss, EP, endpoint, Rights.READ | Rights.GRANT, 0);
        server = started(kernel.createTask(ss, "server"));
        SpaceHandle cs = kernel.createSpace("client", 8);
        kernel.install(cs, CLIENT_EP, endpoint, Rights.WRITE | Rights.GRANT, BADGE);
        kernel.install(cs, REPLY, replies, Rights.READ | Rights.WRITE, 0);
        client = started(kernel.createTask(cs, "client"));
        SpaceHandle os = kernel.createSpace("other", 8);
        kernel.install(os, EP, endpoint, Rights.WRITE, 9);
        other = started(kernel.createTask(os, "other"));
    }

    private TaskHandle started(TaskHandle t) {
        d.start(t);
        return t;
    }

    @AfterEach
    void invariantsHold() {
        assertEquals(List.of(), kernel.invariantViolations());
    }

    private void bind(int capacity) {
        assertEquals(Outcome.OK, d.bind(client, CLIENT_EP, REPLY, capacity, PORT));
    }

    private IpcBuffer ipc(TaskHandle t) {
        return d.ipc(t);
    }

    private KernelView.PortView port() {
        return kernel.inspect().ports().getFirst();
    }

    // ---- Bind

    @Test
    void bind_makesAPortCapabilityAndEveryEntryFree() {
        bind(3);
        KernelView v = kernel.inspect();
        KernelView.PortView p = port();
        assertEquals(endpoint.id(), p.endpoint());
        assertEquals(BADGE, p.badge());
        assertEquals(replies.id(), p.replyEndpoint());
        assertEquals(3, p.entries().size());
        assertTrue(p.entries().stream().allMatch(e -> e.phase().equals("FREE")));
        KernelView.SlotView cap = v.space(client.space().id()).slots().stream().filter(s -> s.index() == PORT).findFirst()
                .orElseThrow();
        assertEquals(ObjectType.ASYNC_PORT, cap.type());
        assertEquals(p.id(), cap.objectId());
        assertEquals(3, v.tasks().size(), "carriers are not reported as tasks");
    }

    @Test
    void bind_refusals_inOrder_andNothingChanges() {
        KernelView before = kernel.inspect();
        refused(d.bind(client, CLIENT_EP, REPLY, 0, PORT), Reason.CAPACITY_OUT_OF_RANGE);
        refused(d.bind(client, CLIENT_EP, REPLY, Syscalls.MAX_PORT_CAPACITY + 1, PORT), Reason.CAPACITY_OUT_OF_RANGE);
        refused(d.bind(client, 99, REPLY, 1, PORT), Reason.SLOT_OUT_OF_RANGE);
        refused(d.bind(client, CLIENT_EP, -1, 1, PORT), Reason.REPLY_ENDPOINT_OUT_OF_RANGE);
        refused(d.bind(client, CLIENT_EP, REPLY, 1, 8), Reason.DESTINATION_OUT_OF_RANGE);
        refused(d.bind(client, SPARE, REPLY, 1, PORT), Reason.EMPTY_SLOT);
        refused(d.bind(client, CLIENT_EP, SPARE, 1, PORT), Reason.REPLY_NOT_AN_ENDPOINT);
        refused(server, d.bind(server, EP, EP, 1, 1), Reason.NEEDS_WRITE);
        assertEquals(Outcome.OK, d.copy(client, REPLY, SPARE, Rights.WRITE));
        refused(d.bind(client, CLIENT_EP, SPARE, 1, PORT), Reason.REPLY_NEEDS_READ);
        assertEquals(Outcome.OK, d.delete(client, SPARE));
        refused(d.bind(client, CLIENT_EP, REPLY, 1, REPLY), Reason.DESTINATION_OCCUPIED);
        assertEquals(before, kernel.inspect());
    }

    private void refused(Outcome o, Reason r) {
        refused(client, o, r);
    }

    private void refused(TaskHandle who, Outcome o, Reason r) {
        assertEquals(Outcome.of(r.status()), o, r.name());
        assertEquals(r, ipc(who).reason(), r.name());
    }

    // ---- AsyncSend

    @Test
    void asyncSend_toAWaitingReceiver_deliveredAtOnceWithThePortsBadgeAndTheAsyncFlag() {
        bind(2);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        ipc(client).setMr(0, 41);
        ipc(client).setMr(1, 42);
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(3, 2)));
        assertEquals(Status.OK, ipc(server).status());
        long info = ipc(server).info();
        assertEquals(Kind.SEND, MessageInfo.kind(info));
        assertTrue(MessageInfo.isAsync(info));
        assertFalse(MessageInfo.isSystem(info));
        assertEquals(3, MessageInfo.label(info));
        assertEquals(BADGE, ipc(server).badge());
        assertEquals(41, ipc(server).mr(0));
        assertEquals(42, ipc(server).mr(1));
        assertEquals(2, port().entries().stream().filter(e -> e.phase().equals("FREE")).count(), "the entry is free again");
    }

    @Test
    void asyncSend_neverBlocks_aFullPortAnswersWouldBlock_andRegistersAreReadAtTheSyscall() {
        bind(2);
        for (int i = 0; i < 2; i++) {
            ipc(client).setMr(0, 100 + i);
            assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(i, 1)));
            assertEquals(TaskState.RUNNING, d.state(client));
        }
        ipc(client).setMr(0, 999);
        KernelView before = kernel.inspect();
        assertEquals(Outcome.WOULD_BLOCK, d.asyncSend(client, PORT, MessageInfo.of(2, 1)));
        assertEquals(Reason.PORT_FULL, ipc(client).reason());
        assertEquals(before, kernel.inspect());
        for (int i = 0; i < 2; i++) {
            assertEquals(Outcome.OK, d.recv(server, EP));
            assertEquals(i, ipc(server).label());
            assertEquals(100 + i, ipc(server).mr(0), "the registers as they were at AsyncSend");
        }
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(2, 1)), "entries are free again");
    }

    @Test
    void asyncMessages_interleaveWithSynchronousSendersByArrival() {
        bind(4);
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(1, 0)));
        assertEquals(Outcome.BLOCKED, d.send(other, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(3, 0)));
        List<Integer> labels = new ArrayList<>();
        List<Boolean> async = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertEquals(Outcome.OK, d.recv(server, EP));
            labels.add(ipc(server).label());
            async.add(MessageInfo.isAsync(ipc(server).info()));
        }
        assertEquals(List.of(1, 2, 3), labels);
        assertEquals(List.of(true, false, true), async);
        assertEquals(TaskState.RUNNING, d.state(other));
    }

    @Test
    void asyncSend_refusals_inOrder() {
        bind(1);
        KernelView before = kernel.inspect();
        refused(d.asyncSend(client, PORT, MessageInfo.pack(-1, 0, 0, false)), Reason.LABEL_NEGATIVE);
        refused(d.asyncSend(client, PORT, MessageInfo.withAsync(MessageInfo.of(1, 0))), Reason.KIND_OR_RESERVED_BITS);
        refused(d.asyncSend(client, 99, MessageInfo.of(1, 0)), Reason.SLOT_OUT_OF_RANGE);
        refused(d.asyncSend(client, SPARE, MessageInfo.of(1, 0)), Reason.EMPTY_SLOT);
        refused(d.asyncSend(client, CLIENT_EP, MessageInfo.of(1, 0)), Reason.NOT_AN_ASYNC_PORT);
        ipc(client).setCap(0, SPARE);
        refused(d.asyncSend(client, PORT, MessageInfo.of(1, 0, 1)), Reason.TRANSFER_SLOT_UNUSABLE);
        assertEquals(Outcome.OK, d.copy(client, PORT, SPARE, Rights.READ));
        refused(d.asyncSend(client, SPARE, MessageInfo.of(1, 0)), Reason.NEEDS_WRITE);
        assertEquals(Outcome.OK, d.delete(client, SPARE));
        assertEquals(before, kernel.inspect());
    }


    // ---- AsyncCall

    @Test
    void asyncCall_theServerGetsACall_andTheReplyArrivesOnTheReplyEndpointWithTheTag() {
        bind(2);
        ipc(client).setMr(0, 5);
        assertEquals(Outcome.OK, d.asyncCall(client, PORT, MessageInfo.of(8, 1)));
        long tag = ipc(client).tag();
        assertNotEquals(0, tag);
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(Kind.CALL, MessageInfo.kind(ipc(server).info()));
        assertTrue(MessageInfo.isAsync(ipc(server).info()));
        assertEquals(BADGE, ipc(server).badge());
        assertEquals(Outcome.OK, d.callerInfo(server));
        assertEquals(BADGE, ipc(server).callerBadge());
        assertEquals(8, ipc(server).callerLabel());
        ipc(server).setMr(0, ipc(server).mr(0) * 10);
        assertEquals(Outcome.OK, d.reply(server, MessageInfo.of(4, 1)));
        assertEquals(TaskState.RUNNING, d.state(client), "the client never waited");
        assertEquals(Outcome.OK, d.recv(client, REPLY));
        long info = ipc(client).info();
        assertEquals(Kind.REPLY, MessageInfo.kind(info));
        assertTrue(MessageInfo.isAsync(info));
        assertFalse(MessageInfo.isSystem(info));
        assertEquals(4, MessageInfo.label(info));
        assertEquals(tag, ipc(client).badge());
        assertEquals(50, ipc(client).mr(0));
        assertTrue(port().entries().stream().allMatch(e -> e.phase().equals("FREE")));
    }

    @Test
    void asyncCall_tagsNeverRepeat_andTheEntryStaysTakenUntilTheReplyIsReceived() {
        bind(1);
        assertEquals(Outcome.OK, d.asyncCall(client, PORT, MessageInfo.of(1, 0)));
        long first = ipc(client).tag();
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(Outcome.OK, d.reply(server, MessageInfo.of(0, 0)));
        assertEquals(Outcome.WOULD_BLOCK, d.asyncCall(client, PORT, MessageInfo.of(1, 0)), "the reply waits: back-pressure");
        assertEquals(Outcome.OK, d.recv(client, REPLY));
        assertEquals(Outcome.OK, d.asyncCall(client, PORT, MessageInfo.of(1, 0)));
        assertTrue(ipc(client).tag() > first);
    }

    @Test
    void asyncCall_serverReceivesAgainWithoutReplying_errorNoReplyWithTheTag() {
        bind(1);
        assertEquals(Outcome.OK, d.asyncCall(client, PORT, MessageInfo.of(1, 0)));
        long tag = ipc(client).tag();
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertError(tag, Status.NO_REPLY);
    }

    @Test
    void asyncCall_answeredOnTheEndpointItWasSentTo_recvDropsItAndTakesItsOwnNoReplyError() {
        SpaceHandle ss = kernel.createSpace("self", 4);
        kernel.install(ss, 0, endpoint, Rights.READ | Rights.WRITE | Rights.GRANT, 5);
        TaskHandle self = started(kernel.createTask(ss, "self"));
        assertEquals(Outcome.OK, d.bind(self, 0, 0, 1, 1)); // AsyncCalls to E, answered on E
        assertEquals(Outcome.OK, d.asyncCall(self, 1, MessageInfo.of(3, 0)));
        long tag = ipc(self).tag();
        assertEquals(Outcome.OK, d.recv(self, 0));
        assertEquals(Kind.CALL, MessageInfo.kind(ipc(self).info()));
        // The second Recv drops the held AsyncCall: its NO_REPLY error is queued on E, where this Recv
        // takes it at once (it once queued the receiver beside it: an endpoint with both queues).
        assertEquals(Outcome.OK, d.recv(self, 0));
        long info = ipc(self).info();
        assertEquals(Kind.REPLY, MessageInfo.kind(info));
        assertTrue(MessageInfo.isAsync(info) && MessageInfo.isSystem(info));
        assertEquals(Status.NO_REPLY.ordinal(), MessageInfo.label(info));
        assertEquals(tag, ipc(self).badge());
    }

    @Test
    void cancelBadgedSends_ofAPortAnsweredOnItsOwnEndpoint_everyAsyncCallGetsItsError_noneIsTakenForASend() {
        SpaceHandle ss = kernel.createSpace("self", 4);
        kernel.install(ss, 0, endpoint, Rights.ALL, 2); // the port's badge equals the second tag
        TaskHandle self = started(kernel.createTask(ss, "self"));
        assertEquals(Outcome.OK, d.bind(self, 0, 0, 2, 1));
        assertEquals(Outcome.OK, d.asyncCall(self, 1, MessageInfo.of(3, 0)));
        assertEquals(Outcome.OK, d.asyncCall(self, 1, MessageInfo.of(4, 0)));
        // Both queued on E with badge 2; each one cancelled queues its REVOKED error on E with its tag
        // (1, 2) where a badge goes. The error tagged 2 is not a send with badge 2: it stays.
        assertEquals(Outcome.OK, d.cancelBadgedSends(self, 0));
        for (long tag = 1; tag <= 2; tag++) {
            assertEquals(Outcome.OK, d.recv(self, 0));
            long info = ipc(self).info();
            assertEquals(Kind.REPLY, MessageInfo.kind(info));
            assertEquals(Status.REVOKED.ordinal(), MessageInfo.label(info));
            assertEquals(tag, ipc(self).badge());
        }
        assertEquals(Outcome.WOULD_BLOCK, d.nbRecv(self, 0));
    }

    @Test
    void asyncCall_serverDiesHoldingIt_errorPeerDied() {
        bind(1);
        assertEquals(Outcome.OK, d.asyncCall(client, PORT, MessageInfo.of(1, 0)));
        long tag = ipc(client).tag();
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(Outcome.OK, d.exit(server));
        assertError(tag, Status.PEER_DIED);
    }

    private void assertError(long tag, Status why) {
        assertEquals(Outcome.OK, d.recv(client, REPLY));
        long info = ipc(client).info();
        assertEquals(Kind.REPLY, MessageInfo.kind(info));
        assertTrue(MessageInfo.isAsync(info) && MessageInfo.isSystem(info));
        assertEquals(why.ordinal(), MessageInfo.label(info));
        assertEquals(0, MessageInfo.length(info));
        assertEquals(tag, ipc(client).badge());
    }

    // ---- Losses, revocation, destruction

    @Test
    void revokingTheClientsEndpointCapability_dropsWhatIsQueued_countsIt_andTheNextSendIsRevoked() {
        assertEquals(Outcome.OK, d.copy(client, CLIENT_EP, SPARE, Rights.WRITE | Rights.GRANT));
        assertEquals(Outcome.OK, d.bind(client, SPARE, REPLY, 4, PORT));
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, d.asyncCall(client, PORT, MessageInfo.of(2, 0)));
        long tag = ipc(client).tag();
        assertEquals(Outcome.OK, d.revoke(client, CLIENT_EP));
        KernelView.PortView p = port();
        assertEquals(2, p.lost());
        assertTrue(p.revoked());
        assertEquals(List.of(), kernel.inspect().endpoint(endpoint.id()).queued());
        assertError(tag, Status.REVOKED);
        assertEquals(Outcome.REVOKED, d.asyncSend(client, PORT, MessageInfo.of(3, 0)));
        assertEquals(Reason.PORT_REVOKED, ipc(client).reason());
        assertEquals(2, ipc(client).lost());
        assertEquals(Outcome.OK, d.portInfo(client, PORT));
        assertEquals(2, ipc(client).lost());
    }

    @Test
    void cancelBadgedSends_dropsThePortsMessages_andRevokesIt_soLossesAreASuffix() {
        SpaceHandle owner = kernel.createSpace("owner", 4);
        kernel.install(owner, 0, endpoint, Rights.ALL, BADGE);
        TaskHandle o = started(kernel.createTask(owner, "owner"));
        bind(4);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(1, 0)), "delivered to the waiting server");
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(3, 0)));
        assertEquals(Outcome.OK, d.cancelBadgedSends(o, 0));
        assertEquals(2, port().lost());
        assertEquals(Outcome.REVOKED, d.asyncSend(client, PORT, MessageInfo.of(4, 0)), "no message after a loss");
        assertEquals(Outcome.BLOCKED, d.recv(server, EP), "2 and 3 are gone, 4 was refused");
    }

    @Test
    void callThroughThePort_isABarrier_deliveredAfterEverythingQueued() {
        bind(4);
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(2, 0)));
        assertEquals(Outcome.BLOCKED, d.call(client, PORT, MessageInfo.of(3, 0)));
        for (int label = 1; label <= 2; label++) {
            assertEquals(Outcome.OK, d.recv(server, EP));
            assertEquals(label, ipc(server).label());
        }
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(Kind.CALL, MessageInfo.kind(ipc(server).info()));
        assertFalse(MessageInfo.isAsync(ipc(server).info()), "the barrier is the client's own Call");
        assertEquals(BADGE, ipc(server).badge());
        assertEquals(Outcome.OK, d.reply(server, MessageInfo.of(9, 0)));
        assertEquals(Status.OK, ipc(client).status());
        assertEquals(9, ipc(client).label());
    }

    @Test
    void destroyingThePort_queuedEntriesVanish_aTakenCallLeavesItsServerACancelledContext() {
        bind(2);
        assertEquals(Outcome.OK, d.asyncCall(client, PORT, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(Outcome.OK, d.delete(client, PORT));
        assertTrue(port().destroyed());
        assertEquals(List.of(), kernel.inspect().endpoint(endpoint.id()).queued());
        assertEquals(Outcome.CANCELLED, d.callerInfo(server));
        assertEquals(Outcome.OK, d.reply(server, MessageInfo.of(0, 0)), "a reply to a caller that has gone");
        assertEquals(Outcome.WOULD_BLOCK, d.nbRecv(client, REPLY), "no reply and no error comes");
    }

    @Test
    void asyncCall_forwardedToAnotherServer_itsReplyStillReachesTheClient() {
        SpaceHandle fs = kernel.createSpace("front", 4);
        kernel.install(fs, 0, endpoint, Rights.READ, 0);
        ObjectHandle back = kernel.createEndpoint();
        kernel.install(fs, 1, back, Rights.WRITE, 3);
        TaskHandle front = started(kernel.createTask(fs, "front"));
        SpaceHandle bs = kernel.createSpace("back", 4);
        kernel.install(bs, 0, back, Rights.READ, 0);
        TaskHandle backend = started(kernel.createTask(bs, "back"));
        bind(1);
        assertEquals(Outcome.OK, d.asyncCall(client, PORT, MessageInfo.of(1, 0)));
        long tag = ipc(client).tag();
        assertEquals(Outcome.OK, d.recv(front, 0));
        assertEquals(Outcome.OK, d.forward(front, 1, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, d.recv(backend, 0));
        assertEquals(Kind.CALL, MessageInfo.kind(ipc(backend).info()));
        assertEquals(3, ipc(backend).badge(), "the badge of the capability forwarded through");
        assertEquals(Outcome.OK, d.reply(backend, MessageInfo.of(6, 0)));
        assertEquals(Outcome.OK, d.recv(client, REPLY));
        assertEquals(tag, ipc(client).badge());
        assertEquals(6, ipc(client).label());
        assertFalse(MessageInfo.isSystem(ipc(client).info()));
    }

    @Test
    void asyncCall_suspendedAndAnsweredByHandle_replyArrivesWithItsTag() {
        SpaceHandle ss = kernel.createSpace("pooled", 8, 2);
        kernel.install(ss, 0, endpoint, Rights.READ, 0);
        TaskHandle pooled = started(kernel.createTask(ss, "pooled"));
        bind(2);
        assertEquals(Outcome.OK, d.asyncCall(client, PORT, MessageInfo.of(1, 0)));
        long first = ipc(client).tag();
        assertEquals(Outcome.OK, d.asyncCall(client, PORT, MessageInfo.of(2, 0)));
        long second = ipc(client).tag();
        assertEquals(Outcome.OK, d.recv(pooled, 0));
        assertEquals(Outcome.OK, d.suspend(pooled));
        long handle = ipc(pooled).handle();
        assertEquals(Outcome.OK, d.recv(pooled, 0));
        assertEquals(Outcome.OK, d.reply(pooled, MessageInfo.of(20, 0)));
        assertEquals(Outcome.OK, d.reply(pooled, handle, MessageInfo.of(10, 0)));
        assertEquals(Outcome.OK, d.recv(client, REPLY));
        assertEquals(second, ipc(client).badge());
        assertEquals(20, ipc(client).label());
        assertEquals(Outcome.OK, d.recv(client, REPLY));
        assertEquals(first, ipc(client).badge());
        assertEquals(10, ipc(client).label());
    }

    @Test
    void asyncCall_revokedAfterItWasDeliveredAndForwarded_isAnErrorNotALoss() {
        SpaceHandle fs = kernel.createSpace("front", 4);
        kernel.install(fs, 0, endpoint, Rights.READ, 0);
        ObjectHandle back = kernel.createEndpoint();
        kernel.install(fs, 1, back, Rights.ALL, 0);
        TaskHandle front = started(kernel.createTask(fs, "front"));
        bind(1);
        assertEquals(Outcome.OK, d.asyncCall(client, PORT, MessageInfo.of(1, 0)));
        long tag = ipc(client).tag();
        assertEquals(Outcome.OK, d.recv(front, 0));
        assertEquals(Outcome.OK, d.forward(front, 1, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, d.delete(front, 1), "the forwarded Call is released: its endpoint is gone");
        assertError(tag, Status.REVOKED);
        assertEquals(0, port().lost());
        assertFalse(port().revoked());
    }

    /** What a message on one endpoint is, from its info word alone (docs/semantics.md §5.5). */
    private static String classify(long info) {
        Kind kind = MessageInfo.kind(info);
        boolean async = MessageInfo.isAsync(info);
        boolean system = MessageInfo.isSystem(info);
        return switch (kind) {
            case NOTIFICATION -> "notification";
            case REPLY -> async ? (system ? "async error" : "async reply") : "reply";
            case CALL -> async ? "async call" : "call";
            case SEND -> system ? "system message" : async ? "async send" : "send";
            case NONE -> "nothing";
        };
    }

    @Test
    void oneEndpoint_receivesEveryKind_andTheInfoWordAloneTellsThemApart() {
        // The listener's Space: E with all rights (slot 0), a port to another server X (slot 2), the
        // notification bound to it (slot 3).
        ObjectHandle x = kernel.createEndpoint();
        ObjectHandle ntfn = kernel.createNotification();
        SpaceHandle ls = kernel.createSpace("listener", 8);
        kernel.install(ls, 0, endpoint, Rights.ALL, 0);
        kernel.install(ls, 1, x, Rights.WRITE, 0);
        kernel.install(ls, 3, ntfn, Rights.ALL, 0);
        TaskHandle listener = started(kernel.createTask(ls, "listener"));
        assertEquals(Outcome.OK, d.systemMessages(listener, 0, io.capipc.api.SystemMessage.ALL));
        assertEquals(Outcome.OK, d.bindNotification(listener, 3));
        assertEquals(Outcome.OK, d.bind(listener, 1, 0, 1, 2)); // AsyncCalls to X, answered on E
        SpaceHandle xs = kernel.createSpace("x", 4);
        kernel.install(xs, 0, x, Rights.READ, 0);
        TaskHandle xServer = started(kernel.createTask(xs, "x"));
        SpaceHandle fs = kernel.createSpace("faulty", 4);
        kernel.install(fs, 0, endpoint, Rights.WRITE, 0);
        TaskHandle faulty = started(kernel.createTask(fs, "faulty", 0));
        bind(1);

        assertEquals(Outcome.BLOCKED, d.call(other, EP, MessageInfo.of(1, 0)));          // a call
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(2, 0)));      // an async send
        assertEquals(Outcome.OK, d.asyncCall(listener, 2, MessageInfo.of(3, 0)));        // to X...
        assertEquals(Outcome.OK, d.recv(xServer, 0));
        assertEquals(Outcome.OK, d.reply(xServer, MessageInfo.of(4, 0)));               // ...answered on E
        assertEquals(Outcome.OK, d.fault(faulty));                                      // a system message
        assertEquals(Outcome.OK, d.signal(listener, 3));                                // a notification
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            assertEquals(Outcome.OK, d.recv(listener, 0));
            seen.add(classify(ipc(listener).info()));
        }
        assertEquals(List.of("notification", "system message", "call", "async send", "async reply"), seen);
    }

    // ---- Capabilities in flight

    @Test
    void capabilitiesInFlight_areTheClientsAtTheSyscall_andArriveWithTheMessage() {
        bind(1);
        ipc(server).setReceiveSlot(0, 5);
        ipc(client).setCap(0, REPLY);
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(1, 0, 1)));
        ipc(client).setCap(0, SPARE); // read once: changing it now changes nothing
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(1, ipc(server).caps());
        KernelView.SlotView got = kernel.inspect().space(server.space().id()).slots().stream()
                .filter(s -> s.index() == 5).findFirst().orElseThrow();
        assertEquals(replies.id(), got.objectId());
        assertEquals(client.space().id(), got.parentSpace(), "a child of the client's capability");
        assertEquals(REPLY, got.parentSlot());
        assertTrue(port().slots().stream().allMatch(s -> s.index() < 2), "nothing left in flight");
    }

    @Test
    void capabilitiesInFlight_revokedBeforeDelivery_doNotArrive() {
        assertEquals(Outcome.OK, d.copy(client, REPLY, SPARE, Rights.ALL));
        bind(1);
        ipc(server).setReceiveSlot(0, 5);
        ipc(client).setCap(0, SPARE);
        assertEquals(Outcome.OK, d.asyncSend(client, PORT, MessageInfo.of(1, 0, 1)));
        assertEquals(Outcome.OK, d.revoke(client, SPARE), "Revoke finds the capability in flight");
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(0, ipc(server).caps());
    }

    // ---- The port's last capability in flight in its own message (found by the decode fuzz target)

    /** The client moves its only capability to the port into a message through the port. */
    private void sendsThePortItself(boolean call) {
        bind(1);
        ipc(client).setCap(0, PORT);
        ipc(client).setMove(0, true);
        long info = MessageInfo.of(1, 0, 1);
        assertEquals(Outcome.OK, call ? d.asyncCall(client, PORT, info) : d.asyncSend(client, PORT, info));
        ipc(client).setMove(0, false);
    }

    @Test
    void portsLastCapabilityInFlight_queuedSendTakenByAReceiverThatTakesNoCapability_portGoesAfterTheDelivery() {
        sendsThePortItself(false);
        assertFalse(port().destroyed(), "its last capability is in flight");
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(1, ipc(server).label());
        assertEquals(0, ipc(server).caps());
        assertTrue(port().destroyed());
        assertEquals(List.of(), kernel.inspect().endpoint(endpoint.id()).queued());
    }

    @Test
    void portsLastCapabilityInFlight_sendToAWaitingReceiverThatTakesNoCapability_portGoesAfterTheDelivery() {
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        sendsThePortItself(false);
        assertEquals(1, ipc(server).label());
        assertEquals(0, ipc(server).caps());
        assertTrue(port().destroyed());
    }

    @Test
    void portsLastCapabilityInFlight_queuedCallTaken_theServerHoldsACancelledContext() {
        sendsThePortItself(true);
        assertFalse(port().destroyed(), "its last capability is in flight");
        assertEquals(Outcome.OK, d.recv(server, EP));
        assertEquals(Kind.CALL, MessageInfo.kind(ipc(server).info()));
        assertTrue(port().destroyed());
        assertEquals(Outcome.CANCELLED, d.callerInfo(server));
        assertEquals(Outcome.OK, d.reply(server, MessageInfo.of(0, 0)), "a reply to a caller that has gone");
        assertEquals(Outcome.WOULD_BLOCK, d.nbRecv(client, REPLY), "no reply and no error comes");
    }

    @Test
    void portsLastCapabilityInFlight_callToAWaitingServer_theServerHoldsACancelledContext() {
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        sendsThePortItself(true);
        assertEquals(Kind.CALL, MessageInfo.kind(ipc(server).info()));
        assertTrue(port().destroyed());
        assertEquals(Outcome.CANCELLED, d.callerInfo(server));
        assertEquals(Outcome.WOULD_BLOCK, d.nbRecv(client, REPLY));
    }

    @Test
    void portsLastCapabilityInFlight_queuedCallDroppedByRevoke_portGoesWithoutAnAnswer() {
        sendsThePortItself(true);
        assertEquals(Outcome.OK, d.revoke(client, CLIENT_EP), "drops the queued call");
        assertTrue(port().destroyed(), "dropping the call deleted what it had in flight");
        assertEquals(List.of(), kernel.inspect().endpoint(endpoint.id()).queued());
        assertEquals(Outcome.WOULD_BLOCK, d.nbRecv(client, REPLY), "nobody is left to hear the error");
    }
}
