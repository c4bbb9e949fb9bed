package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
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
        Property.check("ReadOnceProperty", Generator.Config.of(60), Checks.readOnce());
    }
}
