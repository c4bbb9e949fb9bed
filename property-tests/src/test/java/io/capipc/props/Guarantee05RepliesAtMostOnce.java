package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/** SPEC guarantee 5: a caller context is consumed by at most one Reply; no blocked syscall completes twice. */
class Guarantee05RepliesAtMostOnce {
    @Test
    void callerContext_completedAtMostOnce() {
        Property.check("Guarantee05RepliesAtMostOnce", Generator.Config.of(60), Checks.repliesAtMostOnce());
    }
}
