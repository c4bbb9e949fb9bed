package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.Tally;
import io.capipc.props.regions.RegionProperty;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guarantee 14 (mappings die with their authority) and 15 (a moved capability leaves nothing
 * behind), with guarantees 2 and 3 over windows, checked by {@link RegionProperty} against its own
 * reference model; each region bug injected into the kernel is caught by it alone.
 */
class Guarantee14And15Regions {
    /** Each situation of {@link RegionProperty#SITUATIONS}, at least this often in a full run. */
    private static final int MINIMUM = 5;

    @Test
    void regions_agreeWithTheModel_andViewsDieWithTheirAuthority() {
        Tally coverage = new Tally();
        Optional<RegionProperty.Report> failure = RegionProperty.find(InjectedBugs.NONE, coverage);
        failure.ifPresent(r -> {
            throw new AssertionError(r.toString());
        });
        System.out.println("RegionProperty coverage: " + coverage);
        if (Property.fullRun()) {
            for (String situation : RegionProperty.SITUATIONS) {
                assertTrue(coverage.get(situation) >= MINIMUM,
                        situation + " reached " + coverage.get(situation) + " times, under " + MINIMUM + ": " + coverage);
            }
        }
    }

    @ParameterizedTest(name = "{0} is caught")
    @EnumSource(value = InjectedBug.class, names = {"WINDOW_AT_MEMORY_OFFSET", "MAPPING_SURVIVES_REVOKE",
            "MOVE_LEAVES_COPY", "WINDOW_NOT_COUNTED"})
    void aRegionBug_isCaughtByTheProperty(InjectedBug bug) {
        Optional<RegionProperty.Report> report = RegionProperty.find(InjectedBugs.of(bug), new Tally());
        assertTrue(report.isPresent(), bug + " was not caught");
        assertTrue(!report.get().message().startsWith("the kernel threw"), "caught by accident: " + report.get());
        System.out.println(bug + " caught:\n" + report.get());
    }
}
