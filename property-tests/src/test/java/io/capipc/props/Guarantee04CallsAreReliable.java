package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.MessageSituations;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.TaskSituations;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 4 (as built so far: Reply, also by handle, NO_REPLY, PEER_DIED, timeouts,
 * interrupts, kills, suspended contexts; AsyncCall is not built): every Call ends exactly once, with
 * the reply of the task that handled it or an error; it never stays blocked on a context no live task
 * holds (a suspended one is held by its Space's live tasks); one that ended with an error leaves no
 * task or Space holding its context. The runs must reach every ending, Calls whose context was
 * suspended ending with OK, with NO_REPLY when the reply capability is deleted and with PEER_DIED when
 * the Space's last task dies, and forwarded Calls answered.
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
}
