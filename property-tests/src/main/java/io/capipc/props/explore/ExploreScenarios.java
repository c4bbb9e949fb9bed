package io.capipc.props.explore;

import static io.capipc.props.model.Model.GRANT;
import static io.capipc.props.model.Model.READ;
import static io.capipc.props.model.Model.WRITE;

import io.capipc.api.MessageInfo;
import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.props.harness.Action;
import io.capipc.props.harness.Action.Handle;
import io.capipc.props.model.Shape;
import io.capipc.props.model.Shape.Boot;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The explorer's scenarios: small worlds, each built around the situations one family of
 * guarantees is about, small enough to explore completely in seconds. Objects: endpoints 0 and 1,
 * the notification is object 2.
 */
public final class ExploreScenarios {
    private static final int ALL = READ | WRITE | GRANT;
    private static final long FOREVER = Action.FOREVER;
    private static final List<Integer> NONE = List.of();
    private static final List<Integer> NO_CAPS = List.of(-1, -1, -1, -1);

    private ExploreScenarios() {}

    /** Every scenario, in the order the docs list them. */
    public static List<Scenario> all() {
        return List.of(calls(), receivers(), revokeTree(), queuedCaps(), staleHandles(), suspendedCallers(), notices(),
                timeouts(), deadlocks(), taskControl(), threeByFour());
    }

    /** The scenario of that name. */
    public static Optional<Scenario> named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The command that replays {@code path} of {@code scenario} on a kernel with {@code bug} (null: none). */
    public static String replayCommand(Scenario scenario, @Nullable InjectedBug bug, String path) {
        return "mvn -B -ntp -o -pl api,capabilities,kernel-model,property-tests -am test -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dtest=ExplorerTest#replay -Dcapipc.explore.scenario=" + scenario.name() + " -Dcapipc.explore.path="
                + path + (bug == null ? "" : " -Dcapipc.explore.bug=" + bug.name());
    }

    /**
     * Two clients call a server in its own Space, one with a finite timeout, while a third task
     * sends and tries to forge a system message; the server answers by ReplyWait and Reply and writes
     * after replying; the server may be killed at any point.
     */
    static Scenario calls() {
        Shape shape = shape(3, List.of(0, 1, 2), List.of(
                new Boot(0, 0, 0, ALL, 1), new Boot(1, 0, 0, ALL, 0), new Boot(2, 0, 0, ALL, 2)), List.of(-1, -1, -1));
        return new Scenario("calls", "Call, Send, Recv, ReplyWait, Reply, Write after the reply; kill the server", shape,
                List.of(
                        List.of(call(0, 0, 3, 1), call(0, 0, 4, 2)),
                        List.of(new Action.Recv(1, 0), new Action.ReplyWait(1, 0, MessageInfo.of(5, 1), mr(1, 3)),
                                new Action.Reply(1, MessageInfo.of(6, 1), mr(1, 4)), new Action.Write(1, 0, 4, 9)),
                        List.of(new Action.Send(2, 0, MessageInfo.of(7, 1), mr(2, 5)),
                                new Action.NBSend(2, 0, MessageInfo.withSystem(MessageInfo.of(8, 0)), mr(2, 6)))),
                List.of(new Action.Kill(1)));
    }

    /** Two receivers wait on an endpoint in a shared Space; one task sends twice, then deletes the only capability. */
    static Scenario receivers() {
        Shape shape = shape(3, List.of(0, 0, 0), List.of(new Boot(0, 0, 0, ALL, 0)), List.of(-1, -1, -1));
        return new Scenario("receivers", "two queued receivers, two sends, the endpoint destroyed under them", shape,
                List.of(
                        List.of(new Action.Send(0, 0, MessageInfo.of(1, 1), mr(0, 1)), new Action.Send(0, 0, MessageInfo.of(2, 1), mr(0, 2)),
                                new Action.Delete(0, 0)),
                        List.of(new Action.Recv(1, 0), new Action.Recv(1, 0)),
                        List.of(new Action.Recv(2, 0))),
                NONE_FAULTS);
    }

    /**
     * A derivation chain of four levels in one Space (Copy, Mint, Copy); a task of that Space sends
     * through the leaf to a receiver in another Space and tries to re-badge; the root is revoked or
     * the leaf deleted at any point.
     */
    static Scenario revokeTree() {
        Shape shape = shape(3, List.of(0, 0, 1), List.of(new Boot(0, 0, 0, ALL, 0), new Boot(1, 0, 0, READ, 0)),
                List.of(-1, -1, -1));
        return new Scenario("revokeTree", "a four-level derivation chain, a send through its leaf, Revoke of the root, Delete of the leaf",
                shape,
                List.of(
                        List.of(new Action.Copy(0, 0, 1, ALL), new Action.Mint(0, 1, 2, ALL, 1), new Action.Copy(0, 2, 3, ALL)),
                        List.of(new Action.Send(1, 3, MessageInfo.of(1, 1), mr(1, 1)), new Action.Mint(1, 2, 4, ALL, 2),
                                new Action.Send(1, 3, MessageInfo.of(2, 1), mr(1, 2))),
                        List.of(new Action.Recv(2, 0))),
                List.of(new Action.Revoke(0, 0), new Action.Delete(0, 3)));
    }

    /**
     * A message that names a derived capability waits in a queue while its ancestor is revoked, and
     * a hostile thread rewrites the sender's IPC buffer while it waits; a receiver in another Space
     * takes it and sends back a badged capability to the endpoint it arrives on, which is unwrapped.
     */
    static Scenario queuedCaps() {
        Shape shape = shape(3, List.of(0, 0, 1), List.of(
                new Boot(0, 0, 0, ALL, 0), new Boot(0, 1, 1, ALL, 0), new Boot(1, 0, 1, ALL, 0), new Boot(1, 1, 1, ALL, 1)),
                List.of(-1, -1, -1));
        return new Scenario("queuedCaps", "capabilities named by a queued message: their ancestor revoked, the buffer rewritten",
                shape,
                List.of(
                        List.of(new Action.Copy(0, 0, 2, ALL), new Action.Copy(0, 2, 3, ALL), new Action.Revoke(0, 0)),
                        List.of(new Action.SetCaps(1, List.of(3, 2, -1, -1), NO_CAPS),
                                new Action.Send(1, 1, MessageInfo.of(1, 1, 2), mr(1, 1)), new Action.Recv(1, 1)),
                        List.of(new Action.SetCaps(2, List.of(1, -1, -1, -1), List.of(2, 3, -1, -1)), new Action.Recv(2, 0),
                                new Action.Send(2, 0, MessageInfo.of(2, 1, 1), mr(2, 2)))),
                List.of(new Action.Tamper(1, List.of(0, 0, -1, -1), List.of(4, 5, -1, -1))));
    }

    /**
     * A server suspends one caller's context, replies by handle, takes a second call into the same
     * pool entry and then uses the first, stale handle to write and to reply.
     */
    static Scenario staleHandles() {
        Shape shape = shape(3, List.of(0, 1, 2), List.of(
                new Boot(0, 0, 0, ALL, 1), new Boot(1, 0, 0, ALL, 0), new Boot(2, 0, 0, ALL, 2)), List.of(-1, -1, -1));
        Handle first = new Handle(0, 0);
        return new Scenario("staleHandles", "a handle used after its context ended and its pool entry was reused", shape,
                List.of(
                        List.of(bufferedCall(0, 1)),
                        List.of(new Action.Recv(1, 0), new Action.Suspend(1), new Action.ReplyHandle(1, first, MessageInfo.of(3, 1), mr(1, 3)),
                                new Action.Recv(1, 0), new Action.Suspend(1), new Action.WriteHandle(1, first, 0, 4, 7),
                                new Action.ReplyHandle(1, first, MessageInfo.of(4, 1), mr(1, 4))),
                        List.of(bufferedCall(2, 2))),
                NONE_FAULTS);
    }

    /**
     * A caller's context is suspended by the only task of the server's Space, which then waits for
     * more; the caller or the server may die at any point, and the server replies by handle late.
     */
    static Scenario suspendedCallers() {
        Shape shape = shape(2, List.of(0, 1), List.of(new Boot(0, 0, 0, ALL, 1), new Boot(1, 0, 0, ALL, 0)), List.of(-1, -1));
        return new Scenario("suspendedCallers", "callers of suspended contexts when their caller or their server dies", shape,
                List.of(
                        List.of(call(0, 0, 1, 1), call(0, 0, 2, 2)),
                        List.of(new Action.Recv(1, 0), new Action.Suspend(1), new Action.Recv(1, 0, 0),
                                new Action.ReplyHandle(1, new Handle(0, 0), MessageInfo.of(3, 1), mr(1, 3)))),
                List.of(new Action.Kill(0), new Action.Kill(1)));
    }

    /**
     * System messages: a task faults onto the server's endpoint, a caller gives up after the server
     * took its call; the server chose to hear every kind and receives twice.
     */
    static Scenario notices() {
        Shape shape = shape(3, List.of(0, 1, 2), List.of(
                new Boot(0, 0, 0, ALL, 1), new Boot(1, 0, 0, ALL, 0), new Boot(2, 0, 0, WRITE, 2)), List.of(-1, -1, 0));
        return new Scenario("notices", "TASK_FAULTED and CALLER_CANCELLED posted with and without a waiting receiver", shape,
                List.of(
                        List.of(new Action.Call(0, 0, MessageInfo.of(1, 1), mr(0, 1), List.of(), List.of(), 5)),
                        List.of(new Action.SystemMessages(1, 0, 0b1110), new Action.Recv(1, 0), new Action.Recv(1, 0),
                                new Action.Recv(1, 0)),
                        List.of(new Action.Fault(2))),
                List.of(new Action.Advance(10)));
    }

    /** Finite timeouts on every kind of wait, the clock moved past them, an interrupt. */
    static Scenario timeouts() {
        Shape shape = shape(2, List.of(0, 1), List.of(new Boot(0, 0, 0, ALL, 1), new Boot(1, 0, 0, ALL, 0)), List.of(-1, -1));
        return new Scenario("timeouts", "Send, Call and Recv with deadlines; the clock advanced; an interrupt", shape,
                List.of(
                        List.of(new Action.Send(0, 0, MessageInfo.of(1, 1), mr(0, 1), 5),
                                new Action.Call(0, 0, MessageInfo.of(2, 1), mr(0, 2), List.of(), List.of(), 5)),
                        List.of(new Action.Recv(1, 0, 5), new Action.Recv(1, 0), new Action.Reply(1, MessageInfo.of(3, 1), mr(1, 3)))),
                List.of(new Action.Advance(10), new Action.Interrupt(1)));
    }

    /**
     * Everyone blocked: a server suspends one caller's context, takes a second call and then calls
     * an endpoint only its blocked callers could receive on. The deadlock report must name all three.
     */
    static Scenario deadlocks() {
        Shape shape = shape(3, List.of(0, 1, 2), List.of(
                new Boot(0, 0, 0, ALL, 1), new Boot(0, 1, 1, READ, 0), new Boot(1, 0, 0, ALL, 0), new Boot(1, 1, 1, ALL, 0),
                new Boot(2, 0, 0, ALL, 2), new Boot(2, 1, 1, READ, 0)), List.of(-1, -1, -1));
        return new Scenario("deadlocks", "a caller with a suspended context, one with a held context, a server blocked sending",
                shape,
                List.of(
                        List.of(call(0, 0, 1, 1)),
                        List.of(new Action.Recv(1, 0), new Action.Suspend(1), new Action.Recv(1, 0), call(1, 1, 2, 2)),
                        List.of(call(2, 0, 3, 3))),
                NONE_FAULTS);
    }

    /**
     * Task control (docs/semantics.md §13): a supervisor holding a worker's Task capability with all
     * rights and a client's with READ only asks, restarts and kills, while the worker serves the
     * client's Call (so a Restart or Kill may end a Call PEER_DIED, and a restarted worker must start
     * on a fresh IPC buffer).
     */
    static Scenario taskControl() {
        Shape shape = shape(3, List.of(0, 1, 2), List.of(
                new Boot(0, 0, TASK_OBJECTS + 1, ALL, 0), new Boot(0, 1, TASK_OBJECTS + 2, READ, 0),
                new Boot(1, 0, 0, ALL, 0), new Boot(2, 0, 0, ALL, 1)), List.of(-1, -1, -1));
        return new Scenario("taskControl", "TaskInfo, Restart and Kill of a server mid-call; Kill without WRITE", shape,
                List.of(
                        List.of(new Action.TaskInfo(0, 0), new Action.RestartTask(0, 0), new Action.KillTask(0, 1),
                                new Action.KillTask(0, 0)),
                        List.of(new Action.Recv(1, 0), new Action.Reply(1, MessageInfo.of(2, 1), mr(1, 2)), new Action.Recv(1, 0)),
                        List.of(call(2, 0, 1, 1), call(2, 0, 3, 3))),
                NONE_FAULTS);
    }

    /** The object number of task 0's Task object in the shapes here (two endpoints, the notification, the reply object). */
    private static final int TASK_OBJECTS = 4;

    /**
     * The size: three tasks of four syscalls each and one fault. Two clients in one Space
     * (one sending a capability), a server in another that takes, suspends and answers them; the
     * fault revokes the clients' endpoint capability.
     */
    static Scenario threeByFour() {
        Shape shape = shape(3, List.of(0, 0, 1), List.of(
                new Boot(0, 0, 0, ALL, 1), new Boot(0, 1, 1, ALL, 0), new Boot(1, 0, 0, ALL, 0)), List.of(-1, -1, -1));
        return new Scenario("threeByFour", "3 tasks x 4 syscalls + 1 fault: calls, a capability sent, Suspend, Revoke", shape,
                List.of(
                        List.of(new Action.Copy(0, 0, 2, ALL), call(0, 2, 1, 1), new Action.Send(0, 2, MessageInfo.of(2, 1), mr(0, 2)),
                                new Action.Delete(0, 2)),
                        List.of(new Action.SetCaps(1, List.of(1, -1, -1, -1), NO_CAPS), new Action.Call(1, 0,
                                MessageInfo.of(3, 1, 1), mr(1, 3), List.of(), List.of(), FOREVER), new Action.NBSend(1, 0, MessageInfo.of(4, 1), mr(1, 4)),
                                call(1, 0, 5, 5)),
                        List.of(new Action.SetCaps(2, NO_CAPS, List.of(3, -1, -1, -1)), new Action.Recv(2, 0), new Action.Suspend(2),
                                new Action.ReplyWait(2, 0, MessageInfo.of(6, 1), mr(2, 6)))),
                List.of(new Action.Revoke(0, 0)));
    }

    private static final List<Action> NONE_FAULTS = List.of();

    private static Action call(int task, int slot, int label, int n) {
        return new Action.Call(task, slot, MessageInfo.of(label, 1), mr(task, n), NONE, NONE, FOREVER);
    }

    /**
     * The {@code n}th register value task {@code task} sends, as the generator numbers them: the
     * ordering check tells a message's sender and place from it ({@code (task + 1) * 10 000 + n}).
     */
    private static long mr(int task, int n) {
        return (task + 1) * 10_000L + n;
    }

    /** A Call with an 8-byte send segment and an 8-byte receive segment, for Read and Write by the server. */
    private static Action bufferedCall(int task, int n) {
        return new Action.Call(task, 0, MessageInfo.of(1, 1), mr(task, n), List.of(8), List.of(8), FOREVER);
    }

    /** Six slots per Space, two endpoints and the notification, a reply pool of one per Space, three badges per endpoint. */
    private static Shape shape(int tasks, List<Integer> spaceOf, List<Boot> boot, List<Integer> faultSlot) {
        int spaces = spaceOf.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        return new Shape(tasks, 6, 2, spaceOf, boot, java.util.Collections.nCopies(spaces, 1), 3, faultSlot);
    }
}
