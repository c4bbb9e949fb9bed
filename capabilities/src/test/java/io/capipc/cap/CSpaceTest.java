package io.capipc.cap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A capability space's slots and their range (docs/semantics.md §2). */
class CSpaceTest {
    private final CSpace space = new CSpace(3, 5);

    @Test
    void new_sizeAndId_asGiven() {
        assertEquals(5, space.size());
        assertEquals(3, space.id());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void new_sizeBelowOne_throwsIllegalArgument(int size) {
        assertThrows(IllegalArgumentException.class, () -> new CSpace(0, size));
    }

    @Test
    void inRange_boundaries_zeroToSizeMinusOne() {
        assertTrue(space.inRange(0));
        assertTrue(space.inRange(4));
        assertFalse(space.inRange(5));
        assertFalse(space.inRange(-1));
        assertFalse(space.inRange(Long.MIN_VALUE));
        assertFalse(space.inRange(Long.MAX_VALUE));
        assertFalse(space.inRange(1L << 32), "a long must not wrap into range");
    }

    @Test
    void slot_eachIndex_ownedEmptyAndNumbered() {
        for (int i = 0; i < space.size(); i++) {
            Slot s = space.slot(i);
            assertSame(space, s.owner());
            assertEquals(i, s.index());
            assertTrue(s.isEmpty());
            assertEquals(0, s.rights());
            assertEquals(0, s.badge());
            assertEquals("slot 3:" + i, s.toString());
        }
    }

    @Test
    void slot_sameIndexTwice_sameSlot() {
        assertSame(space.slot(2), space.slot(2));
    }
}
