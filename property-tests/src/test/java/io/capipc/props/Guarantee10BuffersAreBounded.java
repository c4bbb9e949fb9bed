package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/** SPEC guarantee 10: Read and Write touch only the caller's attached segments, and only while the context is held. */
class Guarantee10BuffersAreBounded {
    @Test
    void readWrite_touchOnlyAttachedSegmentsWhileContextHeld() {
        Property.check("Guarantee10BuffersAreBounded", Generator.Config.of(60), Checks.buffersAreBounded());
    }
}
