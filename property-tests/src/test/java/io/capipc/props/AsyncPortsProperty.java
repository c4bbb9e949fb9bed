package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.harness.Tally;
import io.capipc.props.ports.PortProperty;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Async ports refine {@link io.capipc.props.ports.AsyncRules} and keep guarantees 4, 6 and 7
 * ({@link PortProperty}, every check at once); a full search reaches every async situation at least
 * its minimum. With {@code capipc.props.injectBug} set, the planted bug runs without the kernel's
 * invariant checker, as the rest of the suite does (property-tests/injected-bug-run.sh).
 */
class AsyncPortsProperty {
    @Test
    void asyncPorts_refineTheModel_andKeepGuarantees4_6_7() {
        String bug = System.getProperty("capipc.props.injectBug", "");
        InjectedBugs planted = bug.isEmpty() ? InjectedBugs.NONE : InjectedBugs.of(InjectedBug.valueOf(bug));
        Tally coverage = new Tally();
        Optional<PortProperty.Report> failure = PortProperty.find(planted, coverage, PortProperty.all());
        failure.ifPresent(r -> {
            throw new AssertionError(r.toString());
        });
        System.out.println("AsyncPortsProperty coverage: " + coverage);
        if (PortProperty.fullRun()) {
            for (Map.Entry<String, Integer> m : PortProperty.MINIMUMS.entrySet()) {
                assertTrue(coverage.get(m.getKey()) >= m.getValue(),
                        m.getKey() + " reached " + coverage.get(m.getKey()) + " times, under " + m.getValue() + ": " + coverage);
            }
        }
    }
}
