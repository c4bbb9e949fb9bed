package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.explore.ExploreScenarios;
import io.capipc.props.explore.Explorer;
import io.capipc.props.explore.Scenario;
import io.capipc.props.harness.Check;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * For docs/testing.md: per planted bug, how many random cases the property of its guarantee and the
 * refinement property need to catch it, against what the explorer visits to catch it. Only with
 * {@code -Dcapipc.explore.table=true} (it runs each property up to its full number of cases); writes
 * {@code target/explorer-vs-random.md}.
 */
class ExplorerVersusRandomTest {
    @Test
    @SuppressWarnings("unchecked")
    void table() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("capipc.explore.table"), "only with -Dcapipc.explore.table=true");
        StringBuilder out = new StringBuilder("| bug | guarantee's property: cases | refinement: cases | explorer: scenario | states | transitions | time |\n"
                + "|---|---:|---:|---|---:|---:|---:|\n");
        InjectedFaultsTest.faults().map(Arguments::get).forEach(a -> {
            InjectedBug bug = (InjectedBug) a[0];
            String name = (String) a[1];
            Supplier<Check> check = (Supplier<Check>) a[2];
            Generator.Config gen = (Generator.Config) a[3];
            String own = cases(Property.find(name, gen, InjectedBugs.of(bug), check, false));
            String refinement = cases(Property.find("Refinement", gen, InjectedBugs.of(bug), Checks.refinement()));
            Explorer.Result found = null;
            long nanos = 0;
            for (Scenario s : ExploreScenarios.all()) {
                Explorer.Result r = Explorer.explore(s, bug);
                nanos += r.nanos();
                if (r.violation() != null) {
                    found = r;
                    break;
                }
            }
            assertTrue(found != null, "the explorer misses " + bug);
            out.append(String.format("| %s | %s (%s) | %s | %s | %d | %d | %.2f s |%n", bug, own, name, refinement,
                    found.scenario().name(), found.states(), found.transitions(), nanos / 1e9));
        });
        System.out.println(out);
        Files.writeString(Path.of("target", "explorer-vs-random.md"), out);
    }

    /** The number of generated cases up to and including the one that failed (seeds count from 1). */
    private static String cases(Optional<Property.Report> r) {
        return r.map(rep -> Long.toString(rep.seed() - Long.getLong("capipc.props.base", 1L) + 1)).orElse("not caught");
    }
}
