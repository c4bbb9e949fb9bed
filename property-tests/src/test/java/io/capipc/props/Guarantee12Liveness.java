package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/**
 * SPEC guarantee 12: no task stays blocked on an object that no longer exists, and the deadlock the
 * kernel reports is exactly the one the reference model computes, after every step.
 */
class Guarantee12Liveness {
    @Test
    void blockedTasks_neverOnDestroyedObjects_andDeadlockReportMatchesModel() {
        Property.check("Guarantee12Liveness", Generator.Config.of(60), Checks.liveness());
    }
}
