package io.capipc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Status;
import io.capipc.api.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The measuring instruments do what their documents say, on a few round trips (no timing here):
 * the protocol floor hands each request over and back, registers included, and stops; the
 * one-thread transitions complete every Call and leave a consistent kernel.
 */
class FloorsSmokeTest {

    @Test
    @Timeout(30)
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
    @Timeout(30)
    void theHotLineFloorAnswersEveryRequestAndStops() throws InterruptedException {
        for (int parts = 0; parts <= HotLinePingPong.ALL; parts++) {
            for (int registers : new int[] {0, 8}) {
                String what = registers + " registers, parts " + parts;
                HotLinePingPong floor = new HotLinePingPong(registers, parts).start();
                for (long i = 1; i <= 1000; i++) {
                    assertEquals(i, floor.roundTrip(), "round trip " + i + ", " + what);
                }
                floor.stop();
                // As the protocol floor's: each request carries the first register plus one, the echo copies it back.
                assertEquals(registers == 8 ? 1000 : 0, floor.firstRegister(), "registers went there and back, " + what);
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new HotLinePingPong(1));
        assertEquals("registers must be 0 or 8, was 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new HotLinePingPong(0, 4));
        assertEquals("parts must be a subset of LOCK | OWN_LINE, was 4", e.getMessage());
    }

    @Test
    void theDesignFloorStepsOnOneThread() {
        for (int registers : new int[] {0, 8}) {
            Transitions.DesignFloor s = new Transitions.DesignFloor();
            s.registers = registers;
            s.setUp();
            Transitions t = new Transitions();
            for (long i = 1; i <= 1000; i++) {
                assertEquals(i, t.designFloorStepped(s), "round trip " + i + ", " + registers + " registers");
            }
            assertEquals(registers == 8 ? 1000 : 0, s.floor.firstRegister(), registers + " registers went there and back");
        }
    }

    @Test
    void theDriverLookupsFindTheTasksAsTheRoundTripLeavesThem() {
        Transitions.OneThread s = new Transitions.OneThread();
        s.registers = 0;
        s.setUp();
        Transitions t = new Transitions();
        assertEquals(Status.OK, t.callThenReplyWait(s));
        assertEquals(Status.OK, t.driverLookupsOnly(s));
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
