package io.capipc.kernel.bugs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The injected-bug switch, as a real kernel has it: off. This module's tests run without
 * {@code -Dcapipc.injectedBugs=true}, as production does, so no set of bugs is ever on, and a kernel
 * with bugs cannot be made here; the property suite, which runs with the flag, catches each bug.
 */
class InjectedBugsTest {
    @Test
    void enabled_withoutTheSystemProperty_false() {
        assertFalse(InjectedBugs.ENABLED);
    }

    @Test
    void on_anyBugWhileDisabled_false() {
        InjectedBugs all = InjectedBugs.of(InjectedBug.values());
        for (InjectedBug b : InjectedBug.values()) {
            assertFalse(all.on(b), b.name());
        }
    }

    @Test
    void with_whileDisabled_refusedNamingTheFlag() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> InjectedBugs.with(InjectedBugs.of(InjectedBug.LIFO_SENDERS), Object::new));
        assertEquals("injected bugs need -Dcapipc.injectedBugs=true on the JVM's command line", e.getMessage());
        assertEquals(InjectedBugs.NONE, InjectedBugs.forNewKernel());
    }

    @Test
    void toString_namesExactlyTheBugsInDeclarationOrder() {
        assertEquals("InjectedBugs[]", InjectedBugs.NONE.toString());
        assertEquals("InjectedBugs[BADGE_FROM_LABEL,MINT_REBADGES,NBSEND_ALLOCATES]",
                InjectedBugs.of(InjectedBug.NBSEND_ALLOCATES, InjectedBug.MINT_REBADGES, InjectedBug.BADGE_FROM_LABEL).toString());
        for (InjectedBug b : InjectedBug.values()) {
            assertEquals("InjectedBugs[" + b + "]", InjectedBugs.of(b).toString());
        }
    }
}
