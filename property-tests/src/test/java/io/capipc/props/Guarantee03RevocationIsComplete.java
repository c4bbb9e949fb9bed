package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.CapabilitySituations;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 3: after Revoke(c), no descendant of c exists in any slot, and no task stays queued
 * through one; a sender queued through any capability that is deleted is released. (Messages in
 * flight carry no capabilities yet: transfer is not built.)
 */
class Guarantee03RevocationIsComplete {
    @Test
    void revokeAndDelete_leaveNoDescendantAndNoSenderQueuedThroughThem() {
        Coverage coverage = Coverage.of("Guarantee03RevocationIsComplete")
                .require("Revoke: descendants 1 levels deep", 1)
                .require("Revoke: descendants 2 levels deep", 1)
                .require("Revoke: descendants 3 levels deep", 1)
                .require("Revoke: descendants 4+ levels deep", 1)
                .require("Revoke: a descendant in another Space", 1)
                .require("Revoke: descendants 4+ levels deep, across Spaces", 1)
                .require("Revoke: the slot a queued sender sent through", 1)
                .require("Revoke: a descendant a queued sender sent through", 1)
                .require("Revoke: a capability a queued message names", 1)
                .require("Revoke: an ancestor of a capability a queued message names", 1)
                .require("Revoke: a capability a queued message names, 2+ levels below", 1)
                .require("Delete: descendants 1 levels deep", 1)
                .require("Delete: descendants 2 levels deep", 1)
                .require("Delete: descendants 3 levels deep", 1)
                .require("Delete: descendants 4+ levels deep", 1)
                .require("Delete: a descendant in another Space", 1)
                .require("Delete: descendants 4+ levels deep, across Spaces", 1)
                .require("Delete: the slot a queued sender sent through", 1)
                .require("Delete: a descendant a queued sender sent through", 1)
                .require("Delete: a capability a queued message names", 1)
                .require("Delete: an ancestor of a capability a queued message names", 1)
                .require("Delete: a capability a queued message names, 2+ levels below", 1)
                .require("Move: the slot a queued sender sent through", 1)
                .require("Move: a capability a queued message names", 1);
        Property.check("Guarantee03RevocationIsComplete", Generator.Config.of(60), coverage.counting(Checks.revocationIsComplete(), CapabilitySituations.revocation()));
        coverage.check();
    }
}
