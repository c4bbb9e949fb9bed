package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.harness.Action;
import io.capipc.props.harness.Check;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.World;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The properties can fail: each deliberately broken kernel is caught by the property of the
 * guarantee it breaks, and by the refinement property (docs/semantics.md §7's "no trace" by Guarantee12's
 * check of it). Guarantee 11's faults are caught by {@link Guarantee11NoAllocation}; guarantee 13's by
 * {@link Guarantee13Linearizability}.
 */
class InjectedFaultsTest {
    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(InjectedBug.BADGE_FROM_LABEL, "Guarantee01", Checks.unforgeableIdentity(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.UNWRAP_LOSES_BADGE, "Guarantee01", Checks.unforgeableIdentity(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.MINT_REBADGES, "Guarantee02", Checks.authorityOnlyShrinks(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.REVOKE_SPARES_ONE, "Guarantee03", Checks.revocationIsComplete(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.DELETE_KEEPS_SENDERS, "Guarantee03", Checks.revocationIsComplete(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.RECV_FORGETS_CONTEXT, "Guarantee04", Checks.callsAreReliable(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.REPLY_WAIT_COMPLETES_TWICE, "Guarantee05", Checks.repliesAtMostOnce(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.SEND_DROPS_MESSAGE, "Guarantee06", Checks.sendsAreOrdered(), new Generator.Config(60, 1)),
                Arguments.of(InjectedBug.REPLY_WITHOUT_CALLER_FAILS, "Guarantee08", Checks.repliesAreUnreliable(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.LIFO_SENDERS, "Guarantee09", Checks.queuesAreConsistent(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.LIFO_RECEIVERS, "Guarantee09", Checks.queuesAreConsistent(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.REPLY_KEEPS_CONTEXT, "Guarantee10", Checks.buffersAreBounded(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.DEADLOCK_REPORT_SPARES_CALLERS, "Guarantee12", Checks.liveness(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.TIMEOUT_STAYS_QUEUED, "Guarantee12", Checks.blockedErrorsLeaveNoTrace(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.SYSTEM_FLAG_FORGEABLE, "Guarantee01", Checks.unforgeableIdentity(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.LAST_TASK_KEEPS_SUSPENDED, "Guarantee04", Checks.callsAreReliable(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.STALE_HANDLE_ACCEPTED, "Guarantee05", Checks.repliesAtMostOnce(), Generator.Config.of(200)),
                Arguments.of(InjectedBug.NOTICE_DROPPED, "Guarantee07", Checks.sendsAreSemiReliable(), new Generator.Config(60, 1)),
                Arguments.of(InjectedBug.RELEASE_WITHOUT_STATUS, "Guarantee07", Checks.sendsAreSemiReliable(), new Generator.Config(60, 1)),
                Arguments.of(InjectedBug.GONE_REPLY_FAILS, "Guarantee08", Checks.repliesAreUnreliable(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.WRITE_HANDLE_WRONG_CONTEXT, "Guarantee10", Checks.buffersAreBounded(), Generator.Config.of(200)),
                Arguments.of(InjectedBug.DEADLOCK_REPORT_SPARES_SUSPENDED, "Guarantee12", Checks.liveness(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.REVOKE_LEAVES_GRANDCHILDREN, "Guarantee03", Checks.revocationIsComplete(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.REVOKE_SPARES_QUEUED_CAPS, "Guarantee03", Checks.revocationIsComplete(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.DESTROY_KEEPS_RECEIVERS, "Guarantee12", Checks.liveness(), Generator.Config.of(60)),
                Arguments.of(InjectedBug.TRANSFER_REREADS_IPC_BUFFER, "ReadOnce", Checks.readOnce(), Generator.Config.of(60)));
    }

    @ParameterizedTest(name = "{0} is caught by {1}")
    @MethodSource("faults")
    void fault_caughtByItsGuaranteeProperty(InjectedBug fault, String guarantee, Supplier<Check> check, Generator.Config gen) {
        // Without the kernel's invariant checker, so the guarantee's own check must find it.
        Optional<Property.Report> report = Property.find(guarantee, gen, InjectedBugs.of(fault), check, false);
        assertTrue(report.isPresent(), guarantee + " did not catch " + fault);
        String why = report.get().failure().message();
        assertTrue(!why.startsWith("the kernel threw") && !why.startsWith("the model has"), "caught by accident: " + report.get());
        System.out.println("caught " + fault + ":\n" + report.get());
    }

    @ParameterizedTest(name = "{0} is caught by refinement")
    @MethodSource("faults")
    void fault_caughtByRefinement(InjectedBug fault, String guarantee, Supplier<Check> check, Generator.Config gen) {
        // The deadlock report is derived data, not state the model's refinement compares.
        org.junit.jupiter.api.Assumptions.assumeTrue(fault != InjectedBug.DEADLOCK_REPORT_SPARES_CALLERS
                && fault != InjectedBug.DEADLOCK_REPORT_SPARES_SUSPENDED);
        assertTrue(Property.find("Refinement", gen, InjectedBugs.of(fault), Checks.refinement()).isPresent(),
                "refinement did not catch " + fault);
    }

    /**
     * The timeout check has no kernel fault of its own (one fault per broken guarantee is enough to
     * keep in the kernel): it must catch runs whose clock advances report a timeout twice, or lose one.
     */
    @ParameterizedTest(name = "a timeout reported twice: {0}")
    @ValueSource(booleans = {true, false})
    void timeoutsFireOnce_catchesATimeoutReportedTwiceOrLost(boolean twice) {
        Supplier<Check> doctored = () -> {
            Check c = Checks.timeoutsFireOnce().get();
            return s -> {
                if (!(s.action() instanceof Action.Advance) || s.resumed().isEmpty()) {
                    return c.check(s);
                }
                List<World.Resumed> resumed = new ArrayList<>(s.resumed());
                if (twice) {
                    resumed.add(resumed.get(0));
                } else {
                    resumed.remove(0);
                }
                return c.check(new Check.StepRecord(s.index(), s.action(), s.before(), s.after(), s.modelStatus(),
                        s.kernelStatus(), s.viewBefore(), s.viewAfter(), List.copyOf(resumed), s.world()));
            };
        };
        Optional<Property.Report> report = Property.find("Guarantee12", Generator.Config.of(60), InjectedBugs.NONE, doctored, false);
        assertTrue(report.isPresent(), "timeoutsFireOnce did not catch a timeout " + (twice ? "reported twice" : "lost"));
        System.out.println("caught a timeout " + (twice ? "reported twice" : "lost") + ":\n" + report.get());
    }

    @org.junit.jupiter.api.Test
    void everyFault_isExercisedByAProperty() {
        // The allocating bugs are caught by Guarantee11NoAllocation; the region bugs by Guarantee14And15Regions;
        // the budget bugs by Guarantee16Budgets.
        EnumSet<InjectedBug> covered = EnumSet.of(InjectedBug.NBSEND_ALLOCATES, InjectedBug.SUSPEND_ALLOCATES,
                InjectedBug.WINDOW_AT_MEMORY_OFFSET, InjectedBug.MAPPING_SURVIVES_REVOKE, InjectedBug.MOVE_LEAVES_COPY,
                InjectedBug.WINDOW_NOT_COUNTED, InjectedBug.RETYPE_FORGETS_CHARGE, InjectedBug.REFUND_SKIPPED,
                InjectedBug.REVOKE_SPARES_MADE, InjectedBug.RETYPE_WITHOUT_WRITE, InjectedBug.KILL_WITHOUT_WRITE,
                InjectedBug.RESTART_KEEPS_IPC_BUFFER,
                // The async-port bugs: by the async checks of Guarantee04 and Guarantee07 and by AsyncPortsRefinementProperty.
                InjectedBug.ASYNC_LOSS_GAP, InjectedBug.ASYNC_SECOND_REPLY, InjectedBug.ASYNC_ERROR_LOST, InjectedBug.ASYNC_SEND_BLOCKS,
                // The runtime bugs: by RuntimesAgreeProperty.
                InjectedBug.SIM_STALE_STATUS, InjectedBug.THREADED_STALE_STATUS,
                // The fast path's lock: by Guarantee13FastPaths (Lincheck, and the threaded runtime).
                InjectedBug.FAST_PATH_IGNORES_LOCK);
        faults().forEach(a -> covered.add((InjectedBug) a.get()[0]));
        assertEquals(EnumSet.allOf(InjectedBug.class), covered, "an injected bug without a property that catches it");
    }

    @org.junit.jupiter.api.Test
    void report_showsSeedAndMinimalTrace() {
        Property.Report r = Property.find("Guarantee01", Generator.Config.of(60), InjectedBugs.of(InjectedBug.BADGE_FROM_LABEL),
                Checks.unforgeableIdentity()).orElseThrow();
        String text = r.toString();
        assertTrue(text.contains("seed " + r.seed()) && text.contains("-Dcapipc.props.seed=" + r.seed()), text);
        assertTrue(r.trace().size() <= 6, "shrinking left " + r.trace().size() + " actions:\n" + text);
        assertTrue(List.copyOf(r.trace()).size() > 0);
    }
}
