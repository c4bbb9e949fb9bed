package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.harness.Tally;
import io.capipc.props.ports.PortProperty;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@link PortProperty} for a test: over a correct kernel, or the bug {@code capipc.props.injectBug}
 * names (without the kernel's invariant checker, as the rest of the suite does for
 * property-tests/injected-bug-run.sh), failing with the shrunk report; in a full search, each
 * situation must reach its minimum. And shows that a check catches a planted bug by itself.
 */
final class AsyncSearch {
    private AsyncSearch() {}

    static void check(String name, PortProperty.Check check, int cases, Map<String, Integer> minimums) {
        String bug = System.getProperty("capipc.props.injectBug", "");
        InjectedBugs planted = bug.isEmpty() ? InjectedBugs.NONE : InjectedBugs.of(InjectedBug.valueOf(bug));
        Tally coverage = new Tally();
        Optional<PortProperty.Report> failure = PortProperty.find(planted, coverage, EnumSet.of(check), cases);
        failure.ifPresent(r -> {
            throw new AssertionError(name + ": " + r);
        });
        System.out.println(name + " coverage: " + coverage);
        if (PortProperty.fullRun(cases)) {
            for (Map.Entry<String, Integer> m : minimums.entrySet()) {
                assertTrue(coverage.get(m.getKey()) >= m.getValue(),
                        name + ": " + m.getKey() + " reached " + coverage.get(m.getKey()) + " times, under " + m.getValue() + ": " + coverage);
            }
        }
    }

    static void caught(InjectedBug bug, PortProperty.Check check) {
        Optional<PortProperty.Report> report = PortProperty.find(InjectedBugs.of(bug), new Tally(), EnumSet.of(check));
        assertTrue(report.isPresent(), check + " did not catch " + bug);
        assertTrue(!report.get().message().startsWith("the kernel threw"), "caught by accident: " + report.get());
        System.out.println(bug + " caught by " + check + ":\n" + report.get());
    }
}
