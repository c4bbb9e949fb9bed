package io.capipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capipc demo}'s recordings and exports (docs/observing.md). */
class ObserversTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws InterruptedException {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void demoJfr_recordsCapipcEvents_readBackWithRecordingFile() throws Exception {
        Path file = dir.resolve("demo.jfr");
        assertEquals(0, run("demo", "--upper", "--no-trace", "--jfr", file.toString()));
        Map<String, Integer> counts = new HashMap<>();
        Set<String> tasks = new HashSet<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.startsWith("capipc.")) {
                counts.merge(type + " " + e.getString("syscall"), 1, Integer::sum);
                tasks.add(e.getString("task"));
            }
        }
        // 3 clients x 2 Calls, answered by the server's ReplyWait; every task ends with Exit.
        assertEquals(6, counts.get("capipc.Message Call"), counts.toString());
        assertTrue(counts.get("capipc.Message ReplyWait") >= 6, counts.toString());
        assertEquals(5, counts.get("capipc.Fault Exit"), counts.toString());
        assertEquals(Set.of("server", "client-1", "client-2", "client-3", "init"), tasks);
    }

    /** The default demo, the whole system, records too: the supervisor's Restart of the crashed file server among its events. */
    @Test
    void systemDemo_recordsItsRunToo() throws Exception {
        Path jfr = dir.resolve("system.jfr");
        Path json = dir.resolve("system.json");
        assertEquals(0, run("demo", "--no-trace", "--jfr", jfr.toString(), "--trace-out", json.toString()));
        Map<String, Integer> counts = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (e.getEventType().getName().startsWith("capipc.")) {
                counts.merge(e.getEventType().getName() + " " + e.getString("syscall"), 1, Integer::sum);
            }
        }
        assertTrue(counts.getOrDefault("capipc.Fault Restart", 0) >= 1, counts.toString());
        assertTrue(counts.getOrDefault("capipc.Message Call", 0) >= 1, counts.toString());
        assertInstanceOf(Map.class, StrictJson.parse(Files.readString(json)));
    }

    @Test
    void demoTraceOut_isTraceEventJsonWithTheRequiredFields() throws Exception {
        Path file = dir.resolve("demo.json");
        assertEquals(0, run("demo", "--upper", "--no-trace", "--trace-out", file.toString()));
        Map<?, ?> root = assertInstanceOf(Map.class, StrictJson.parse(Files.readString(file)));
        List<?> events = assertInstanceOf(List.class, root.get("traceEvents"));
        Map<String, Integer> flowEnds = new HashMap<>();
        Set<Object> named = new HashSet<>();
        Map<Object, List<double[]>> slices = new HashMap<>();
        for (Object o : events) {
            Map<?, ?> e = assertInstanceOf(Map.class, o);
            String ph = assertInstanceOf(String.class, e.get("ph"), e::toString);
            assertInstanceOf(String.class, e.get("name"), e::toString);
            assertInstanceOf(Double.class, e.get("ts"), e::toString);
            assertInstanceOf(Double.class, e.get("pid"), e::toString);
            Object tid = assertInstanceOf(Double.class, e.get("tid"), e::toString);
            switch (ph) {
                case "M" -> named.add(tid);
                case "X" -> {
                    double dur = assertInstanceOf(Double.class, e.get("dur"), e::toString);
                    assertTrue(dur >= 0, e::toString);
                    slices.computeIfAbsent(tid, k -> new ArrayList<>()).add(new double[] {(Double) e.get("ts"), (Double) e.get("ts") + dur});
                }
                case "s", "f" -> {
                    Object id = assertInstanceOf(Double.class, e.get("id"), e::toString);
                    flowEnds.merge(ph + id, 1, Integer::sum);
                    if (ph.equals("f")) {
                        assertEquals("e", e.get("bp"), e::toString);
                    }
                }
                default -> throw new AssertionError("unexpected phase " + ph + " in " + e);
            }
        }
        assertEquals(5, slices.size(), "one track per task: server, 3 clients, init; " + slices.keySet());
        assertTrue(named.containsAll(slices.keySet()), "every track is named");
        // Each flow has one start and one end. Each of the 6 replies (3 clients x 2 Calls) wakes its
        // caller, so makes one; a Call makes one only if it woke the server, which depends on timing (a
        // Call the server's ReplyWait takes from the queue wakes no one: TraceRecorder), and so do the
        // clients' reports to init.
        long starts = flowEnds.keySet().stream().filter(k -> k.startsWith("s")).count();
        assertTrue(starts >= 6, flowEnds.toString());
        flowEnds.forEach((k, n) -> assertEquals(1, n, k));
        for (String k : flowEnds.keySet()) {
            assertTrue(flowEnds.containsKey((k.startsWith("s") ? "f" : "s") + k.substring(1)), k);
        }
        // On each track the slices nest or follow each other: none overlaps another partly.
        slices.forEach((tid, list) -> {
            list.sort((x, y) -> Double.compare(x[0], y[0]));
            for (int a = 0; a + 1 < list.size(); a++) {
                double[] x = list.get(a);
                double[] y = list.get(a + 1);
                assertTrue(y[0] >= x[1] || y[1] <= x[1], "track " + tid + " overlaps at " + y[0]);
            }
        });
    }

    @Test
    void strictJson_rejectsWhatTheFormatForbids() {
        assertThrows(IllegalArgumentException.class, () -> StrictJson.parse("{\"a\":1,}"));
        assertThrows(IllegalArgumentException.class, () -> StrictJson.parse("{\"a\":01}"));
        assertThrows(IllegalArgumentException.class, () -> StrictJson.parse("{'a':1}"));
        assertThrows(IllegalArgumentException.class, () -> StrictJson.parse("[1] x"));
        assertEquals(List.of(1.0, "x\n", Boolean.TRUE), StrictJson.parse(" [1, \"x\\n\", true] "));
    }

    @Test
    void demoMermaid_writesSequenceDiagramAndBothGraphs() throws Exception {
        Path file = dir.resolve("demo.md");
        assertEquals(0, run("demo", "--upper", "--no-trace", "--mermaid", file.toString()));
        String md = Files.readString(file);
        assertTrue(md.contains("```mermaid\nsequenceDiagram\n"), md);
        assertTrue(md.contains("participant t0 as server") || md.contains(" as server\n"), md);
        assertTrue(md.matches("(?s).*t\\d+->>t\\d+: Call label=1.*"), md);
        assertTrue(md.matches("(?s).*t\\d+->>t\\d+: ReplyWait.*"), md);
        assertTrue(md.contains("## Derivation tree (at the end)\n\n```mermaid\nflowchart TD\n"), md);
        assertTrue(md.contains("[\"server[0] ENDPOINT#35;0\"]"), md);
    }

    @Test
    void deadlockDot_blockedOnGraphHasTheCycle() throws Exception {
        Path file = dir.resolve("deadlock.dot");
        Path md = dir.resolve("deadlock.md");
        assertEquals(0, run("demo", "--deadlock", "--dot", file.toString(), "--mermaid", md.toString()));
        String dot = Files.readString(file);
        assertTrue(dot.startsWith("digraph \"blocked_on\" {\n"), dot);
        assertTrue(dot.matches("(?s).*\"server-A#\\d+\" -> \"server-B#\\d+\".*"), dot);
        assertTrue(dot.matches("(?s).*\"server-B#\\d+\" -> \"server-A#\\d+\".*"), dot);
        assertTrue(dot.matches("(?s).*\"client#\\d+\" -> \"server-A#\\d+\".*"), dot);
        assertTrue(dot.contains("digraph \"derivation_tree\" {\n"), dot);
        assertTrue(Files.readString(md).contains("-->|\""), "the Mermaid blocked-on graph has labelled edges");
    }

    @Test
    void observerOptionWithoutFile_returns2() throws Exception {
        assertEquals(2, run("demo", "--jfr"));
        assertEquals(2, run("demo", "--trace-out", "--no-trace"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--jfr needs a file name"));
    }
}
