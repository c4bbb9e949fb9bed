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
 * SPEC guarantee 4 (as built so far: Reply, NO_REPLY, PEER_DIED, timeouts, interrupts, kills):
 * every Call ends exactly once, with the reply of the task that handled it or an error; it never
 * stays blocked on a context no live task holds; one that ended with an error leaves no task holding
 * its context.
 */
class Guarantee04CallsAreReliable {
    @Test
    void everyCall_endsExactlyOnceWithReplyOrErrorAndNeverWaitsOnAGoneContext() {
        Set<Status> endings = EnumSet.noneOf(Status.class);
        Property.check("Guarantee04CallsAreReliable", Generator.Config.of(60), recording(endings, Checks.callsAreReliable()));
        // The property is only as good as the endings the runs reach: each kind must be among them.
        Set<Status> wanted = EnumSet.of(Status.OK, Status.NO_REPLY, Status.PEER_DIED, Status.REVOKED, Status.TIMEOUT,
                Status.INTERRUPTED);
        assertTrue(!Property.fullRun() || endings.containsAll(wanted), "the runs ended Calls only with " + endings + ", not all of " + wanted);
    }

    /** {@code checks}, noting the status every Call ended with. */
    private static java.util.function.Supplier<Check> recording(Set<Status> endings, java.util.function.Supplier<Check> checks) {
        return () -> {
            Check c = checks.get();
            return s -> {
                endings.addAll(Checks.callEndings(s));
                return c.check(s);
            };
        };
    }
}
