package io.capipc.kernel.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Handles;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md §7: generation-checked handles never match a later context, however many contexts were
 * made. The end of a Space's generations is reached by moving its counter there, not by 2^52
 * Suspends: the last one is used, and then the Space refuses to take an entry rather than wrap.
 */
class HandleGenerationTest {
    @Test
    void lastGeneration_usedOnce_thenNoEntryIsTakenAgain() {
        Space space = new Space(1, "s", 64, 2, 10);
        space.lastGeneration(space.maxGeneration() - 1);
        assertTrue(space.hasGeneration());
        ReplyPoolEntry last = space.takeEntry(3);
        assertEquals(3, Handles.slot(last.handle()));
        assertTrue(last.handle() > 0, "a handle is positive");
        assertTrue(last.isNamedBy(last.handle()));
        assertTrue(space.hasFreeEntry(), "a free entry is left");
        assertFalse(space.hasGeneration(), "but no generation");
    }

    @Test
    void handle_sameSlotLaterGeneration_neverEqual() {
        Space space = new Space(1, "s", 8, 1, 10);
        ReplyPoolEntry e = space.takeEntry(5);
        long first = e.handle();
        space.release(e);
        ReplyPoolEntry again = space.takeEntry(5);
        assertNotEquals(first, again.handle());
        assertFalse(again.isNamedBy(first));
        assertEquals(Handles.slot(first), Handles.slot(again.handle()));
    }

    @Test
    void maxGeneration_byWidth_leavesTheGenerationItsBits() {
        assertEquals((1L << 52) - 1, new Space(1, "s", 64, 0, 10).maxGeneration());
        assertEquals((1L << 42) - 1, new Space(1, "s", 65_536, 0, 10).maxGeneration());
        assertEquals((1L << 57) - 1, new Space(1, "s", 1, 0, 10).maxGeneration());
    }
}
