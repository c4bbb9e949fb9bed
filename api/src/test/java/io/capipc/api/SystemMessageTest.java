package io.capipc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The system-message kinds (docs/semantics.md §6): labels, bits and masks. */
class SystemMessageTest {
    @Test
    void labels_areDistinctPositiveAndAsDocumented() {
        assertEquals(1, SystemMessage.CALLER_CANCELLED.label());
        assertEquals(2, SystemMessage.BADGE_DISCONNECTED.label());
        assertEquals(3, SystemMessage.TASK_FAULTED.label());
        assertEquals(SystemMessage.values().length,
                Arrays.stream(SystemMessage.values()).mapToInt(SystemMessage::label).distinct().count());
    }

    @Test
    void ofLabel_eachKindsLabel_returnsIt_othersNull() {
        for (SystemMessage m : SystemMessage.values()) {
            assertSame(m, SystemMessage.ofLabel(m.label()));
        }
        assertNull(SystemMessage.ofLabel(0));
        assertNull(SystemMessage.ofLabel(4));
        assertNull(SystemMessage.ofLabel(-1));
    }

    @Test
    void all_isEveryKindsBitAndNothingElse() {
        int or = 0;
        for (SystemMessage m : SystemMessage.values()) {
            assertEquals(1, Integer.bitCount(m.bit()));
            or |= m.bit();
        }
        assertEquals(or, SystemMessage.ALL);
    }

    @Test
    void isValidMask_kindBitsOnly() {
        assertTrue(SystemMessage.isValidMask(0));
        assertTrue(SystemMessage.isValidMask(SystemMessage.ALL));
        assertTrue(SystemMessage.isValidMask(SystemMessage.TASK_FAULTED.bit()));
        assertFalse(SystemMessage.isValidMask(1));
        assertFalse(SystemMessage.isValidMask(1 << 4));
        assertFalse(SystemMessage.isValidMask(-1));
    }
}
