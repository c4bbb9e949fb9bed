package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.syscall.Fault;
import io.capipc.kernel.syscall.Faults;
import io.capipc.props.harness.Check;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The properties can fail: each deliberately broken kernel is caught by the property of the
 * guarantee it breaks, and by the refinement property. Guarantee 11's fault is caught by
 * {@link Guarantee11NoAllocation}; guarantee 13's by {@link Guarantee13Linearizability}.
 */
class InjectedFaultsTest {
    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(Fault.BADGE_FROM_LABEL, "Guarantee01", Checks.unforgeableIdentity(), Generator.Config.of(60)),
                Arguments.of(Fault.UNWRAP_LOSES_BADGE, "Guarantee01", Checks.unforgeableIdentity(), Generator.Config.of(60)),
                Arguments.of(Fault.MINT_REBADGES, "Guarantee02", Checks.authorityOnlyShrinks(), Generator.Config.of(60)),
                Arguments.of(Fault.REVOKE_SPARES_ONE, "Guarantee03", Checks.revocationIsComplete(), Generator.Config.of(60)),
                Arguments.of(Fault.DELETE_KEEPS_SENDERS, "Guarantee03", Checks.revocationIsComplete(), Generator.Config.of(60)),
                Arguments.of(Fault.RECV_FORGETS_CONTEXT, "Guarantee04", Checks.callsAreReliable(), Generator.Config.of(60)),
                Arguments.of(Fault.REPLY_WAIT_COMPLETES_TWICE, "Guarantee05", Checks.repliesAtMostOnce(), Generator.Config.of(60)),
                Arguments.of(Fault.SEND_DROPS_MESSAGE, "Guarantee06", Checks.sendsAreOrdered(), new Generator.Config(60, 1)),
                Arguments.of(Fault.REPLY_WITHOUT_CALLER_FAILS, "Guarantee08", Checks.repliesAreUnreliable(), Generator.Config.of(60)),
                Arguments.of(Fault.LIFO_SENDERS, "Guarantee09", Checks.queuesAreConsistent(), Generator.Config.of(60)),
                Arguments.of(Fault.LIFO_RECEIVERS, "Guarantee09", Checks.queuesAreConsistent(), Generator.Config.of(60)),
                Arguments.of(Fault.REPLY_KEEPS_CONTEXT, "Guarantee10", Checks.buffersAreBounded(), Generator.Config.of(60)),
                Arguments.of(Fault.DEADLOCK_REPORT_SPARES_CALLERS, "Guarantee12", Checks.liveness(), Generator.Config.of(60)));
    }

    @ParameterizedTest(name = "{0} is caught by {1}")
    @MethodSource("faults")
    void fault_caughtByItsGuaranteeProperty(Fault fault, String guarantee, Supplier<Check> check, Generator.Config gen) {
        // Without the kernel's invariant checker, so the guarantee's own check must find it.
        Optional<Property.Report> report = Property.find(guarantee, gen, Faults.of(fault), check, false);
        assertTrue(report.isPresent(), guarantee + " did not catch " + fault);
        String why = report.get().failure().message();
        assertTrue(!why.startsWith("the kernel threw") && !why.startsWith("the model has"), "caught by accident: " + report.get());
        System.out.println("caught " + fault + ":\n" + report.get());
    }

    @ParameterizedTest(name = "{0} is caught by refinement")
    @MethodSource("faults")
    void fault_caughtByRefinement(Fault fault, String guarantee, Supplier<Check> check, Generator.Config gen) {
        // The deadlock report is derived data, not state the model's refinement compares.
        org.junit.jupiter.api.Assumptions.assumeTrue(fault != Fault.DEADLOCK_REPORT_SPARES_CALLERS);
        assertTrue(Property.find("Refinement", gen, Faults.of(fault), Checks.refinement()).isPresent(),
                "refinement did not catch " + fault);
    }

    @org.junit.jupiter.api.Test
    void everyFault_isExercisedByAProperty() {
        EnumSet<Fault> covered = EnumSet.of(Fault.NBSEND_ALLOCATES);
        faults().forEach(a -> covered.add((Fault) a.get()[0]));
        assertEquals(EnumSet.allOf(Fault.class), covered, "a Fault without a property that catches it");
    }

    @org.junit.jupiter.api.Test
    void report_showsSeedAndMinimalTrace() {
        Property.Report r = Property.find("Guarantee01", Generator.Config.of(60), Faults.of(Fault.BADGE_FROM_LABEL),
                Checks.unforgeableIdentity()).orElseThrow();
        String text = r.toString();
        assertTrue(text.contains("seed " + r.seed()) && text.contains("-Dcapipc.props.seed=" + r.seed()), text);
        assertTrue(r.trace().size() <= 6, "shrinking left " + r.trace().size() + " actions:\n" + text);
        assertTrue(List.copyOf(r.trace()).size() > 0);
    }
}
