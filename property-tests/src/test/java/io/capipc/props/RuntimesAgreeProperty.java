package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.harness.Tally;
import io.capipc.props.runtimes.RuntimeProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One transition, two runtimes (docs/semantics.md §10): bodies on the simulated runtime, and on the
 * threaded runtime's platform and virtual threads, take the same transitions, with the same outcomes and the
 * same end state, as the deterministic driver replaying them in the order the runtime took them
 * ({@link RuntimeProperty}).
 */
class RuntimesAgreeProperty {
    /** Each situation of {@link RuntimeProperty#SITUATIONS}, at least this often in a full run. */
    private static final int MINIMUM = 40;

    @ParameterizedTest(name = "{0}")
    @EnumSource(RuntimeProperty.Runtime.class)
    void runtime_takesTheDriversTransitions(RuntimeProperty.Runtime runtime) {
        Tally coverage = new Tally();
        RuntimeProperty.find(runtime, InjectedBugs.NONE, coverage).ifPresent(r -> {
            throw new AssertionError(r.toString());
        });
        System.out.println("RuntimeProperty coverage (" + runtime + "): " + coverage);
        if (RuntimeProperty.fullRun()) {
            String prefix = runtime.name().toLowerCase(java.util.Locale.ROOT) + ": ";
            for (String situation : RuntimeProperty.SITUATIONS.stream().filter(x -> x.startsWith(prefix)).toList()) {
                assertTrue(coverage.get(situation) >= MINIMUM,
                        situation + " reached " + coverage.get(situation) + " times, under " + MINIMUM + ": " + coverage);
            }
        }
    }

    /** A runtime that hands a body a stale status after its syscall blocked is caught, on each runtime it breaks. */
    @ParameterizedTest(name = "{0} is caught")
    @EnumSource(value = InjectedBug.class, names = {"SIM_STALE_STATUS", "THREADED_STALE_STATUS"})
    void aRuntimeBug_isCaught(InjectedBug bug) {
        RuntimeProperty.Runtime runtime = bug == InjectedBug.SIM_STALE_STATUS ? RuntimeProperty.Runtime.SIMULATED
                : RuntimeProperty.Runtime.THREADED;
        var report = RuntimeProperty.find(runtime, InjectedBugs.of(bug), new Tally());
        assertTrue(report.isPresent(), bug + " was not caught");
        System.out.println(bug + " caught:\n" + report.get());
    }
}
