package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Status;
import io.capipc.props.harness.Action;
import io.capipc.props.harness.Check;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.model.Model;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 7, over what is built. The guarantee is about async ports (docs/semantics.md §5.5):
 * queued async sends lost only as a suffix, the sender told at its next use and by a loss count.
 * <b>Async ports are not built</b>, so none of that is checked here; it comes with them.
 *
 * <p>What exists is checked in the same spirit, for synchronous sends and system messages. For each
 * (sender, endpoint) pair the messages receivers got from that task are, in order, exactly its Sends
 * that returned OK (and its Calls that were delivered), with no gap: a send that reached no receiver
 * returned an error to its sender (REVOKED, TIMEOUT, INTERRUPTED, WOULD_BLOCK or a refusal), or the
 * sender died, so the sender always learns of a loss; and a message whose sender was told it failed
 * never arrives later. System messages are never lost: every BADGE_DISCONNECTED, CALLER_CANCELLED and
 * TASK_FAULTED the model says was posted to an endpoint that accepted it is received, oldest first,
 * or is still queued there, or was dropped only because its endpoint was destroyed.
 */
class Guarantee07SendsAreSemiReliable {
    @Test
    void sendsReachTheirReceiverOrTheSenderIsTold_andSystemMessagesAreNeverLost() {
        Map<String, Integer> seen = new TreeMap<>();
        Property.check("Guarantee07SendsAreSemiReliable", new Generator.Config(60, 1), counting(seen, Checks.sendsAreSemiReliable()));
        System.out.println("Guarantee07SendsAreSemiReliable: reached " + seen);
        if (!Property.fullRun()) {
            return;
        }
        for (String what : new String[] {"a queued Send or Call released with REVOKED", "a queued Send timed out or interrupted",
                "a system message posted", "a system message queued"}) {
            assertTrue(seen.getOrDefault(what, 0) >= 3, "the runs reached " + seen + ", too rarely: " + what);
        }
    }

    /** {@code checks}, counting the losses and system messages the runs reached. */
    private static Supplier<Check> counting(Map<String, Integer> seen, Supplier<Check> checks) {
        return () -> {
            Check c = checks.get();
            return s -> {
                s.resumed().forEach(r -> {
                    Model.MTask was = s.before().task(r.task());
                    if (was.state() == Model.State.BLOCKED_ON_SEND) {
                        if (r.status() == Status.REVOKED) {
                            seen.merge("a queued Send or Call released with REVOKED", 1, Integer::sum);
                        } else if (!was.isCall() && (r.status() == Status.TIMEOUT || r.status() == Status.INTERRUPTED)) {
                            seen.merge("a queued Send timed out or interrupted", 1, Integer::sum);
                        }
                    }
                });
                if (!s.after().posted().isEmpty()) {
                    seen.merge("a system message posted", 1, Integer::sum);
                }
                if (s.after().notices().stream().anyMatch(q -> !q.isEmpty())) {
                    seen.merge("a system message queued", 1, Integer::sum);
                }
                if (s.action() instanceof Action.Kill) {
                    seen.merge("a kill", 1, Integer::sum);
                }
                return c.check(s);
            };
        };
    }
}
