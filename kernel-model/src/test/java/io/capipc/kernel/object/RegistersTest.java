package io.capipc.kernel.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.capipc.api.MessageInfo;
import org.junit.jupiter.api.Test;

/** The message registers: each index keeps its own value, bad indexes are refused, copies are exact. */
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
