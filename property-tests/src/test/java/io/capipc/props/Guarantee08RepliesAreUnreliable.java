package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/** docs/semantics.md guarantee 8: a Reply to a caller that is gone (or to nobody), by handle too, returns OK and changes no other task. */
class Guarantee08RepliesAreUnreliable {
    @Test
    void replyToNobody_returnsOkAndChangesNothing() {
        Property.check("Guarantee08RepliesAreUnreliable", Generator.Config.of(60), Checks.repliesAreUnreliable());
    }
}
