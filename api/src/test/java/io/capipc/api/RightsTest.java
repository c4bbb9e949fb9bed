package io.capipc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Rights masks (docs/semantics.md §2): a subset of {READ, WRITE, GRANT}. */
class RightsTest {

    @Test
    void constants_distinctBitsAndAllIsTheirUnion() {
        assertEquals(0, Rights.READ & Rights.WRITE);
        assertEquals(0, Rights.READ & Rights.GRANT);
        assertEquals(0, Rights.WRITE & Rights.GRANT);
        assertEquals(Rights.READ | Rights.WRITE | Rights.GRANT, Rights.ALL);
        assertEquals(0, Rights.NONE);
    }

    @Test
    void isValid_everySubsetOfAll_true() {
        for (int mask = 0; mask <= Rights.ALL; mask++) {
            assertTrue(Rights.isValid(mask), "mask " + mask);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 9, 15, 16, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void isValid_unknownBits_false(int mask) {
        assertFalse(Rights.isValid(mask));
    }

    @ParameterizedTest
    @CsvSource({
        "7, 1, true", "7, 6, true", "7, 7, true", "3, 4, false", "1, 2, false", "2, 3, false",
        "0, 0, true", "5, 0, true", "5, 5, true", "5, 6, false"
    })
    void has_maskAndRequired_trueOnlyWhenEveryRequiredRightHeld(int mask, int required, boolean expected) {
        assertEquals(expected, Rights.has(mask, required));
    }

    @ParameterizedTest
    @CsvSource({"0, ---", "1, R--", "2, -W-", "4, --G", "3, RW-", "7, RWG", "5, R-G"})
    void toString_validMask_threeLetters(int mask, String expected) {
        assertEquals(expected, Rights.toString(mask));
    }

    @Test
    void toString_unknownBits_throwsNamingMask() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rights.toString(8));
        assertTrue(e.getMessage().contains("8"), e.getMessage());
    }
}
