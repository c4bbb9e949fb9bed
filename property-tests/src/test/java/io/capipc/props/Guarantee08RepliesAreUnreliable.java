package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.MessageSituations;
import org.junit.jupiter.api.Test;

/** docs/semantics.md guarantee 8: a Reply to a caller that is gone (or to nobody), by handle too, returns OK and changes no other task. */
class Guarantee08RepliesAreUnreliable {
    @Test
    void replyToNobody_returnsOkAndChangesNothing() {
        Coverage coverage = Coverage.of("Guarantee08RepliesAreUnreliable")
                .require("Reply to nobody", 316)
                .require("Reply holding a cancelled context", 3)
                .require("Reply by handle to a caller that has gone", 4);
        Property.check("Guarantee08RepliesAreUnreliable", Generator.Config.of(60), coverage.counting(Checks.repliesAreUnreliable(), MessageSituations.unreliableReplies()));
        coverage.check();
    }
}
