package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.MessageSituations;
import org.junit.jupiter.api.Test;

/** docs/semantics.md guarantee 6 (synchronous sends so far): a Send that returned OK was delivered, and one task's messages arrive in the order sent. */
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
}
