package io.capipc.props;

import io.capipc.props.harness.CapabilitySituations;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.TaskSituations;
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
                .require("endpoint destroyed", 69)
                .require("endpoint destroyed with a Send queued", 15)
                .require("endpoint destroyed with a Call queued", 13)
                .require("endpoint destroyed with a Recv waiting", 14)
                .require("endpoint destroyed with a ReplyWait waiting", 11)
                .require("endpoint destroyed with a receiver bound to a notification", 1)
                .require("endpoint destroyed with system messages queued", 9)
                .require("endpoint destroyed while a Call received through it awaits its reply", 5)
                .require("notification destroyed", 38)
                .require("notification destroyed with a waiter", 14)
                .require("notification destroyed with a task bound to it", 21)
                .require("notification destroyed while its bound task waits in Recv", 1)
                .require("a reply capability deleted while its caller waits", 12)
                .require("the holder of a context died while its caller waits", 12)
                .require("a Space's last task died with callers suspended there", 2)
                .require("a queued sender released with REVOKED", 76)
                .require("a waiter released with REVOKED", 38)
                .require("a deadlock reported", 3509)
                .require("a deadlock of a caller whose context is suspended", 35)
                .require("a deadlock of a caller whose server holds its context", 54)
                .require("a deadlock of a notification waiter", 1172)
                .require("a deadlock reported after a Restart", 500)
                .require("a task waiting on a made endpoint released when its untyped went", 2);
        Property.check("Guarantee12Liveness", Generator.Config.of(60),
                coverage.counting(Checks.liveness(), Coverage.all(CapabilitySituations.destruction(), TaskSituations.control())));
        coverage.check();
    }

    @Test
    void blockedSyscallsEndingEarly_leaveNoTrace_andTimeoutsFireExactlyOnce() {
        Coverage coverage = Coverage.of("Guarantee12Liveness (ways out)")
                .require("timed out on a clock advance", 59)
                .require("timed out at once", 37)
                .require("interrupted while blocked", 366)
                .require("killed while blocked", 32)
                .require("killed holding a context", 11)
                .require("read a cancelled context", 23)
                .require("a queued sender released with REVOKED", 76)
                .require("a waiter released with REVOKED", 38)
                .require("Kill of a blocked task", 15)
                .require("Restart of a blocked task", 28)
                .require("Restart of a dead task", 15)
                .require("Kill of a server holding a Call", 1)
                .require("Restart of a server holding a Call", 1)
                .require("Kill of itself", 15);
        Property.check("Guarantee12Liveness", Generator.Config.of(60),
                coverage.counting(Checks.all(Checks.blockedErrorsLeaveNoTrace(), Checks.timeoutsFireOnce()),
                        Coverage.all(CapabilitySituations.destruction(), TaskSituations.control())));
        coverage.check();
    }
}
