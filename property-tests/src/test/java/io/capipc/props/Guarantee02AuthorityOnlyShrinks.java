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
                .require("Copy narrowing rights", 130)
                .require("Mint setting a badge", 33)
                .require("Mint keeping a badge", 102)
                .require("Mutate narrowing rights", 72)
                .require("Mutate setting a badge", 18)
                .require("Move of a capability with children", 91)
                .require("Mint of a badged capability refused", 28)
                .require("Mutate of a badged capability refused", 21)
                .require("Mutate narrowing a capability with children refused", 115)
                .require("a capability derived into another Space (transfer)", 199)
                .require("a capability without GRANT transferred", 79)
                .require("a new badge minted while 4 or more others live on its endpoint", 23)
                .require("a badge's last capability deleted while 3 or more others live on its endpoint", 48);
        Property.check("Guarantee02AuthorityOnlyShrinks", Generator.Config.of(60), coverage.counting(Checks.authorityOnlyShrinks(), CapabilitySituations.authority()));
        coverage.check();
    }
}
