package io.capipc.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.TaskInfo;
import io.capipc.kernel.TaskHandle;
import io.capipc.system.supervisor.SupervisorReport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole system on both runtimes: the file server crashes holding a client's read, the supervisor
 * restarts it, it registers again, and every client ends with every answer right.
 */
class SystemImageTest {
    @TempDir
    Path dir;

    static List<String> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void crashMidRun_everyCallEnds_everyAnswerIsRight(String runtime) throws Exception {
        int big = 64 * 1024;
        SystemImage.prepare(dir, big);
        try (Harness h = Harness.of(runtime)) {
            h.expectFailures(InjectedFault.class);
            SystemImage image = new SystemImage(h.kernel(), new SystemImage.Config(dir, 3, 12, 5, big, big + big / 2),
                    h::start, h.clock());
            h.awaitEnded(image.clientTasks().toArray(TaskHandle[]::new));
            for (Client c : image.clients()) {
                assertTrue(c.finished(), "client-" + c.number());
                assertEquals(List.of(), c.wrongs());
                assertEquals(12, c.right(), "client-" + c.number() + " " + c.failures());
            }
            assertTrue(image.clients().stream().anyMatch(c -> c.failures().containsKey("PEER_DIED")),
                    () -> image.clients().stream().map(Client::failures).toList().toString());
            assertTrue(image.clients().getFirst().windowBytes() >= big, "client-1 read a large file by windows");
            SupervisorReport r = image.supervisorReport();
            assertEquals(new SupervisorReport.Child("files", 1, 1, TaskInfo.ERROR,
                    InjectedFault.class.getName().hashCode(), "InjectedFault"), r.children().get(1));
            assertEquals(0, r.children().get(0).restarts());
            assertEquals(2, image.fileServerRuns());
            assertEquals(1, h.kernel().inspect().task(image.filesTask().id()).restarts());
            assertEquals(List.of(), h.kernel().invariantViolations());
        }
    }
}
