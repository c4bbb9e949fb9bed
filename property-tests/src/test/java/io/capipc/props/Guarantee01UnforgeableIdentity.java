package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
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
        Property.check("Guarantee01UnforgeableIdentity", Generator.Config.of(60), Checks.unforgeableIdentity());
    }
}
