package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.MessageSituations;
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
        Coverage coverage = Coverage.of("Guarantee05RepliesAtMostOnce")
                .require("ReplyWait answering a Call", 1)
                .require("Resume by a live handle", 1)
                .require("Resume by a handle whose caller has gone", 1)
                .require("Resume by a used-up handle", 1)
                .require("Resume by a used-up handle whose slot holds a newer context", 1)
                .require("Resume by a used-up handle after its Space suspended again", 1)
                .require("Resume by another Space's handle", 1)
                .require("Resume by a forged handle", 1)
                .require("Reply(h) by a live handle", 1)
                .require("Reply(h) by a handle whose caller has gone", 1)
                .require("Reply(h) by a used-up handle", 1)
                .require("Reply(h) by a used-up handle whose slot holds a newer context", 1)
                .require("Reply(h) by a used-up handle after its Space suspended again", 1)
                .require("Reply(h) by another Space's handle", 1)
                .require("Reply(h) by a forged handle", 1)
                .require("Forward(h) by a live handle", 1)
                .require("Forward(h) by a handle whose caller has gone", 1)
                .require("Forward(h) by a used-up handle", 1)
                .require("Forward(h) by a used-up handle whose slot holds a newer context", 1)
                .require("Forward(h) by a used-up handle after its Space suspended again", 1)
                .require("Forward(h) by another Space's handle", 1)
                .require("Forward(h) by a forged handle", 1)
                .require("Read(h) by a live handle", 1)
                .require("Read(h) by a handle whose caller has gone", 1)
                .require("Read(h) by a used-up handle", 1)
                .require("Read(h) by a used-up handle whose slot holds a newer context", 1)
                .require("Read(h) by a used-up handle after its Space suspended again", 1)
                .require("Read(h) by another Space's handle", 1)
                .require("Read(h) by a forged handle", 1)
                .require("Write(h) by a live handle", 1)
                .require("Write(h) by a handle whose caller has gone", 1)
                .require("Write(h) by a used-up handle", 1)
                .require("Write(h) by a used-up handle whose slot holds a newer context", 1)
                .require("Write(h) by a used-up handle after its Space suspended again", 1)
                .require("Write(h) by another Space's handle", 1)
                .require("Write(h) by a forged handle", 1)
                .require("CallerInfo(h) by a live handle", 1)
                .require("CallerInfo(h) by a handle whose caller has gone", 1)
                .require("CallerInfo(h) by a used-up handle", 1)
                .require("CallerInfo(h) by a used-up handle whose slot holds a newer context", 1)
                .require("CallerInfo(h) by a used-up handle after its Space suspended again", 1)
                .require("CallerInfo(h) by another Space's handle", 1)
                .require("CallerInfo(h) by a forged handle", 1);
        Property.check("Guarantee05RepliesAtMostOnce", Generator.Config.of(60), coverage.counting(Checks.repliesAtMostOnce(), MessageSituations.handles()));
        coverage.check();
    }
}
