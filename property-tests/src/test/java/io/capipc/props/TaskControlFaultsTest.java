package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The task-control bugs (docs/semantics.md §13) are caught by the refinement property too, now that
 * the shared model has Kill, Restart and TaskInfo through Task capabilities: a Restart that keeps the
 * old IPC buffer, and a Kill or Restart through a capability without WRITE. (Guarantee16Budgets
 * catches each with its own model.)
 */
class TaskControlFaultsTest {
    @ParameterizedTest(name = "{0} is caught by refinement")
    @EnumSource(value = InjectedBug.class, names = {"RESTART_KEEPS_IPC_BUFFER", "KILL_WITHOUT_WRITE"})
    void aTaskControlBug_isCaughtByRefinement(InjectedBug bug) {
        Optional<Property.Report> report = Property.find("Refinement", Generator.Config.of(60), InjectedBugs.of(bug),
                Checks.refinement());
        assertTrue(report.isPresent(), bug + " was not caught");
        System.out.println(bug + " caught:\n" + report.get());
    }
}
