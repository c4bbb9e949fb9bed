package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Status;
import io.capipc.props.harness.Action;
import io.capipc.props.harness.Check;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.World;
import io.capipc.props.model.Model;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 12: no task stays blocked on an object that no longer exists, and the deadlock the
 * kernel reports is exactly the one the reference model computes, after every step; with docs/semantics.md
 * §6 and §7 for the ways a blocked task gets out other than being served: a blocked syscall
 * that ends with an error leaves no trace in any queue, a timeout fires exactly once when the clock
 * reaches it, an interrupt ends exactly its task's blocked syscall, a killed task is gone from
 * everywhere.
 */
class Guarantee12Liveness {
    @Test
    void blockedTasks_neverOnDestroyedObjects_andDeadlockReportMatchesModel() {
        Property.check("Guarantee12Liveness", Generator.Config.of(60), Checks.liveness());
    }

    @Test
    void blockedSyscallsEndingEarly_leaveNoTrace_andTimeoutsFireExactlyOnce() {
        Map<String, Integer> seen = new TreeMap<>();
        Property.check("Guarantee12Liveness", Generator.Config.of(60),
                counting(seen, Checks.all(Checks.blockedErrorsLeaveNoTrace(), Checks.timeoutsFireOnce())));
        System.out.println("Guarantee12Liveness: blocked syscalls ended early, by way: " + seen);
        // The checks are only as good as what the runs reach: every way out must be among them, often.
        if (!Property.fullRun()) {
            return;
        }
        for (String way : new String[] {"timed out on a clock advance", "timed out at once", "interrupted while blocked",
                "killed while blocked", "killed holding a context", "read a cancelled context"}) {
            assertTrue(seen.getOrDefault(way, 0) >= 3, "the runs reached " + seen + ", too rarely: " + way);
        }
    }

    /** {@code checks}, counting the ways blocked syscalls ended early and what their servers saw. */
    private static Supplier<Check> counting(Map<String, Integer> seen, Supplier<Check> checks) {
        return () -> {
            Check c = checks.get();
            return s -> {
                for (World.Resumed r : s.resumed()) {
                    if (r.status() == Status.TIMEOUT) {
                        seen.merge("timed out on a clock advance", 1, Integer::sum);
                    } else if (r.status() == Status.INTERRUPTED) {
                        seen.merge("interrupted while blocked", 1, Integer::sum);
                    }
                }
                if (s.kernelStatus() == Status.TIMEOUT) {
                    seen.merge("timed out at once", 1, Integer::sum);
                } else if (s.kernelStatus() == Status.CANCELLED) {
                    seen.merge("read a cancelled context", 1, Integer::sum);
                }
                if (s.action() instanceof Action.Kill k) {
                    Model.MTask was = s.before().task(k.task());
                    if (was.state() != Model.State.RUNNING && was.state() != Model.State.DEAD) {
                        seen.merge("killed while blocked", 1, Integer::sum);
                    }
                    if (was.holds() >= 0) {
                        seen.merge("killed holding a context", 1, Integer::sum);
                    }
                }
                return c.check(s);
            };
        };
    }
}
