package io.capipc.props;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.MessageSituations;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.TaskSituations;
import io.capipc.props.ports.PortProperty;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/semantics.md guarantee 4 (Reply, also by handle, NO_REPLY, PEER_DIED, timeouts, interrupts,
 * kills, suspended contexts, and AsyncCall): every Call ends exactly once, with
 * the reply of the task that handled it or an error; it never stays blocked on a context no live task
 * holds (a suspended one is held by its Space's live tasks); one that ended with an error leaves no
 * task or Space holding its context. The runs must reach every ending, Calls whose context was
 * suspended ending with OK, with NO_REPLY when the reply capability is deleted and with PEER_DIED when
 * the Space's last task dies, and forwarded Calls answered.
 *
 * <p>Over async ports ({@link PortProperty}, {@link PortProperty.Check#CALLS}): an AsyncCall's tag is
 * never repeated by its port; each tag is answered at most once, by a reply or an error message
 * (PEER_DIED, NO_REPLY, REVOKED) on the port's reply endpoint; while a tag is unanswered an entry of
 * its port still holds it (the answer is never lost), unless the port or its reply endpoint
 * capability is gone; and a taken AsyncCall never waits on a context nobody holds. The runs must
 * reach every answer, answers handed to a waiting client, an AsyncCall refused because the reply
 * endpoint went, and a server left a cancelled context by a port's destruction.
 */
class Guarantee04CallsAreReliable {
    @Test
    void everyCall_endsExactlyOnceWithReplyOrErrorAndNeverWaitsOnAGoneContext() {
        Coverage coverage = Coverage.of("Guarantee04CallsAreReliable")
                .require("a Call ended OK", 168)
                .require("a Call ended NO_REPLY", 28)
                .require("a Call ended PEER_DIED", 14)
                .require("a Call ended REVOKED", 32)
                .require("a Call ended TIMEOUT", 27)
                .require("a Call ended INTERRUPTED", 112)
                .require("a suspended Call ended OK", 34)
                .require("a suspended Call ended NO_REPLY by Delete", 12)
                .require("a suspended Call ended PEER_DIED", 2)
                .require("a suspended Call ended TIMEOUT", 1)
                .require("a suspended Call ended INTERRUPTED", 15)
                .require("a suspended context resumed", 23)
                .require("a forwarded Call answered", 21)
                .require("a suspended Call forwarded by handle", 6)
                .require("a Call forwarded to a waiting receiver", 5)
                .require("a Call answered by handle", 34)
                .require("a Call ended PEER_DIED by a Kill of its server", 1)
                .require("a Call ended PEER_DIED by a Restart of its server", 1)
                .require("Kill of a task in a Call", 5)
                .require("Restart of a task in a Call", 8)
                .require("a Call queued on a made endpoint ended when its untyped went", 1);
        Property.check("Guarantee04CallsAreReliable", Generator.Config.of(60),
                coverage.counting(Checks.callsAreReliable(), Coverage.all(MessageSituations.calls(), TaskSituations.control())));
        coverage.check();
    }

    /** Cases of the async search: a third of what the refinement search runs. */
    private static final int ASYNC_CASES = 200;

    @Test
    void everyAsyncCall_isAnsweredExactlyOnce_andNeverLosesItsAnswer() {
        AsyncSearch.check("Guarantee04CallsAreReliable (async)", PortProperty.Check.CALLS, ASYNC_CASES, Map.of(
                "async call answered by a reply", 15,
                "async call answered NO_REPLY", 9,
                "async call answered PEER_DIED", 3,
                "async call answered REVOKED", 7,
                "answer handed to a waiting client", 13,
                "AsyncCall refused: reply endpoint gone", 15,
                "server left a cancelled async context", 16));
    }

    @ParameterizedTest(name = "{0} is caught")
    @EnumSource(value = InjectedBug.class, names = {"ASYNC_SECOND_REPLY", "ASYNC_ERROR_LOST", "RECV_FORGETS_CONTEXT"})
    void anAsyncCallBug_isCaughtByTheAsyncCheck(InjectedBug bug) {
        AsyncSearch.caught(bug, PortProperty.Check.CALLS);
    }
}
