package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.MessageSituations;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 1: the badge a receiver sees is exactly the badge of the capability the sender
 * invoked; user code cannot produce a SYSTEM message (its sends with the SYSTEM flag are
 * INVALID_ARGUMENT; a SYSTEM message received is one the kernel posted, with the badge concerned) or
 * act through a slot it does not hold.
 */
class Guarantee01UnforgeableIdentity {
    @Test
    void badgeSeen_isBadgeOfInvokedCapability() {
        Coverage coverage = Coverage.of("Guarantee01UnforgeableIdentity")
                .require("a message received with a badge", 2473)
                .require("a capability unwrapped with a badge", 49)
                .require("a system message received with a badge", 102)
                .require("the SYSTEM flag refused: Send", 20)
                .require("the SYSTEM flag refused: NBSend", 15)
                .require("the SYSTEM flag refused: Call", 23)
                .require("the SYSTEM flag refused: Reply", 24)
                .require("the SYSTEM flag refused: ReplyWait", 13)
                .require("the SYSTEM flag refused: Forward", 8)
                .require("the SYSTEM flag refused: Reply(h)", 18)
                .require("the SYSTEM flag refused: Forward(h)", 6);
        Property.check("Guarantee01UnforgeableIdentity", Generator.Config.of(60), coverage.counting(Checks.unforgeableIdentity(), MessageSituations.identity()));
        coverage.check();
    }
}
