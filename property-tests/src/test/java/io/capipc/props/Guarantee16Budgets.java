package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.budgets.BudgetProperty;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.Tally;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guarantee 16 (budgets hold): checked by {@link BudgetProperty} against its own reference model;
 * each budget bug injected into the kernel is caught by it alone.
 */
class Guarantee16Budgets {
    /** Each situation of {@link BudgetProperty#SITUATIONS}, at least this often in a full run. */
    private static final int MINIMUM = 5;

    @Test
    void budgets_agreeWithTheModel_andHold() {
        Tally coverage = new Tally();
        Optional<BudgetProperty.Report> failure = BudgetProperty.find(InjectedBugs.NONE, coverage);
        failure.ifPresent(r -> {
            throw new AssertionError(r.toString());
        });
        System.out.println("BudgetProperty coverage: " + coverage);
        if (Property.fullRun()) {
            for (String situation : BudgetProperty.SITUATIONS) {
                assertTrue(coverage.get(situation) >= MINIMUM,
                        situation + " reached " + coverage.get(situation) + " times, under " + MINIMUM + ": " + coverage);
            }
        }
    }

    @ParameterizedTest(name = "{0} is caught")
    @EnumSource(value = InjectedBug.class, names = {"RETYPE_FORGETS_CHARGE", "REFUND_SKIPPED", "REVOKE_SPARES_MADE",
            "RETYPE_WITHOUT_WRITE", "KILL_WITHOUT_WRITE",
            "RESTART_KEEPS_IPC_BUFFER"})
    void aBudgetBug_isCaughtByTheProperty(InjectedBug bug) {
        Optional<BudgetProperty.Report> report = BudgetProperty.find(InjectedBugs.of(bug), new Tally());
        assertTrue(report.isPresent(), bug + " was not caught");
        assertTrue(!report.get().message().startsWith("the kernel threw"), "caught by accident: " + report.get());
        System.out.println(bug + " caught:\n" + report.get());
    }
}
