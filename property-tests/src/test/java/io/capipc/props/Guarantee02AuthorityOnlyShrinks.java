package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.CapabilitySituations;
import org.junit.jupiter.api.Test;

/** docs/semantics.md guarantee 2: a derived capability's rights are a subset of its parent's; a badge, once set, never changes. */
class Guarantee02AuthorityOnlyShrinks {
    @Test
    void derivedCapabilities_neverGainRightsOrChangeBadge() {
        Coverage coverage = Coverage.of("Guarantee02AuthorityOnlyShrinks")
                .require("Copy narrowing rights", 1)
                .require("Mint setting a badge", 1)
                .require("Mint keeping a badge", 1)
                .require("Mutate narrowing rights", 1)
                .require("Mutate setting a badge", 1)
                .require("Move of a capability with children", 1)
                .require("Mint of a badged capability refused", 1)
                .require("Mutate of a badged capability refused", 1)
                .require("Mutate narrowing a capability with children refused", 1)
                .require("a capability derived into another Space (transfer)", 1)
                .require("a capability without GRANT transferred", 1);
        Property.check("Guarantee02AuthorityOnlyShrinks", Generator.Config.of(60), coverage.counting(Checks.authorityOnlyShrinks(), CapabilitySituations.authority()));
        coverage.check();
    }
}
