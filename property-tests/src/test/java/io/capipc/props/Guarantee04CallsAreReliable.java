package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/** SPEC guarantee 4 (as built so far: Reply, NO_REPLY, PEER_DIED): every Call ends with the reply of the task that handled it or an error, and never stays blocked on a context no live task holds. */
class Guarantee04CallsAreReliable {
    @Test
    void everyCall_endsWithReplyOrErrorAndNeverWaitsOnAGoneContext() {
        Property.check("Guarantee04CallsAreReliable", Generator.Config.of(60), Checks.callsAreReliable());
    }
}
