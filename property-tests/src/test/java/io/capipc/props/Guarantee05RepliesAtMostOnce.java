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
                .require("ReplyWait answering a Call", 56)
                .require("Resume by a live handle", 26)
                .require("Resume by a handle whose caller has gone", 4)
                .require("Resume by a used-up handle", 22)
                .require("Resume by a used-up handle whose slot holds a newer context", 2)
                .require("Resume by a used-up handle after its Space suspended again", 2)
                .require("Resume by another Space's handle", 27)
                .require("Resume by a forged handle", 74)
                .require("Reply(h) by a live handle", 55)
                .require("Reply(h) by a handle whose caller has gone", 5)
                .require("Reply(h) by a used-up handle", 34)
                .require("Reply(h) by a used-up handle whose slot holds a newer context", 3)
                .require("Reply(h) by a used-up handle after its Space suspended again", 4)
                .require("Reply(h) by another Space's handle", 32)
                .require("Reply(h) by a forged handle", 188)
                .require("Forward(h) by a live handle", 7)
                .require("Forward(h) by a handle whose caller has gone", 3)
                .require("Forward(h) by a used-up handle", 26)
                .require("Forward(h) by a used-up handle whose slot holds a newer context", 2)
                .require("Forward(h) by a used-up handle after its Space suspended again", 4)
                .require("Forward(h) by another Space's handle", 27)
                .require("Forward(h) by a forged handle", 101)
                .require("Read(h) by a live handle", 25)
                .require("Read(h) by a handle whose caller has gone", 4)
                .require("Read(h) by a used-up handle", 31)
                .require("Read(h) by a used-up handle whose slot holds a newer context", 7)
                .require("Read(h) by a used-up handle after its Space suspended again", 8)
                .require("Read(h) by another Space's handle", 25)
                .require("Read(h) by a forged handle", 66)
                .require("Write(h) by a live handle", 27)
                .require("Write(h) by a handle whose caller has gone", 3)
                .require("Write(h) by a used-up handle", 28)
                .require("Write(h) by a used-up handle whose slot holds a newer context", 7)
                .require("Write(h) by a used-up handle after its Space suspended again", 8)
                .require("Write(h) by another Space's handle", 32)
                .require("Write(h) by a forged handle", 75)
                .require("CallerInfo(h) by a live handle", 15)
                .require("CallerInfo(h) by a handle whose caller has gone", 2)
                .require("CallerInfo(h) by a used-up handle", 23)
                .require("CallerInfo(h) by a used-up handle whose slot holds a newer context", 4)
                .require("CallerInfo(h) by a used-up handle after its Space suspended again", 5)
                .require("CallerInfo(h) by another Space's handle", 22)
                .require("CallerInfo(h) by a forged handle", 39);
        Property.check("Guarantee05RepliesAtMostOnce", Generator.Config.of(60), coverage.counting(Checks.repliesAtMostOnce(), MessageSituations.handles()));
        coverage.check();
    }
}
