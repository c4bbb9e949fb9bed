package io.capipc.props;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.harness.Action;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Runner;
import io.capipc.props.model.Shape;
import java.util.List;

/**
 * Whole syscall sequences chosen by the fuzzer (Jazzer), run on the deterministic driver beside the
 * reference model with the refinement check and the kernel's invariants as the oracle: the property
 * suite's {@link Runner}, fed by the fuzzer instead of the seeded generator. The world's shape comes
 * from the generator, by a seed the input picks; the actions from {@link FuzzActions}.
 *
 * <p>In {@code mvn verify} (no JAZZER_FUZZ) this replays the committed inputs in
 * src/test/resources/io/capipc/props/SyscallSequenceFuzzTestInputs; docs/testing.md, "Fuzzing", has
 * the command for a fuzzing session and its figures.
 */
class SyscallSequenceFuzzTest {
    /** Actions per input at most: about the property suite's 60. */
    private static final int MAX_ACTIONS = 80;

    @FuzzTest(maxDuration = "60s")
    void syscallSequences_refineTheReferenceModel(FuzzedDataProvider data) {
        Shape shape = Generator.generate(data.consumeInt(0, 1 << 20), Generator.Config.of(0)).shape();
        List<Action> actions = FuzzActions.decode(data, shape, MAX_ACTIONS);
        Runner.Failure f = Runner.run(shape, actions, InjectedBugs.NONE, Checks.refinement());
        if (f != null) {
            StringBuilder sb = new StringBuilder("step ").append(f.step()).append(": ").append(f.message())
                    .append("\nworld: ").append(shape).append('\n');
            for (int i = 0; i <= f.step(); i++) {
                sb.append(String.format("  %3d  %s%n", i, Action.show(actions.get(i))));
            }
            throw new AssertionError(sb.toString());
        }
    }
}
