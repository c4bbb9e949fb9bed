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
    void demo_platformThreads_tracesAndSucceeds() throws Exception {
        assertEquals(0, run("demo"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("client-1   Call(slot 0, label=1 len=0)"), text);
        assertTrue(text.contains("server     Read(offset 0)"), text);
        assertTrue(text.contains("calls answered:       6 of 6"), text);
        assertTrue(text.contains("result: OK"), text);
    }

    @Test
    void demo_virtualThreadsWithoutTrace_succeeds() throws Exception {
        assertEquals(0, run("demo", "--virtual", "--calls", "50", "--no-trace"));
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
    }

    @Test
    void demo_deadlock_reportsBothServersAndTheClient() throws Exception {
        assertEquals(0, run("demo", "--deadlock"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("deadlock report: [server-A, server-B, client]"), text);
        assertTrue(text.contains("server-B  -> endpoint A"), text);
    }
}
