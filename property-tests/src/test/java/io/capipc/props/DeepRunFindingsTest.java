package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.harness.Action;
import io.capipc.props.harness.Check;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Runner;
import io.capipc.props.harness.World;
import io.capipc.props.model.Model;
import io.capipc.props.model.Shape;
import io.capipc.props.model.Shape.Boot;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The cases deep runs failed on, replayed on every build, so a finding stays fixed: each names the
 * run, what it found and where the fix is. A case is kept as its world and its shrunk trace, written
 * out, not as a seed: a seed means the same run only as long as the generator does not change.
 */
class DeepRunFindingsTest {
    /**
     * Deep run of 4 December 2026 (runs=20000 steps=200 base=31337, seed 37633 of the generator of
     * that day; this is its trace shrunk to the situation): a Call from a suspended context and a
     * Recv on the same endpoint were due at the same instant; the Call's timeout, first by task,
     * posted CALLER_CANCELLED, which the receiver got instead of its own timeout. The kernel and the
     * model agreed; the timeout check wrongly counted the receiver as due (fixed in ExpiryChecks).
     */
    @Test
    void seed37633_aDueReceiverGotTheCallersCancellationFirst() {
        Shape shape = new Shape(4, 5, 2, List.of(0, 1, 2, 3), List.of(
                new Boot(0, 0, 1, 7, 1), new Boot(0, 1, 2, 3, 2), new Boot(0, 2, 0, 3, 2),
                new Boot(1, 0, 1, 7, 1), new Boot(1, 1, 1, 4, 4), new Boot(1, 2, 0, 6, 3),
                new Boot(2, 0, 1, 3, 0), new Boot(2, 1, 1, 3, 0), new Boot(2, 2, 1, 3, 0),
                new Boot(3, 0, 1, 5, 0), new Boot(3, 1, 1, 6, 1), new Boot(3, 2, 0, 3, 0)),
                List.of(1, 2, 1, 2), 2, List.of(0, -1, 1, -1));
        long forever = Action.FOREVER;
        List<Action> trace = List.of(
                new Action.Send(2, 1, 0, 30008, forever),
                new Action.Call(0, 0, MessageInfo.of(3, 0), 10012, List.of(), List.of(), forever),
                new Action.Recv(3, 0, forever),
                new Action.SystemMessages(3, 0, 0b1110),
                new Action.Recv(2, 2, forever),
                new Action.ReplyWait(3, 0, MessageInfo.of(2, 0), 40022, forever),
                new Action.Call(2, 0, MessageInfo.of(2, 0), 30009, List.of(), List.of(), 1),
                new Action.Suspend(3),
                new Action.Recv(3, 0, 1),
                new Action.Advance(1));
        assertEquals(trace.size() - 1, Runner.run(shape, trace, InjectedBugs.NONE, dueReceiverGotAMessage()).step(),
                "the trace no longer reaches the situation it was found in");
        assertNull(Runner.run(shape, trace, InjectedBugs.NONE,
                Checks.all(Checks.liveness(), Checks.blockedErrorsLeaveNoTrace(), Checks.timeoutsFireOnce())));
    }

    /** "Fails" at the step where a receiver whose deadline had come got a system message instead of TIMEOUT. */
    private static Supplier<Check> dueReceiverGotAMessage() {
        return () -> s -> {
            for (World.Resumed r : s.resumed()) {
                Model.MTask was = s.before().task(r.task());
                if (s.action() instanceof Action.Advance && r.status() == Status.OK && was.state() == Model.State.BLOCKED_ON_RECEIVE
                        && s.before().deadlines().get(r.task()) <= s.after().now() && MessageInfo.isSystem(s.world().ipc(r.task()).info())) {
                    return "reached";
                }
            }
            return null;
        };
    }
}
