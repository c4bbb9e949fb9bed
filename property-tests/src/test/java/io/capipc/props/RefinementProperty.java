package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/** The kernel refines the reference model: after every step of every generated run, the same statuses and the same abstract state (tasks, queues, capabilities, registers, memory). */
class RefinementProperty {
    @Test
    void kernel_refinesReferenceModel() {
        Property.check("RefinementProperty", Generator.Config.of(60), Checks.refinement());
    }
}
