package io.capipc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HandlesTest {
    @Test
    void of_thenSlot_returnsTheSlotForEveryWidth() {
        for (int width = 1; width <= 31; width++) {
            int slot = (int) ((1L << width) - 1);
            long h = Handles.of(width, Handles.maxGeneration(width), slot);
            assertEquals(slot, Handles.slot(h), "width " + width);
            assertEquals(width, Handles.width(h));
            assertEquals(0, h >>> 63, "positive");
        }
    }

    @Test
    void slot_malformedHandles_minusOne() {
        assertEquals(-1, Handles.slot(-1));
        assertEquals(-1, Handles.slot(0), "width 0");
        assertEquals(-1, Handles.slot(5), "width 0");
        assertEquals(-1, Handles.slot(Long.MIN_VALUE));
        assertEquals(-1, Handles.slot(32L << Handles.WIDTH_SHIFT), "width 32");
    }

    @Test
    void width_ofSlotCounts_bitsTheLargestSlotNeeds() {
        assertEquals(1, Handles.width(1));
        assertEquals(1, Handles.width(2));
        assertEquals(2, Handles.width(3));
        assertEquals(6, Handles.width(64));
        assertEquals(7, Handles.width(65));
        assertEquals(31, Handles.width(Integer.MAX_VALUE));
    }
}
