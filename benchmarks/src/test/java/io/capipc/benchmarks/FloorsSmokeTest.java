package io.capipc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.inspect.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The measuring instruments do what their documents say, on a few round trips (no timing here):
 * the protocol floor and issue 23's design floor hand each request over and back, registers
 * included, threaded and stepped on one thread, and stop; the one-thread transitions complete every
 * Call and leave a consistent kernel. A floor's own checks throw on a lost or wrong answer; a
 * threaded one that hung fails by its timeout, run on a thread of its own since spinning ignores
 * interrupts.
 */
class FloorsSmokeTest {

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the spin loops ignore interrupts
    void theProtocolFloorAnswersEveryRequestAndStops() throws InterruptedException {
        for (boolean locked : new boolean[] {false, true}) {
            for (int registers : new int[] {0, 8}) {
                String what = registers + " registers, locked " + locked;
                RendezvousPingPong floor = new RendezvousPingPong(registers, locked).start();
                for (long i = 1; i <= 1000; i++) {
                    assertEquals(i, floor.roundTrip(), "round trip " + i + ", " + what);
                }
                floor.stop();
                // Each request carries the client's first register plus one; the echo copies it back.
                assertEquals(registers == 8 ? 1000 : 0, floor.c0, "registers went there and back, " + what);
            }
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the spin loops ignore interrupts
    void theHotLineFloorAnswersEveryRequestAndStops() throws InterruptedException {
        for (int parts = 0; parts <= HotLinePingPong.ALL; parts++) {
            for (int registers : new int[] {0, 8}) {
                String what = registers + " registers, parts " + parts;
                HotLinePingPong floor = new HotLinePingPong(registers, parts).seedRegisters(100).start();
                for (long i = 1; i <= 1000; i++) {
                    assertEquals(i, floor.roundTrip(), "round trip " + i + ", " + what);
                }
                floor.stop();
                assertRegisters(floor, registers, what);
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new HotLinePingPong(1));
        assertEquals("registers must be 0 or 8, was 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new HotLinePingPong(0, 4));
        assertEquals("parts must be a subset of LOCK | OWN_LINE, was 4", e.getMessage());
    }

    @Test
    void theHotLineFloorStepsOnOneThreadWithEachPart() {
        for (int parts = 0; parts <= HotLinePingPong.ALL; parts++) {
            for (int registers : new int[] {0, 8}) {
                String what = registers + " registers, parts " + parts;
                HotLinePingPong floor = new HotLinePingPong(registers, parts).seedRegisters(100).stepping();
                for (long i = 1; i <= 1000; i++) {
                    assertEquals(i, floor.stepped(), "round trip " + i + ", " + what);
                }
                assertRegisters(floor, registers, what);
            }
        }
    }

    /**
     * Register 0 went there as itself plus one and came back 1000 times; registers 1-7 went there and
     * back unchanged. With no registers nothing moved: the seeds never reached the server, and
     * register 0 is still 0.
     */
    private static void assertRegisters(HotLinePingPong floor, int registers, String what) {
        assertEquals(registers == 8 ? 1000 : 0, floor.register(0), "register 0, " + what);
        for (int i = 1; i < 8; i++) {
            assertEquals(100 + i, floor.register(i), "register " + i + ", " + what);
        }
    }

    @Test
    void theProtocolFloorStepsOnOneThread() {
        for (boolean locked : new boolean[] {false, true}) {
            for (int registers : new int[] {0, 8}) {
                RendezvousPingPong floor = new RendezvousPingPong(registers, locked).stepping();
                for (long i = 1; i <= 1000; i++) {
                    assertEquals(i, floor.stepped(), "round trip " + i);
                }
                assertEquals(registers == 8 ? 1000 : 0, floor.c0,
                        registers + " registers went there and back, locked " + locked);
            }
        }
    }

    @Test
    void theFloorsSteppedByTheBenchmarkAnswer() {
        for (int registers : new int[] {0, 8}) {
            Transitions t = new Transitions();
            Transitions.DesignFloor design = new Transitions.DesignFloor();
            design.registers = registers;
            design.setUp();
            Transitions.ProtocolFloor protocol = new Transitions.ProtocolFloor();
            protocol.registers = registers;
            protocol.setUp();
            for (long i = 1; i <= 100; i++) {
                assertEquals(i, t.designFloorStepped(design));
                assertEquals(i, t.protocolFloorStepped(protocol));
            }
        }
    }

    @Test
    void theDriverLookupsCheckTheStatesTheRoundTripLeaves() {
        Transitions.OneThread s = new Transitions.OneThread();
        s.registers = 0;
        s.setUp();
        Transitions t = new Transitions();
        assertEquals(Status.OK, t.callThenReplyWait(s));
        assertEquals(Status.OK, t.driverLookupsOnly(s));
        // A Call left unanswered: the server runs and the client waits, not how a round trip ends.
        assertEquals(Outcome.BLOCKED, s.driver.call(s.client, 0, s.info));
        var e = assertThrows(IllegalStateException.class, () -> t.driverLookupsOnly(s));
        assertEquals("client BLOCKED_ON_REPLY, server RUNNING", e.getMessage());
    }

    @Test
    void theProtocolFloorCarriesZeroOrEightRegisters() {
        var e = assertThrows(IllegalArgumentException.class, () -> new RendezvousPingPong(3));
        assertEquals("registers must be 0 or 8, was 3", e.getMessage());
    }

    @Test
    void oneThreadTransitionsCompleteEveryCall() {
        for (int registers : new int[] {0, 8}) {
            Transitions.OneThread s = new Transitions.OneThread();
            s.registers = registers;
            s.setUp();
            Transitions t = new Transitions();
            for (int i = 0; i < 1000; i++) {
                assertEquals(Status.OK, t.callThenReplyWait(s));
            }
            assertTrue(s.kernel.invariantViolations().isEmpty(), s.kernel.invariantViolations().toString());
            assertEquals(TaskState.BLOCKED_ON_RECEIVE, s.driver.state(s.server), "the server waits again");
            assertEquals(TaskState.RUNNING, s.driver.state(s.client), "the client has its reply");
        }
    }
}
