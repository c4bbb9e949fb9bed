package io.capipc.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.DeterministicDriver;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK's own ways past any module boundary: sun.misc.Unsafe, whose memory access reads and writes
 * any field of any object, and native code (FFM's restricted methods, JNI), which reaches any memory,
 * a task's message registers included (they live in native memory). JPMS cannot stop either; JDK 25
 * allows both by default with a warning. A system running untrusted task code must start its JVM with
 * {@code --sun-misc-unsafe-memory-access=deny --illegal-native-access=deny} (and grant native access
 * to no task's module), as the launcher does and as this module's test JVM does. These tests check
 * that both are then refused; run without the flags, they fail (docs/testing.md).
 */
class JvmRoutesTest {
    private final ThreadedSystem threaded = new ThreadedSystem();

    @AfterEach
    void stop() throws InterruptedException {
        threaded.close();
    }

    /**
     * Takes the Unsafe as any code can (jdk.unsupported opens sun.misc to all) and asks where a
     * private field of {@code target} lies: the first step of reading or writing it.
     */
    private static Throwable unsafeFieldOffset(Object target, String field) throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        Object unsafe = theUnsafe.get(null);
        Method offset = unsafeClass.getMethod("objectFieldOffset", Field.class);
        Field f = target.getClass().getDeclaredField(field);
        return assertThrows(InvocationTargetException.class, () -> offset.invoke(unsafe, f)).getCause();
    }

    @Test
    void unsafe_aimedAtTheBodysOwnSyscalls_refusedUnderTheDenyFlag() {
        Throwable refused = threaded.attack(sys -> unsafeFieldOffset(sys, "task"));
        assertInstanceOf(UnsupportedOperationException.class, refused);
        assertEquals("objectFieldOffset", refused.getMessage());
        threaded.assertUnharmed();
    }

    @Test
    void unsafe_aimedAtTheDriver_refusedUnderTheDenyFlag() throws Exception {
        DrivenSystem driven = new DrivenSystem();
        Throwable refused = unsafeFieldOffset(driven.driver, "port");
        assertInstanceOf(UnsupportedOperationException.class, refused);
        driven.assertUnharmed();
    }

    @Test
    @SuppressWarnings("restricted") // calling restricted methods without native access is the attack
    void nativeAccess_restrictedMethodsFromABody_refusedUnderTheDenyFlag() {
        List<Throwable> refused = threaded.attack(sys -> List.of(
                assertThrows(IllegalCallerException.class, () -> MemorySegment.NULL.reinterpret(Long.MAX_VALUE)),
                assertThrows(IllegalCallerException.class, () -> SymbolLookup.libraryLookup("libc.so.6", Arena.global())),
                assertThrows(IllegalCallerException.class, () -> System.loadLibrary("capipc-none"))));
        for (Throwable e : refused) {
            assertTrue(e.getMessage().contains("module io.capipc.isolation"), e.getMessage());
        }
        threaded.assertUnharmed();
    }
}
