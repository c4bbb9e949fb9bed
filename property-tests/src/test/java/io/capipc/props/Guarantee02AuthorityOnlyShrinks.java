package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/** docs/semantics.md guarantee 2: a derived capability's rights are a subset of its parent's; a badge, once set, never changes. */
class Guarantee02AuthorityOnlyShrinks {
    @Test
    void derivedCapabilities_neverGainRightsOrChangeBadge() {
        Property.check("Guarantee02AuthorityOnlyShrinks", Generator.Config.of(60), Checks.authorityOnlyShrinks());
    }
}
