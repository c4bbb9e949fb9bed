package io.capipc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The info word (docs/semantics.md §3): building, reading, and which words user code may send. */
class MessageInfoTest {

    @ParameterizedTest
    @ValueSource(ints = {-1, Integer.MIN_VALUE})
    void of_negativeLabel_throwsNamingIt(int label) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MessageInfo.of(label, 0));
        assertTrue(e.getMessage().contains(Integer.toString(label)), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 127, 128, -1, Integer.MAX_VALUE})
    void of_lengthOutOfRange_throwsNamingIt(int length) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MessageInfo.of(0, length));
        assertTrue(e.getMessage().contains(Integer.toString(length)), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "0, 64", "2147483647, 64", "7, 2", "1, 1"})
    void of_legalValues_roundTripAndSendable(int label, int length) {
        long info = MessageInfo.of(label, length);
        assertEquals(label, MessageInfo.label(info));
        assertEquals(length, MessageInfo.length(info));
        assertEquals(0, MessageInfo.caps(info));
        assertFalse(MessageInfo.isSystem(info));
        assertEquals(Kind.NONE, MessageInfo.kind(info));
        assertTrue(MessageInfo.isSendable(info));
    }

    @ParameterizedTest
    @CsvSource({"0, 0, 0", "7, 2, 1", "1, 64, 4", "2147483647, 0, 3"})
    void ofWithCaps_legalValues_roundTripAndSendable(int label, int length, int caps) {
        long info = MessageInfo.of(label, length, caps);
        assertEquals(label, MessageInfo.label(info));
        assertEquals(length, MessageInfo.length(info));
        assertEquals(caps, MessageInfo.caps(info));
        assertFalse(MessageInfo.isSystem(info));
        assertEquals(Kind.NONE, MessageInfo.kind(info));
        assertTrue(MessageInfo.isSendable(info));
    }

    @Test
    void ofWithCaps_sameWordAsWithCapsOfTheTwoArgumentWord() {
        assertEquals(MessageInfo.withCaps(MessageInfo.of(9, 3), 2), MessageInfo.of(9, 3, 2));
        assertEquals(MessageInfo.of(9, 3), MessageInfo.of(9, 3, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 5, 7, 8, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void ofWithCaps_capsOutOfRange_throwsNamingRangeAndValue(int caps) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MessageInfo.of(1, 1, caps));
        assertEquals("caps must be in 0..4, was " + caps, e.getMessage());
    }

    @Test
    void ofWithCaps_badLabelOrLength_throwsNamingThatFieldFirst() {
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class, () -> MessageInfo.of(-3, 1, 9));
        assertEquals("label must be >= 0, was -3", label.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> MessageInfo.of(0, 65, 9));
        assertEquals("length must be in 0..64, was 65", length.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0, 0, false", "5, 64, 4, false", "-1, 65, 7, true", "2147483647, 127, 3, true",
        "-2147483648, 1, 1, false", "123456, 33, 2, true"
    })
    void pack_anyFieldsWithinWidth_roundTrip(int label, int length, int caps, boolean system) {
        long info = MessageInfo.pack(label, length, caps, system);
        assertEquals(label, MessageInfo.label(info));
        assertEquals(length, MessageInfo.length(info));
        assertEquals(caps, MessageInfo.caps(info));
        assertEquals(system, MessageInfo.isSystem(info));
        assertEquals(Kind.NONE, MessageInfo.kind(info));
    }

    @Test
    void pack_fieldsWiderThanWidth_truncatedNotSpilled() {
        long info = MessageInfo.pack(3, 128 + 5, 8 + 2, false);
        assertEquals(3, MessageInfo.label(info));
        assertEquals(5, MessageInfo.length(info));
        assertEquals(2, MessageInfo.caps(info));
        assertFalse(MessageInfo.isSystem(info));
        assertEquals(Kind.NONE, MessageInfo.kind(info));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void withKind_eachKind_setsKindKeepsOtherFields(Kind kind) {
        long info = MessageInfo.pack(42, 9, 3, true);
        long k = MessageInfo.withKind(info, kind);
        assertEquals(kind, MessageInfo.kind(k));
        assertEquals(42, MessageInfo.label(k));
        assertEquals(9, MessageInfo.length(k));
        assertEquals(3, MessageInfo.caps(k));
        assertTrue(MessageInfo.isSystem(k));
        assertEquals(info, MessageInfo.withKind(k, Kind.NONE), "NONE clears the kind");
    }

    @Test
    void withKind_twice_lastWins() {
        long info = MessageInfo.withKind(MessageInfo.withKind(MessageInfo.of(1, 1), Kind.REPLY), Kind.SEND);
        assertEquals(Kind.SEND, MessageInfo.kind(info));
    }

    @Test
    void isSendable_eachBadField_false() {
        assertFalse(MessageInfo.isSendable(MessageInfo.pack(-1, 0, 0, false)), "negative label");
        assertFalse(MessageInfo.isSendable(MessageInfo.pack(0, 65, 0, false)), "length 65");
        assertFalse(MessageInfo.isSendable(MessageInfo.pack(0, 127, 0, false)), "length 127");
        assertFalse(MessageInfo.isSendable(MessageInfo.pack(0, 0, 5, false)), "5 capabilities");
        assertFalse(MessageInfo.isSendable(MessageInfo.pack(0, 0, 7, false)), "7 capabilities");
        assertFalse(MessageInfo.isSendable(MessageInfo.pack(0, 0, 0, true)), "SYSTEM flag");
        for (Kind kind : new Kind[] {Kind.SEND, Kind.CALL, Kind.NOTIFICATION, Kind.REPLY}) {
            assertFalse(MessageInfo.isSendable(MessageInfo.withKind(MessageInfo.of(0, 0), kind)), "kind " + kind);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 11, 13, 16, 24, 31})
    void isSendable_reservedBitSet_false(int bit) {
        long info = MessageInfo.of(1, 1) | (1L << bit);
        assertFalse(MessageInfo.isSendable(info), "reserved bit " + bit);
    }

    @Test
    void isSendable_upToFourCapabilities_true() {
        for (int caps = 0; caps <= MessageInfo.MAX_CAPS; caps++) {
            assertTrue(MessageInfo.isSendable(MessageInfo.pack(0, 64, caps, false)), caps + " capabilities");
        }
    }

    @Test
    void constants_matchSpec() {
        assertEquals(64, MessageInfo.MAX_LENGTH);
        assertEquals(4, MessageInfo.MAX_CAPS);
    }

    @Test
    void toString_kindSystemCaps_readable() {
        assertEquals("label=7 len=2", MessageInfo.toString(MessageInfo.of(7, 2)));
        assertEquals("CALL label=7 len=2", MessageInfo.toString(MessageInfo.withKind(MessageInfo.of(7, 2), Kind.CALL)));
        assertEquals("SYSTEM label=1 len=0 caps=3", MessageInfo.toString(MessageInfo.pack(1, 0, 3, true)));
    }

    @Test
    void kindOfCode_eachOrdinal_thatKind() {
        for (Kind k : Kind.values()) {
            assertEquals(k, Kind.ofCode(k.ordinal()));
        }
    }
}
