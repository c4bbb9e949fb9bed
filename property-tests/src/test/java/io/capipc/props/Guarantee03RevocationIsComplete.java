package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.TaskSituations;
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
                .require("Revoke: descendants 1 levels deep", 148)
                .require("Revoke: descendants 2 levels deep", 77)
                .require("Revoke: descendants 3 levels deep", 50)
                .require("Revoke: descendants 4+ levels deep", 38)
                .require("Revoke: a descendant in another Space", 120)
                .require("Revoke: descendants 4+ levels deep, across Spaces", 38)
                .require("Revoke: the slot a queued sender sent through", 17)
                .require("Revoke: a descendant a queued sender sent through", 12)
                .require("Revoke: a capability a queued message names", 6)
                .require("Revoke: an ancestor of a capability a queued message names", 32)
                .require("Revoke: a capability a queued message names, 2+ levels below", 4)
                .require("Delete: descendants 1 levels deep", 106)
                .require("Delete: descendants 2 levels deep", 41)
                .require("Delete: descendants 3 levels deep", 24)
                .require("Delete: descendants 4+ levels deep", 15)
                .require("Delete: a descendant in another Space", 59)
                .require("Delete: descendants 4+ levels deep, across Spaces", 15)
                .require("Delete: the slot a queued sender sent through", 62)
                .require("Delete: a descendant a queued sender sent through", 5)
                .require("Delete: a capability a queued message names", 19)
                .require("Delete: an ancestor of a capability a queued message names", 29)
                .require("Delete: a capability a queued message names, 2+ levels below", 17)
                .require("Move: the slot a queued sender sent through", 9)
                .require("Move: a capability a queued message names", 6)
                .require("Revoke: a Task capability", 30)
                .require("Delete: a Task capability", 40)
                .require("Revoke of an untyped destroying what it made", 16)
                .require("Delete of an untyped destroying what it made", 12)
                .require("an untyped made from an untyped destroyed with it", 12)
                .require("an untyped's whole budget given back", 28);
        Property.check("Guarantee03RevocationIsComplete", Generator.Config.of(60), coverage.counting(Checks.revocationIsComplete(),
                Coverage.all(CapabilitySituations.revocation(), TaskSituations.control())));
        coverage.check();
    }
}
