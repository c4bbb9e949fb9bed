package io.capipc.isolation;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Status;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ThreadedRuntime;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Method handles, the other door into private state. MethodHandles.privateLookupIn needs the target's
 * package open to the caller's module, and none of the kernel's, the capabilities' or the api's is,
 * so it is refused for every class they have; and an ordinary lookup finds no private field or
 * method of the kernel, the runtimes or the kernel's registers.
 */
class PrivateLookupTest {
    private final ThreadedSystem threaded = new ThreadedSystem();

    @AfterEach
    void stop() throws InterruptedException {
        threaded.close();
    }

    @Test
    void privateLookupIn_everyClassOfTheKernelCapabilitiesAndApi_refused() {
        int classes = threaded.attack(sys -> {
            int n = 0;
            for (String module : Reflect.KERNEL_MODULES) {
                for (Class<?> c : Reflect.classesOf(module)) {
                    assertThrows(IllegalAccessException.class, () -> MethodHandles.privateLookupIn(c, MethodHandles.lookup()),
                            c::getName);
                    n++;
                }
            }
            return n;
        });
        assertTrue(classes > 60, "only " + classes + " classes found: the sweep did not see the modules");
        threaded.assertUnharmed();
    }

    @Test
    void lookup_privateStateOfKernelRuntimeAndRegisters_notFound() {
        threaded.attack(sys -> {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> registry = Class.forName("io.capipc.kernel.state.Registry");
            Class<?> port = Class.forName("io.capipc.kernel.run.RuntimePort");
            Class<?> registers = Class.forName("io.capipc.kernel.object.Registers");
            assertThrows(IllegalAccessException.class, () -> lookup.findVarHandle(Kernel.class, "registry", registry));
            assertThrows(IllegalAccessException.class, () -> lookup.findGetter(ThreadedRuntime.class, "port", port));
            assertThrows(IllegalAccessException.class,
                    () -> lookup.findVirtual(Kernel.class, "attach", MethodType.methodType(port, String.class)));
            assertThrows(IllegalAccessException.class,
                    () -> lookup.findVirtual(registers, "complete", MethodType.methodType(Status.class, Status.class)));
            assertThrows(IllegalAccessException.class,
                    () -> lookup.in(Kernel.class).findVarHandle(Kernel.class, "registry", registry));
            return null;
        });
        threaded.assertUnharmed();
    }

    @Test
    void lookup_privateStateOfTheDriver_notFound() throws Exception {
        DrivenSystem driven = new DrivenSystem();
        Class<?> port = Class.forName("io.capipc.kernel.run.RuntimePort");
        Class<?> dispatch = Class.forName("io.capipc.kernel.syscall.Dispatch");
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        assertThrows(IllegalAccessException.class, () -> lookup.findGetter(DeterministicDriver.class, "port", port));
        assertThrows(IllegalAccessException.class, () -> lookup.findGetter(DeterministicDriver.class, "k", dispatch));
        assertThrows(IllegalAccessException.class, () -> MethodHandles.privateLookupIn(DeterministicDriver.class, lookup));
        driven.assertUnharmed();
    }
}
