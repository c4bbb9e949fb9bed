package io.capipc.props;

import io.capipc.props.harness.CapabilitySituations;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 12: no task stays blocked on an object that no longer exists, and the deadlock the
 * kernel reports is exactly the one the reference model computes, after every step; with docs/semantics.md
 * §6 and §7 for the ways a blocked task gets out other than being served: a blocked syscall
 * that ends with an error leaves no trace in any queue, a timeout fires exactly once when the clock
 * reaches it, an interrupt ends exactly its task's blocked syscall, a killed task is gone from
 * everywhere. The runs must destroy objects with tasks waiting on them in every kind of wait, take
 * callers' contexts away while they wait, report deadlocks, and reach every way out.
 */
class Guarantee12Liveness {
    @Test
    void blockedTasks_neverOnDestroyedObjects_andDeadlockReportMatchesModel() {
        Coverage coverage = Coverage.of("Guarantee12Liveness")
                .require("endpoint destroyed", 1)
                .require("endpoint destroyed with a Send queued", 1)
                .require("endpoint destroyed with a Call queued", 1)
                .require("endpoint destroyed with a Recv waiting", 1)
                .require("endpoint destroyed with a ReplyWait waiting", 1)
                .require("endpoint destroyed with a receiver bound to a notification", 1)
                .require("endpoint destroyed with system messages queued", 1)
                .require("endpoint destroyed while a Call received through it awaits its reply", 1)
                .require("notification destroyed", 1)
                .require("notification destroyed with a waiter", 1)
                .require("notification destroyed with a task bound to it", 1)
                .require("notification destroyed while its bound task waits in Recv", 1)
                .require("a reply capability deleted while its caller waits", 1)
                .require("the holder of a context died while its caller waits", 1)
                .require("a Space's last task died with callers suspended there", 1)
                .require("a queued sender released with REVOKED", 1)
                .require("a waiter released with REVOKED", 1)
                .require("a deadlock reported", 1)
                .require("a deadlock of a caller whose context is suspended", 1)
                .require("a deadlock of a caller whose server holds its context", 1)
                .require("a deadlock of a notification waiter", 1);
        Property.check("Guarantee12Liveness", Generator.Config.of(60),
                coverage.counting(Checks.liveness(), CapabilitySituations.destruction()));
        coverage.check();
    }

    @Test
    void blockedSyscallsEndingEarly_leaveNoTrace_andTimeoutsFireExactlyOnce() {
        Coverage coverage = Coverage.of("Guarantee12Liveness (ways out)")
                .require("timed out on a clock advance", 3)
                .require("timed out at once", 3)
                .require("interrupted while blocked", 3)
                .require("killed while blocked", 3)
                .require("killed holding a context", 3)
                .require("read a cancelled context", 3)
                .require("a queued sender released with REVOKED", 1)
                .require("a waiter released with REVOKED", 1);
        Property.check("Guarantee12Liveness", Generator.Config.of(60),
                coverage.counting(Checks.all(Checks.blockedErrorsLeaveNoTrace(), Checks.timeoutsFireOnce()), CapabilitySituations.destruction()));
        coverage.check();
    }
}
