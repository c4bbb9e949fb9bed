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
                .require("Read at offset 0", 7)
                .require("Read at the last byte", 5)
                .require("Read at the end", 18)
                .require("Read past the end", 17)
                .require("Read at a negative offset", 11)
                .require("Read cut short by the end", 13)
                .require("Read from a segment boundary", 7)
                .require("Read across a segment boundary", 8)
                .require("Read by handle", 25)
                .require("Write at offset 0", 8)
                .require("Write at the last byte", 5)
                .require("Write at the end", 20)
                .require("Write past the end", 17)
                .require("Write at a negative offset", 11)
                .require("Write cut short by the end", 15)
                .require("Write from a segment boundary", 2)
                .require("Write across a segment boundary", 9)
                .require("Write by handle", 27);
        Property.check("Guarantee10BuffersAreBounded", Generator.Config.of(60), coverage.counting(Checks.buffersAreBounded(), MessageSituations.buffers()));
        coverage.check();
    }
}
