package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/** docs/semantics.md guarantee 6 (synchronous sends so far): a Send that returned OK was delivered, and one task's messages arrive in the order sent. */
class Guarantee06SendsAreOrdered {
    @Test
    void sendsFromOneTask_deliveredAndInOrder() {
        Property.check("Guarantee06SendsAreOrdered", new Generator.Config(60, 1), Checks.sendsAreOrdered());
    }
}
