package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Runner;
import org.junit.jupiter.api.Test;

/**
 * The cases deep runs failed on, replayed on every build at the length they were found at, so a
 * finding stays fixed: each names the run, what it found and where the fix is.
 */
class DeepRunFindingsTest {
    /**
     * Deep run of 4 December 2026 (runs=20000 steps=200 base=31337): a Call from a suspended context
     * and a Recv on the same endpoint were due at the same instant; the Call's timeout, first by task,
     * posted CALLER_CANCELLED, which the receiver got instead of its own timeout. The kernel and the
     * model agreed; the timeout check wrongly counted the receiver as due (fixed in ExpiryChecks).
     */
    @Test
    void seed37633_aDueReceiverGotTheCallersCancellationFirst() {
        Generator.Case c = Generator.generate(37633, Generator.Config.of(200));
        assertNull(Runner.run(c.shape(), c.actions(), InjectedBugs.NONE,
                Checks.all(Checks.liveness(), Checks.blockedErrorsLeaveNoTrace(), Checks.timeoutsFireOnce())));
    }
}
