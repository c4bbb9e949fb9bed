package io.capipc.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.system.Client;
import org.junit.jupiter.api.Test;

/** The demo fails a run whose clients recovered from more failures than the file server's restarts explain. */
class SystemDemoTest {
    @Test
    void noRestart_noFailureIsExplained() {
        assertNull(SystemDemo.unexplainedFailures(0, 0, 3));
        String problem = SystemDemo.unexplainedFailures(1, 0, 3);
        assertNotNull(problem);
        assertTrue(problem.startsWith("1 recovered failures, more than the 0"), problem);
    }

    @Test
    void oneRestart_explainsEachClientsTries_andNoMore() {
        assertNull(SystemDemo.unexplainedFailures(3L * Client.TRIES, 1, 3));
        assertNotNull(SystemDemo.unexplainedFailures(3L * Client.TRIES + 1, 1, 3));
        assertNull(SystemDemo.unexplainedFailures(6L * Client.TRIES, 2, 3));
    }
}
