package io.capipc.props;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.props.ports.PortProperty;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Async ports refine their reference model ({@link io.capipc.props.ports.AsyncRules}): every status,
 * every task's state and registers, every delivered message, answer and tag, every queue, every
 * port's entries and loss count, and every capability agree after every step; a full search reaches
 * every async situation. Each async bug planted in the kernel is caught by refinement.
 */
class AsyncPortsRefinementProperty {
    /** A quarter of what a full search of {@link PortProperty#RUNS} cases reached, as measured. */
    private static final Map<String, Integer> MINIMUMS = Map.ofEntries(
            Map.entry("async send delivered to a waiting server", 226),
            Map.entry("async message taken from the queue", 270),
            Map.entry("async call answered by a reply", 46),
            Map.entry("async call answered NO_REPLY", 37),
            Map.entry("async call answered PEER_DIED", 7),
            Map.entry("async call answered REVOKED", 28),
            Map.entry("answer handed to a waiting client", 48),
            Map.entry("port full (WOULD_BLOCK)", 89),
            Map.entry("loss by Revoke of the client's capability", 13),
            Map.entry("loss by Revoke of the endpoint's root", 14),
            Map.entry("loss by CancelBadgedSends", 16),
            Map.entry("loss of more than one message", 22),
            Map.entry("refused after a loss (REVOKED)", 59),
            Map.entry("barrier Call returned OK after queued messages", 13),
            Map.entry("sync Send taken with an async message queued behind it", 39),
            Map.entry("AsyncCall refused: reply endpoint gone", 48),
            Map.entry("port destroyed with entries in use", 107),
            Map.entry("server left a cancelled async context", 55),
            Map.entry("Recv dropped a held AsyncCall and took an answer at once", 48),
            Map.entry("async message carried a capability", 72),
            Map.entry("capability arrived unwrapped from a port", 6),
            Map.entry("port destroyed by its own message's capability", 38),
            Map.entry("CallerInfo of an AsyncCall's context", 15),
            Map.entry("CallerInfo of a Call through the port", 2),
            Map.entry("async message carried two capabilities", 10));

    @Test
    void asyncPorts_refineTheModel() {
        AsyncSearch.check("AsyncPortsRefinementProperty", PortProperty.Check.REFINEMENT, PortProperty.RUNS, MINIMUMS);
    }

    @ParameterizedTest(name = "{0} is caught by refinement")
    @EnumSource(value = InjectedBug.class, names = {"ASYNC_LOSS_GAP", "ASYNC_SECOND_REPLY", "ASYNC_ERROR_LOST", "ASYNC_SEND_BLOCKS"})
    void anAsyncBug_isCaughtByRefinement(InjectedBug bug) {
        AsyncSearch.caught(bug, PortProperty.Check.REFINEMENT);
    }
}
