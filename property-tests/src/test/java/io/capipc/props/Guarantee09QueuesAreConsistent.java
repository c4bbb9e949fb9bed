package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/** docs/semantics.md guarantee 9: no task in two queues, never senders and receivers at once (kernel invariants after every step), and queues served first-in, first-out. */
class Guarantee09QueuesAreConsistent {
    @Test
    void queues_consistentAndFifo() {
        Property.check("Guarantee09QueuesAreConsistent", Generator.Config.of(60), Checks.queuesAreConsistent());
    }
}
