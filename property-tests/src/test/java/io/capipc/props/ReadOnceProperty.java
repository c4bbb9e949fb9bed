package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.CapabilitySituations;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md §7, read once: every value the kernel checks is read from the task's IPC buffer once,
 * when the syscall is made. The generator's hostile thread ({@code Tamper}) rewrites blocked tasks'
 * capability and receive slots (out of range, negative, naming other capabilities); what their
 * pending syscalls send and receive must not change, and no syscall may throw.
 */
class ReadOnceProperty {
    @Test
    void capabilitiesTransferred_areTheOnesNamedAtTheSyscall() {
        Coverage coverage = Coverage.of("ReadOnceProperty")
                .require("rewritten: a queued sender with capabilities", 62)
                .require("rewritten: a waiting receiver", 295)
                .require("rewritten: a caller awaiting its reply", 179)
                .require("a message with capabilities delivered after its queued sender was rewritten", 8)
                .require("capabilities arrived at a receiver rewritten while it waited", 43)
                .require("capabilities arrived at a caller rewritten while it awaited its reply", 65);
        Property.check("ReadOnceProperty", Generator.Config.of(60), coverage.counting(Checks.readOnce(), CapabilitySituations.readOnce()));
        coverage.check();
    }
}
