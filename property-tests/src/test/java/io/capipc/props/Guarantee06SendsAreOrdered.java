package io.capipc.props;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.MessageSituations;
import io.capipc.props.ports.PortProperty;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/semantics.md guarantee 6: a Send that returned OK was delivered, and one task's messages arrive
 * in the order sent. Over async ports ({@link PortProperty}, {@link PortProperty.Check#ORDER}): a
 * port's messages reach servers in the order sent, each once, interleaved with a synchronous sender's;
 * and a Call through the port is a barrier: when it returns OK, everything the port sent before it was
 * delivered.
 */
class Guarantee06SendsAreOrdered {
    @Test
    void sendsFromOneTask_deliveredAndInOrder() {
        Coverage coverage = Coverage.of("Guarantee06SendsAreOrdered")
                .require("a queued Send delivered", 55)
                .require("a queued Call taken", 79)
                .require("a message handed straight to a waiting receiver", 400)
                .require("a task's later message delivered on the same endpoint", 147)
                .require("two tasks' messages queued on one endpoint", 709);
        Property.check("Guarantee06SendsAreOrdered", new Generator.Config(60, 1), coverage.counting(Checks.sendsAreOrdered(), MessageSituations.ordering()));
        coverage.check();
    }

    @Test
    void asyncSendsFromOnePort_inOrder_andACallThroughItIsABarrier() {
        AsyncSearch.check("Guarantee06SendsAreOrdered (async)", PortProperty.Check.ORDER, 200, Map.of(
                "async send delivered to a waiting server", 70,
                "async message taken from the queue", 84,
                "barrier Call returned OK after queued messages", 4,
                "sync Send taken with an async message queued behind it", 13));
    }

    /** Senders queued last-in first-out reorder a port's messages; a Call released with OK instead of REVOKED breaks the barrier. */
    @ParameterizedTest(name = "{0} is caught")
    @EnumSource(value = InjectedBug.class, names = {"LIFO_SENDERS", "RELEASE_WITHOUT_STATUS"})
    void anOrderingBug_isCaughtByTheAsyncCheck(InjectedBug bug) {
        AsyncSearch.caught(bug, PortProperty.Check.ORDER);
    }
}
