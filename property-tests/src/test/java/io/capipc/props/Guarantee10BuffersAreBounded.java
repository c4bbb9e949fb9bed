package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 10: Read and Write, current or by handle, touch only the attached segments of the
 * caller whose context they name, and only while that context is held and not cancelled.
 */
class Guarantee10BuffersAreBounded {
    @Test
    void readWrite_touchOnlyAttachedSegmentsWhileContextHeld() {
        Property.check("Guarantee10BuffersAreBounded", Generator.Config.of(60), Checks.buffersAreBounded());
    }
}
