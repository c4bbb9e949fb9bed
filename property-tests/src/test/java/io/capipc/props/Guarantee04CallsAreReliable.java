package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Status;
import io.capipc.props.harness.Check;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 4 (as built so far: Reply, also by handle, NO_REPLY, PEER_DIED, timeouts,
 * interrupts, kills, suspended contexts; AsyncCall is not built): every Call ends exactly once, with
 * the reply of the task that handled it or an error; it never stays blocked on a context no live task
 * holds (a suspended one is held by its Space's live tasks); one that ended with an error leaves no
 * task or Space holding its context. Calls whose context was suspended must be among the runs, ending
 * with NO_REPLY when the reply capability is deleted and with PEER_DIED when the Space's last task dies.
 */
class Guarantee04CallsAreReliable {
    @Test
    void everyCall_endsExactlyOnceWithReplyOrErrorAndNeverWaitsOnAGoneContext() {
        Set<Status> endings = EnumSet.noneOf(Status.class);
        java.util.Map<String, Integer> suspended = new java.util.TreeMap<>();
        Property.check("Guarantee04CallsAreReliable", Generator.Config.of(60),
                recording(endings, suspended, Checks.callsAreReliable()));
        System.out.println("Guarantee04CallsAreReliable: Calls ended from a suspended context: " + suspended);
        // The property is only as good as the endings the runs reach: each kind must be among them.
        Set<Status> wanted = EnumSet.of(Status.OK, Status.NO_REPLY, Status.PEER_DIED, Status.REVOKED, Status.TIMEOUT,
                Status.INTERRUPTED);
        assertTrue(!Property.fullRun() || endings.containsAll(wanted), "the runs ended Calls only with " + endings + ", not all of " + wanted);
        for (String way : new String[] {"OK", "NO_REPLY by Delete", "PEER_DIED"}) {
            assertTrue(!Property.fullRun() || suspended.containsKey(way), "suspended Calls ended only " + suspended + ", never " + way);
        }
    }

    /** {@code checks}, noting the status every Call ended with, and how those whose context was suspended ended. */
    private static java.util.function.Supplier<Check> recording(Set<Status> endings, java.util.Map<String, Integer> suspended,
                                                                java.util.function.Supplier<Check> checks) {
        return () -> {
            Check c = checks.get();
            return s -> {
                endings.addAll(Checks.callEndings(s));
                for (io.capipc.props.harness.World.Resumed r : s.resumed()) {
                    if (s.before().suspendedIn(r.task()) >= 0) {
                        String way = r.status() == Status.NO_REPLY && s.action() instanceof io.capipc.props.harness.Action.Delete
                                ? "NO_REPLY by Delete" : r.status().name();
                        suspended.merge(way, 1, Integer::sum);
                    }
                }
                return c.check(s);
            };
        };
    }
}
