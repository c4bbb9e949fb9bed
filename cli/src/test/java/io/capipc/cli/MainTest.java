package io.capipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws InterruptedException {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void demo_upper_platformThreads_tracesAndSucceeds() throws Exception {
        assertEquals(0, run("demo", "--upper"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("client-1   Call(slot 0, label=1 len=0)"), text);
        assertTrue(text.contains("server     Read(offset 0)"), text);
        assertTrue(text.contains("calls answered:       6 of 6"), text);
        assertTrue(text.contains("result: OK"), text);
    }

    @Test
    void demo_upper_virtualThreadsWithoutTrace_succeeds() throws Exception {
        assertEquals(0, run("demo", "--upper", "--virtual", "--calls", "50", "--no-trace"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("calls answered:       150 of 150"), text);
        assertTrue(!text.contains("Read(offset"), text);
    }

    @Test
    void main_noCommand_printsUsageAndReturns2() throws Exception {
        assertEquals(2, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: capipc demo"));
    }

    @Test
    void main_badCallsValue_returns2() throws Exception {
        assertEquals(2, run("demo", "--calls", "-3"));
        assertEquals(2, run("demo", "--bogus"));
        assertEquals(2, run("demo", "--clients", "15"));
        assertEquals(2, run("demo", "--calls", "1"), "the system demo's crash is on a read, which one operation never reaches");
        assertEquals(2, run("demo", "--clients"));
    }

    @Test
    void demo_help_listsTheOptions() throws Exception {
        assertEquals(0, run("demo", "--help"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (String option : new String[] {"--calls N", "--clients N", "--virtual", "--no-trace", "--upper", "--deadlock", "--help"}) {
            assertTrue(text.contains(option), option + " in " + text);
        }
    }

    @Test
    void demo_system_crashesTheFileServer_restartsIt_andEveryAnswerIsRight() throws Exception {
        assertEquals(0, run("demo"), () -> out.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("file operations:      18 of 18 answered right, 0 wrong"), text);
        assertTrue(text.contains("files    restarts 1, faults 1, last fault InjectedFault (Error)"), text);
        assertTrue(text.contains("names    restarts 0, faults 0, last fault -"), text);
        assertTrue(text.contains("PEER_DIED="), text);
        assertTrue(text.contains("client-1   Map(slot 4)"), "client-1 maps its windows");
        assertTrue(text.contains("kernel invariants:    all hold"), text);
        assertTrue(text.contains("result: OK"), text);
    }

    @Test
    void demo_system_virtualThreadsWithoutTrace_manyCalls() throws Exception {
        assertEquals(0, run("demo", "--virtual", "--no-trace", "--clients", "5", "--calls", "60"),
                () -> out.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("file operations:      300 of 300 answered right, 0 wrong"), text);
        assertTrue(!text.contains("Call(slot"), text);
    }

    @Test
    void demo_deadlock_reportsBothServersAndTheClient() throws Exception {
        assertEquals(0, run("demo", "--deadlock"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("deadlock report: [server-A, server-B, client]"), text);
        assertTrue(text.contains("server-B  -> endpoint A"), text);
    }
}
