package io.capipc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Why a syscall was refused: each reason belongs to one refusal status and renders readably for logs. */
class ReasonTest {

    @ParameterizedTest
    @EnumSource(value = Reason.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void render_refusal_statusThenNameThenDescription(Reason r) {
        assertEquals(r.status() + " (" + r.name() + ": " + r.description() + ")", r.render());
        assertFalse(r.description().isBlank(), r + " has no description");
    }

    @Test
    void render_none_saysNotRefused() {
        assertEquals("not refused", Reason.NONE.render());
        assertSame(Status.OK, Reason.NONE.status());
    }

    @ParameterizedTest
    @EnumSource(value = Reason.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void status_ofARefusal_neverOkNorAnEndingThatIsNotARefusal(Reason r) {
        assertNotEquals(Status.OK, r.status());
        for (Status ending : new Status[] {Status.TIMEOUT, Status.INTERRUPTED, Status.NO_REPLY, Status.PEER_DIED}) {
            assertNotEquals(ending, r.status(), r + ": " + ending + " says enough and carries no reason");
        }
        // REVOKED ends blocked syscalls with no reason; at a syscall, only a revoked async port refuses with it.
        if (r.status() == Status.REVOKED) {
            assertSame(Reason.PORT_REVOKED, r);
        }
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void ofOrdinal_eachOrdinal_thatReason(Reason r) {
        assertSame(r, Reason.ofOrdinal(r.ordinal()));
    }

    @Test
    void render_example_readsAsDocumented() {
        String text = Reason.TRANSFER_SLOT_OUT_OF_RANGE.render();
        assertTrue(text.startsWith("INVALID_ARGUMENT (TRANSFER_SLOT_OUT_OF_RANGE: "), text);
        assertTrue(text.contains("a slot named for capability transfer is out of range"), text);
    }
}
