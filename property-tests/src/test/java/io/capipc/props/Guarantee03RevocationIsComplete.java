package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 3: after Revoke(c), no descendant of c exists in any slot, and no task stays queued
 * through one; a sender queued through any capability that is deleted is released. (Messages in
 * flight carry no capabilities yet: transfer is not built.)
 */
class Guarantee03RevocationIsComplete {
    @Test
    void revokeAndDelete_leaveNoDescendantAndNoSenderQueuedThroughThem() {
        Property.check("Guarantee03RevocationIsComplete", Generator.Config.of(60), Checks.revocationIsComplete());
    }
}
