package io.capipc.props;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.MessageSituations;
import io.capipc.props.harness.Property;
import io.capipc.props.ports.PortProperty;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/semantics.md guarantee 7. Over async ports (docs/semantics.md §5.5; {@link PortProperty},
 * {@link PortProperty.Check#LOSSES}): AsyncSend and AsyncCall never block; every message a port
 * accepted is delivered, still queued, or counted in the port's loss count; the delivered ones are
 * the first ones sent; and once the port lost one it accepts nothing more (the sender is told
 * REVOKED at its next use), so losses are a suffix, never a gap. The runs must reach losses by each
 * fault (Revoke of the client's capability and of the endpoint's root, CancelBadgedSends), losses of
 * several messages at once, full ports, refusals after a loss and ports destroyed in use.
 *
 * <p>The same is checked for synchronous sends and system messages. For each
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

    @Test
    void asyncSends_neverBlock_andAreLostOnlyAsASuffix() {
        AsyncSearch.check("Guarantee07SendsAreSemiReliable (async)", PortProperty.Check.LOSSES, 200, Map.of(
                "port full (WOULD_BLOCK)", 27,
                "loss by Revoke of the client's capability", 3,
                "loss by Revoke of the endpoint's root", 5,
                "loss by CancelBadgedSends", 4,
                "loss of more than one message", 7,
                "refused after a loss (REVOKED)", 17,
                "port destroyed with entries in use", 34));
    }

    @ParameterizedTest(name = "{0} is caught")
    @EnumSource(value = InjectedBug.class, names = {"ASYNC_LOSS_GAP", "ASYNC_SEND_BLOCKS"})
    void anAsyncLossBug_isCaughtByTheAsyncCheck(InjectedBug bug) {
        AsyncSearch.caught(bug, PortProperty.Check.LOSSES);
    }
}
