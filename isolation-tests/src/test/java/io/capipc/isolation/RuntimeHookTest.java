package io.capipc.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calling the runtime's hooks. What a runtime may do beyond its tasks' syscalls (start a task, set the
 * waker and the clock, expire, kill, report an exit or a fault) is the RuntimePort, a class of an
 * internal package, which the kernel hands through its package-private attach, once, to the first
 * runtime. A body can load the class by name, but cannot call a hook, make a port, take the runtime's,
 * or call attach; and boot code that tries a second runtime on a kernel is told which one it has.
 */
class RuntimeHookTest {
    private static final List<String> HOOKS = List.of("syscalls", "start", "waker", "clock", "expire", "expireDue",
            "kill", "exit", "fault");

    private final ThreadedSystem threaded = new ThreadedSystem();

    @AfterEach
    void stop() throws InterruptedException {
        threaded.close();
    }

    @Test
    void runtimePort_everyHookByReflection_refused() {
        ThreadedRuntime runtime = threaded.runtime;
        Set<String> refused = threaded.attack(sys -> {
            Class<?> port = Class.forName("io.capipc.kernel.run.RuntimePort");
            Set<String> names = new TreeSet<>();
            for (Method hook : port.getDeclaredMethods()) {
                // The access check comes before the receiver's type is: the refusal needs no port,
                // and none can be had (below).
                assertThrows(IllegalAccessException.class, () -> hook.invoke(runtime, Reflect.zeros(hook)), hook::toString);
                names.add(hook.getName());
            }
            Constructor<?> make = port.getConstructors()[0];
            assertThrows(IllegalAccessException.class, () -> make.newInstance(null, null));
            assertThrows(InaccessibleObjectException.class, () -> ThreadedRuntime.class.getDeclaredField("port").setAccessible(true));
            assertThrows(IllegalAccessException.class, () -> ThreadedRuntime.class.getDeclaredField("port").get(runtime));
            return names;
        });
        assertTrue(refused.containsAll(HOOKS), refused::toString);
        threaded.assertUnharmed();
    }

    @Test
    void dispatchAndBlocking_byReflection_refused() {
        TaskHandle server = threaded.boot.server;
        threaded.attack(sys -> {
            Class<?> task = Class.forName("io.capipc.kernel.object.Task");
            Method exit = Class.forName("io.capipc.kernel.syscall.Dispatch").getMethod("exit", task);
            assertThrows(IllegalAccessException.class, () -> exit.invoke(sys, (Object) null));
            Class<?> blocking = Class.forName("io.capipc.kernel.run.Blocking");
            assertThrows(IllegalAccessException.class, () -> blocking.getConstructors()[0].newInstance(null, 0L));
            Method register = blocking.getMethod("register", task, Thread.class);
            assertThrows(IllegalAccessException.class, () -> register.invoke(server, null, null));
            return null;
        });
        threaded.assertUnharmed();
    }

    @Test
    void kernelAttach_fromABody_refused_andASecondRuntimeIsRefusedNamingTheFirst() {
        Kernel kernel = threaded.boot.kernel;
        threaded.attack(sys -> {
            assertPackagePrivateRefused(kernel, Kernel.class.getDeclaredMethod("attach", String.class), "an attacker");
            assertPackagePrivateRefused(kernel, Kernel.class.getDeclaredMethod("dispatch"));
            assertPackagePrivateRefused(kernel, Kernel.class.getDeclaredMethod("task", TaskHandle.class), threaded.boot.server);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new DeterministicDriver(kernel));
            assertEquals("this kernel already runs under a ThreadedRuntime of platform threads; a DeterministicDriver"
                    + " cannot attach to it as well", e.getMessage());
            return null;
        });
        threaded.assertUnharmed();
    }

    @Test
    void kernelAttach_onTheDriversKernel_refused_andASecondRuntimeIsRefusedNamingTheFirst() throws Exception {
        DrivenSystem driven = new DrivenSystem();
        Kernel kernel = driven.boot.kernel;
        assertPackagePrivateRefused(kernel, Kernel.class.getDeclaredMethod("attach", String.class), "an attacker");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM));
        assertEquals("this kernel already runs under a DeterministicDriver; a ThreadedRuntime of platform threads"
                + " cannot attach to it as well", e.getMessage());
        driven.assertUnharmed();
    }

    /** A package-private method of an exported class: not callable, and not to be made so. */
    private static void assertPackagePrivateRefused(Object target, Method m, Object... args) {
        assertThrows(IllegalAccessException.class, () -> m.invoke(target, args), m::toString);
        assertThrows(InaccessibleObjectException.class, () -> m.setAccessible(true), m::toString);
    }
}
