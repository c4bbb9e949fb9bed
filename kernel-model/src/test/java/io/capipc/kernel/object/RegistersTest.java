package io.capipc.kernel.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import org.junit.jupiter.api.Test;

/**
 * A task's IPC buffer, whose delivery results, wake count, parked flag and registers share one native mailbox:
 * each keeps its own value, bad register indexes are refused, copies are exact.
 */
class RegistersTest {

    private static Registers filled(long base) {
        Registers r = new Registers();
        for (int i = 0; i < MessageInfo.MAX_LENGTH; i++) {
            r.setMr(i, base + i);
        }
        return r;
    }

    @Test
    void everyRegisterKeepsItsOwnValue() {
        Registers r = filled(1000);
        for (int i = 0; i < MessageInfo.MAX_LENGTH; i++) {
            assertEquals(1000 + i, r.mr(i), "MR" + i);
        }
    }

    @Test
    void anIndexOutOfRangeIsRefusedWithThatIndex() {
        Registers r = new Registers();
        for (int bad : new int[] {-1, MessageInfo.MAX_LENGTH}) {
            var e = assertThrows(ArrayIndexOutOfBoundsException.class, () -> r.mr(bad));
            assertEquals("Index " + bad + " out of bounds for length " + MessageInfo.MAX_LENGTH, e.getMessage());
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> r.setMr(bad, 1));
        }
    }

    @Test
    void everyStatusIsKeptAsItWasCompleted() {
        Registers r = new Registers();
        assertEquals(Status.OK, r.status(), "a new buffer says OK");
        for (Status s : Status.values()) {
            assertEquals(s, r.complete(s));
            assertEquals(s, r.status());
        }
    }

    @Test
    void aDeliveryKeepsItsInfoAndBadgeApartFromTheRegisters() {
        Registers r = filled(1000);
        r.received(-1L, Long.MIN_VALUE);
        assertEquals(-1L, r.info());
        assertEquals(Long.MIN_VALUE, r.badge());
        for (int i = 0; i < MessageInfo.MAX_LENGTH; i++) {
            assertEquals(1000 + i, r.mr(i), "MR" + i + " untouched by the delivery");
        }
    }

    @Test
    void theWakeFlagsAreSetAndClearedApart() {
        Registers r = new Registers();
        r.setSignalVolatile(1);
        assertEquals(1, r.signalAcquire());
        assertEquals(0, r.parkedVolatile(), "the signal is not the parked flag");
        r.setParkedVolatile(1);
        r.setSignalVolatile(2);
        assertEquals(2, r.signalVolatile());
        assertEquals(1, r.parkedVolatile());
        r.clearParkedOpaque();
        assertEquals(0, r.parkedVolatile());
        assertEquals(Status.OK, r.status(), "the flags are not the status");
    }

    @Test
    void copyFromCopiesExactlyLengthRegistersForEveryLength() {
        for (int length = 0; length <= MessageInfo.MAX_LENGTH; length++) {
            Registers from = filled(1000);
            Registers to = filled(5000);
            to.copyFrom(from, length);
            for (int i = 0; i < MessageInfo.MAX_LENGTH; i++) {
                long expected = i < length ? 1000 + i : 5000 + i;
                assertEquals(expected, to.mr(i), "length " + length + ", MR" + i);
            }
        }
    }
}
