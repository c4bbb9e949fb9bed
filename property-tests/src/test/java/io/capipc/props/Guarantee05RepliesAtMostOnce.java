package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 5: a caller context is consumed by at most one Reply or Forward; no blocked syscall
 * completes twice; by handle, a used-up handle is refused (INVALID_CAPABILITY) whatever now occupies
 * its slot, so it never reaches a later caller, a Suspend never returns a handle twice, and a Reply by
 * handle completes only the caller the handle was issued for.
 */
class Guarantee05RepliesAtMostOnce {
    @Test
    void callerContext_completedAtMostOnce() {
        Property.check("Guarantee05RepliesAtMostOnce", Generator.Config.of(60), Checks.repliesAtMostOnce());
    }
}
