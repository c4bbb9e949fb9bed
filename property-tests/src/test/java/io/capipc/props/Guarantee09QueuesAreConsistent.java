package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.MessageSituations;
import org.junit.jupiter.api.Test;

/** docs/semantics.md guarantee 9: no task in two queues, never senders and receivers at once (kernel invariants after every step), and queues served first-in, first-out. */
class Guarantee09QueuesAreConsistent {
    @Test
    void queues_consistentAndFifo() {
        Coverage coverage = Coverage.of("Guarantee09QueuesAreConsistent")
                .require("2+ senders queued", 710)
                .require("2+ receivers queued", 674)
                .require("3+ tasks queued", 84)
                .require("a sender served from a queue of 2+", 26)
                .require("a receiver served from a queue of 2+", 21)
                .require("a task left from the middle of a queue", 7);
        Property.check("Guarantee09QueuesAreConsistent", Generator.Config.of(60), coverage.counting(Checks.queuesAreConsistent(), MessageSituations.queues()));
        coverage.check();
    }
}
