package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.MessageSituations;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 10: Read and Write, current or by handle, touch only the attached segments of the
 * caller whose context they name, and only while that context is held and not cancelled.
 */
class Guarantee10BuffersAreBounded {
    @Test
    void readWrite_touchOnlyAttachedSegmentsWhileContextHeld() {
        Coverage coverage = Coverage.of("Guarantee10BuffersAreBounded")
                .require("Read at offset 0", 1)
                .require("Read at the last byte", 1)
                .require("Read at the end", 1)
                .require("Read past the end", 1)
                .require("Read at a negative offset", 1)
                .require("Read cut short by the end", 1)
                .require("Read from a segment boundary", 1)
                .require("Read across a segment boundary", 1)
                .require("Read by handle", 1)
                .require("Write at offset 0", 1)
                .require("Write at the last byte", 1)
                .require("Write at the end", 1)
                .require("Write past the end", 1)
                .require("Write at a negative offset", 1)
                .require("Write cut short by the end", 1)
                .require("Write from a segment boundary", 1)
                .require("Write across a segment boundary", 1)
                .require("Write by handle", 1);
        Property.check("Guarantee10BuffersAreBounded", Generator.Config.of(60), coverage.counting(Checks.buffersAreBounded(), MessageSituations.buffers()));
        coverage.check();
    }
}
