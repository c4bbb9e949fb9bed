package io.capipc.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.IpcBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Casting what a body is given to the kernel's own types. The kernel's internal packages are not
 * exported, so no such type can be named in source; a body can still load one by name and find that
 * its IPC buffer is one (the cast itself succeeds), but every method the type adds to the interface,
 * and its constructor and fields, are refused with IllegalAccessException.
 */
class CastTest {
    /** What the kernel's registers can do that the IpcBuffer interface does not let a task do. */
    private static final Set<String> KERNEL_ONLY_REGISTER_METHODS = Set.of("complete", "refuse", "received",
            "callerInfo", "counted", "handle", "unwrappedCap", "clearUnwrapped", "copyFrom",
            "setSignalVolatile", "setParkedVolatile", "clearParkedOpaque");

    private final ThreadedSystem threaded = new ThreadedSystem();

    @AfterEach
    void stop() throws InterruptedException {
        threaded.close();
    }

    @Test
    void ipc_castToRegisters_isOneButNoneOfItsMethodsCanBeCalled() {
        Set<String> refused = threaded.attack(sys -> {
            Class<?> registers = Class.forName("io.capipc.kernel.object.Registers");
            Object cast = registers.cast(sys.ipc());
            return Reflect.assertCannotCall(cast);
        });
        assertTrue(refused.containsAll(KERNEL_ONLY_REGISTER_METHODS), refused::toString);
        threaded.assertUnharmed();
    }

    @Test
    void driverIpc_castToRegisters_isOneButNoneOfItsMethodsCanBeCalled() throws Exception {
        DrivenSystem driven = new DrivenSystem();
        IpcBuffer serverIpc = driven.driver.ipc(driven.boot.server);
        Object cast = Class.forName("io.capipc.kernel.object.Registers").cast(serverIpc);
        Set<String> refused = Reflect.assertCannotCall(cast);
        assertTrue(refused.containsAll(KERNEL_ONLY_REGISTER_METHODS), refused::toString);
        driven.assertUnharmed();
    }

    @Test
    void syscalls_castToTaskSyscalls_isOneButCannotBeCalledBuiltOrRead() {
        Set<String> refused = threaded.attack(sys -> {
            Class<?> impl = Class.forName("io.capipc.kernel.run.TaskSyscalls");
            assertTrue(impl.isInstance(sys));
            assertThrows(IllegalAccessException.class, () -> impl.getConstructors()[0].newInstance(null, null, null));
            assertThrows(IllegalAccessException.class, () -> impl.getDeclaredField("task").get(sys));
            assertThrows(IllegalAccessException.class, () -> impl.getDeclaredField("kernel").get(sys));
            return Reflect.assertCannotCall(sys);
        });
        // Even the syscalls themselves: they are reached through the Syscalls interface, never the class.
        assertTrue(refused.containsAll(Set.of("call", "recv", "replyWait", "mint", "revoke", "ipc")), refused::toString);
        threaded.assertUnharmed();
    }

    @Test
    void everyKernelClass_loadedByName_isInaccessibleUnlessExported() {
        List<String> inaccessible = threaded.attack(sys -> {
            List<String> names = new ArrayList<>();
            for (String module : List.of("io.capipc.capabilities", "io.capipc.kernel")) {
                for (Class<?> c : Reflect.classesOf(module)) {
                    if (!c.getModule().isExported(c.getPackageName(), CastTest.class.getModule())) {
                        assertThrows(IllegalAccessException.class, () -> MethodHandles.publicLookup().accessClass(c), c::getName);
                        assertThrows(IllegalAccessException.class, () -> MethodHandles.lookup().accessClass(c), c::getName);
                        names.add(c.getName());
                    }
                }
            }
            return names;
        });
        assertTrue(inaccessible.containsAll(List.of("io.capipc.kernel.object.Task", "io.capipc.kernel.object.Registers",
                "io.capipc.kernel.object.Endpoint", "io.capipc.kernel.object.Space", "io.capipc.kernel.syscall.Dispatch",
                "io.capipc.kernel.run.RuntimePort", "io.capipc.kernel.run.Blocking", "io.capipc.kernel.run.Parker",
                "io.capipc.kernel.state.Registry", "io.capipc.cap.CSpace", "io.capipc.cap.Slot")), inaccessible::toString);
        threaded.assertUnharmed();
    }

    @Test
    void ipcBuffer_interface_letsATaskWriteOnlyItsOutgoingMessage() {
        Set<String> writes = new TreeSet<>();
        for (Method m : IpcBuffer.class.getMethods()) {
            if (m.getReturnType() == void.class) {
                writes.add(m.getName());
            }
        }
        // Registers, the capabilities to send (and whether each moves) and the slots to receive into:
        // nothing the kernel writes (status, reason, info, badge, counts, handles, caller info, the
        // mapping) has a setter a task could call.
        assertEquals(Set.of("setMr", "setCap", "setMove", "setReceiveSlot"), writes);
        assertFalse(IpcBuffer.class.getModule().isOpen(IpcBuffer.class.getPackageName(), CastTest.class.getModule()));
    }
}
