package io.capipc.kernel.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flight Recorder events (docs/observing.md, "Flight Recorder events"): one type per syscall
 * class, off by default, read back from the recording file with {@link RecordingFile}.
 */
class FlightEventsTest {
    private static final int EP = 0;
    private static final int NTFN = 1;
    private static final int COPY = 3;

    @TempDir
    Path dir;

    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle endpoint = kernel.createEndpoint();
    private final ObjectHandle notification = kernel.createNotification();

    private TaskHandle task(String name, int rights, long badge) {
        SpaceHandle space = kernel.createSpace(name, 8, 1); // a reply pool entry, for Suspend
        kernel.install(space, EP, endpoint, rights, badge);
        kernel.install(space, NTFN, notification, Rights.READ | Rights.WRITE, 0b10);
        TaskHandle t = kernel.createTask(space, name);
        d.start(t);
        return t;
    }

    /** One syscall of each class, with a Recv and a Call that block and later complete. */
    private void runScenario() {
        TaskHandle server = task("server", Rights.READ, 0);
        TaskHandle client = task("client", Rights.WRITE, 0xB);
        assertEquals(Outcome.BLOCKED, d.recv(server, EP));
        assertEquals(Outcome.BLOCKED, d.call(client, EP, MessageInfo.of(5, 0)));
        assertEquals(Outcome.OK, d.suspend(server));
        long handle = d.ipc(server).handle();
        assertEquals(Outcome.OK, d.reply(server, handle, MessageInfo.of(6, 0)));
        assertEquals(Outcome.OK, d.signal(client, NTFN));
        assertEquals(Outcome.OK, d.poll(server, NTFN));
        assertEquals(Outcome.OK, d.copy(client, EP, COPY, Rights.WRITE));
        assertEquals(Outcome.OK, d.exit(client));
    }

    private List<RecordedEvent> capipcEvents(Recording r) throws Exception {
        Path file = dir.resolve("kernel.jfr");
        r.dump(file);
        assertTrue(Files.size(file) > 0);
        List<RecordedEvent> events = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getEventType().getName().startsWith("capipc.")) {
                events.add(e);
            }
        }
        return events;
    }

    private static String describe(RecordedEvent e) {
        return e.getEventType().getName() + " " + e.getString("task") + " " + e.getString("syscall") + " "
                + e.getString("outcome") + (e.getBoolean("blocked") ? " blocked" : "");
    }

    @Test
    void recordingWithEveryClassEnabled_readsBackOneEventPerSyscall_blockedOnesAtCompletion() throws Exception {
        List<RecordedEvent> events;
        try (Recording r = new Recording()) {
            for (SyscallClass c : SyscallClass.values()) {
                r.enable(c.eventName());
            }
            r.start();
            runScenario();
            r.stop();
            events = capipcEvents(r);
        }
        // Committed in the order they ended: the blocked Recv when the Call arrived, the blocked Call at the Reply.
        assertEquals(List.of(
                "capipc.Message server Recv OK blocked",
                "capipc.Context server Suspend OK",
                "capipc.Message client Call OK blocked",
                "capipc.Context server Reply by handle OK",
                "capipc.Notification client Signal OK",
                "capipc.Notification server Poll OK",
                "capipc.Capability client Copy OK",
                "capipc.Fault client Exit OK"), events.stream().map(FlightEventsTest::describe).toList());
        RecordedEvent copy = events.get(6);
        assertEquals(EP, copy.getLong("a"));
        assertEquals(COPY, copy.getLong("b"));
        assertTrue(copy.getInt("taskId") >= 0);
        assertEquals(Duration.ZERO, copy.getDuration(), "a syscall that did not block is an instant");
        RecordedEvent call = events.get(2);
        assertEquals(MessageInfo.of(5, 0), call.getLong("b"));
        assertTrue(!call.getDuration().isNegative(), "a blocked syscall spans its blocked interval");
    }

    /**
     * A task killed while blocked: its event is dropped at the kill, never committed; after a Restart,
     * a Recv that times out at once is its own instant event, not the old run's blocked Recv.
     */
    @Test
    void killedWhileBlocked_itsEventIsDropped_andARestartedRunDoesNotCommitIt() throws Exception {
        List<RecordedEvent> events;
        try (Recording r = new Recording()) {
            r.enable(SyscallClass.MESSAGE.eventName());
            r.start();
            TaskHandle worker = task("worker", Rights.READ, 0);
            assertEquals(Outcome.BLOCKED, d.recv(worker, EP));
            SpaceHandle bossSpace = kernel.createSpace("boss", 8, 1);
            kernel.install(bossSpace, COPY, kernel.taskObject(worker), Rights.READ | Rights.WRITE, 0);
            TaskHandle boss = kernel.createTask(bossSpace, "boss");
            d.start(boss);
            assertEquals(Outcome.OK, d.restart(boss, COPY));
            Outcome timedOut = d.recv(worker, EP, 0);
            assertEquals(Status.TIMEOUT, timedOut.status(), timedOut.toString());
            r.stop();
            events = capipcEvents(r);
        }
        assertEquals(List.of("capipc.Message worker Recv TIMEOUT"), events.stream().map(FlightEventsTest::describe).toList());
    }

    @Test
    void recordingWithDefaultSettings_recordsNoCapipcEvent() throws Exception {
        try (Recording r = new Recording()) {
            r.start();
            runScenario();
            r.stop();
            assertEquals(List.of(), capipcEvents(r).stream().map(FlightEventsTest::describe).toList());
        }
    }

    @Test
    void oneClassEnabled_recordsOnlyThatClass() throws Exception {
        try (Recording r = new Recording()) {
            r.enable(SyscallClass.NOTIFICATION.eventName());
            r.start();
            runScenario();
            r.stop();
            assertEquals(List.of("capipc.Notification client Signal OK", "capipc.Notification server Poll OK"),
                    capipcEvents(r).stream().map(FlightEventsTest::describe).toList());
        }
    }
}
