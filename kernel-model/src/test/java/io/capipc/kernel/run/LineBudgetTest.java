package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.inspect.Outcome;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The line budget of a round trip (docs/benchmarks.md, "The line budget"): the cache lines a Call to
 * a waiting server and the ReplyWait that answers it write, counted by {@link LineBudget} on the
 * deterministic driver (the same transitions, on the same fast path, the threaded runtime runs; it
 * adds the wake count, on the mailbox line the status is written to anyway; the endpoint's lock word
 * is on the queue's line, counted here). A line one transition
 * writes and the other writes too moves between the cores twice per round trip. Prints the table
 * with {@code -Dcapipc.lines.print=true}; fails if a transition writes more lines than its budget.
 */
class LineBudgetTest {
    /**
     * The objects a Call to a waiting server writes (by their shortest path from the kernel): the
     * endpoint's receive queue (the server taken off), the server's state and flags (running, holds
     * the context, not queued), the server's mailbox (the message), the client's state and flags
     * (waiting for the reply, its context held) and the client's own caller context (the new Call's
     * generation and label, which only the client writes). ReplyWait writes the queue, both tasks'
     * state and flags, and the client's mailbox (the reply). Task and context references a partner's
     * transition would otherwise write are validated by those flags and written only when they change
     * (see Task). A change that makes either write another object fails here: that is a line more on
     * every round trip.
     */
    private static final Set<String> CALL_WRITES = Set.of("Task server#3.queuedIn", "Task server#3.stateLine",
            "Task server#3.registers.box", "Task client#4.stateLine", "Task client#4.reply");
    private static final Set<String> REPLY_WAIT_WRITES = Set.of("Task server#3.queuedIn", "Task server#3.stateLine",
            "Task client#4.stateLine", "Task client#4.registers.box");
    /**
     * The lines both transitions write, which move between the cores each round trip: the queue's
     * (two in a run where the heap put the queue object across a line boundary) and each task's state
     * line (its {@code stateLine} array, one line wherever the heap put it; docs/benchmarks.md, "The line
     * budget"). Each mailbox is written by one of them only.
     */
    private static final int SHARED_LINES = 4;
    /** The client's caller context, which only its own Call writes: one line or two, where the heap put it. */
    private static final int CONTEXT_LINES = 2;

    @Test
    void callThenReplyWait_noRegisters_writesNoMoreLinesThanTheBudget() {
        check(0);
    }

    @Test
    void callThenReplyWait_eightRegisters_writesNoMoreLinesThanTheBudget() {
        check(8);
    }

    private static void check(int registers) {
        // The copies compare reference fields byte by byte: a collector that moves objects without
        // being asked (ZGC, Shenandoah) would change them between two copies.
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            assumeFalse(gc.getName().startsWith("ZGC") || gc.getName().startsWith("Shenandoah"), gc.getName());
        }
        Kernel kernel = new Kernel();
        DeterministicDriver driver = new DeterministicDriver(kernel);
        ObjectHandle ep = kernel.createEndpoint();
        SpaceHandle ss = kernel.createSpace("server", 4);
        kernel.install(ss, 0, ep, Rights.READ, 0);
        SpaceHandle cs = kernel.createSpace("client", 4);
        kernel.install(cs, 0, ep, Rights.WRITE, 1);
        TaskHandle server = kernel.createTask(ss, "server");
        TaskHandle client = kernel.createTask(cs, "client");
        driver.start(server);
        driver.start(client);
        assertEquals(Outcome.BLOCKED, driver.recv(server, 0));
        LineBudget budget = new LineBudget(kernel);
        SortedMap<Long, TreeSet<String>> call = null;
        SortedMap<Long, TreeSet<String>> replyWait = null;
        // Every round sends other labels and register values than the last, so that a line written
        // with the value it held already (which a copy cannot see) is rarer; the last round counts.
        for (int round = 1; round <= 4; round++) {
            for (int r = 0; r < registers; r++) {
                driver.ipc(client).setMr(r, round * 100 + r);
            }
            System.gc();
            List<byte[]> before = budget.copy();
            assertEquals(Outcome.BLOCKED, driver.call(client, 0, MessageInfo.of(round, registers)));
            List<byte[]> between = budget.copy();
            for (int r = 0; r < registers; r++) {
                driver.ipc(server).setMr(r, round * 1000 + r);
            }
            List<byte[]> answered = budget.copy();
            assertEquals(Outcome.BLOCKED, driver.replyWait(server, 0, MessageInfo.of(round + 10, registers)));
            List<byte[]> after = budget.copy();
            call = budget.written(before, between);
            replyWait = budget.written(answered, after);
        }
        TreeSet<Long> both = new TreeSet<>(call.keySet());
        both.retainAll(replyWait.keySet());
        if (Boolean.getBoolean("capipc.lines.print")) {
            System.out.printf("%d registers: Call writes %d lines, ReplyWait %d, both %d%n", registers, call.size(),
                    replyWait.size(), both.size());
            print("Call", call, both);
            print("ReplyWait", replyWait, both);
        }
        assertEquals(CALL_WRITES, objects(call), "the objects Call writes");
        assertEquals(REPLY_WAIT_WRITES, objects(replyWait), "the objects ReplyWait writes");
        assertTrue(both.size() <= SHARED_LINES, "both write " + both.size() + " lines: " + both);
        // The shared lines, and the receiver's mailbox: its first line, and its second with eight registers.
        int most = SHARED_LINES + (registers > 4 ? 2 : 1);
        assertTrue(call.size() <= most + CONTEXT_LINES, "Call writes " + call.size() + " lines: " + call.values());
        assertTrue(replyWait.size() <= most, "ReplyWait writes " + replyWait.size() + " lines: " + replyWait.values());
    }

    /** The objects written: each field's label without its last part. */
    private static Set<String> objects(SortedMap<Long, TreeSet<String>> lines) {
        Set<String> out = new TreeSet<>();
        for (TreeSet<String> fields : lines.values()) {
            for (String f : fields) {
                out.add(f.substring(0, f.lastIndexOf('.')));
            }
        }
        return out;
    }

    private static void print(String what, SortedMap<Long, TreeSet<String>> lines, TreeSet<Long> both) {
        for (var e : lines.entrySet()) {
            System.out.printf("  %-9s %s %s%n", what, both.contains(e.getKey()) ? "both" : "    ", e.getValue());
        }
    }
}
