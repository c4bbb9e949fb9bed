package io.capipc.props;

import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.MessageSituations;
import io.capipc.props.harness.Property;
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
 * or is still queued there, or was dropped only because its endpoint was destroyed. The runs must
 * reach the losses and every kind of system message, received straight and from the queue.
 */
class Guarantee07SendsAreSemiReliable {
    @Test
    void sendsReachTheirReceiverOrTheSenderIsTold_andSystemMessagesAreNeverLost() {
        Coverage coverage = Coverage.of("Guarantee07SendsAreSemiReliable")
                .require("a queued Send or Call released with REVOKED", 76)
                .require("a queued Send timed out or interrupted", 80)
                .require("a system message posted", 44)
                .require("a system message queued", 276)
                .require("CALLER_CANCELLED posted", 6)
                .require("BADGE_DISCONNECTED posted", 34)
                .require("TASK_FAULTED posted", 4)
                .require("CALLER_CANCELLED received", 4)
                .require("BADGE_DISCONNECTED received", 26)
                .require("TASK_FAULTED received", 5)
                .require("a system message handed straight to a waiting receiver", 8)
                .require("a system message taken from the queue", 27)
                .require("system messages dropped with their endpoint", 9);
        Property.check("Guarantee07SendsAreSemiReliable", new Generator.Config(60, 1),
                coverage.counting(Checks.sendsAreSemiReliable(), MessageSituations.systemMessages()));
        coverage.check();
    }
}
