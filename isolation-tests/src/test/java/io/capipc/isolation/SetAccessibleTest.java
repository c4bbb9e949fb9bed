package io.capipc.isolation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.Kernel;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.inspect.KernelView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deep reflection into what a body or boot code holds. Every object it can get (its syscalls, its IPC
 * buffer, and, should boot code let a body capture them, the kernel, the runtime, the driver, the
 * handles and the views) keeps its private state: setAccessible(true) on any member that is not
 * already public API throws InaccessibleObjectException, and trySetAccessible() returns false,
 * because no package of the kernel is open to the body's module.
 */
class SetAccessibleTest {
    private final ThreadedSystem threaded = new ThreadedSystem();

    @AfterEach
    void stop() throws InterruptedException {
        threaded.close();
    }

    @Test
    void syscallsAndIpc_privateMembers_cannotBeOpened() {
        Map<String, Set<String>> refused = threaded.attack(sys -> Map.of(
                "syscalls", Reflect.assertCannotOpen(sys.getClass()),
                "ipc", Reflect.assertCannotOpen(sys.ipc().getClass())));
        assertContains(refused.get("syscalls"), "task", "kernel", "blocking", "owner", "me");
        assertContains(refused.get("ipc"), "box", "caps", "receiveSlots", "capBadges", "callerBadge", "complete", "refuse");
        threaded.assertUnharmed();
    }

    @Test
    void kernelAndRuntime_capturedByABody_privateMembersCannotBeOpened() {
        Kernel kernel = threaded.boot.kernel;
        ThreadedRuntime runtime = threaded.runtime;
        Map<String, Set<String>> refused = threaded.attack(sys -> Map.of(
                "kernel", Reflect.assertCannotOpen(kernel.getClass()),
                "runtime", Reflect.assertCannotOpen(runtime.getClass())));
        assertContains(refused.get("kernel"), "dispatch", "registry", "taskHandles", "views", "runtime", "attach",
                "task", "space", "object");
        assertContains(refused.get("runtime"), "port", "blocking", "threads", "failures", "runBody");
        threaded.assertUnharmed();
    }

    @Test
    void handlesAndViews_privateFieldsCannotBeOpened() {
        Boot boot = threaded.boot;
        Map<String, Set<String>> refused = threaded.attack(sys -> {
            KernelView view = boot.kernel.inspect();
            return Map.of(
                    "task", Reflect.assertCannotOpen(boot.server.getClass()),
                    "space", Reflect.assertCannotOpen(boot.serverSpace.getClass()),
                    "object", Reflect.assertCannotOpen(boot.endpoint.getClass()),
                    "view", Reflect.assertCannotOpen(view.getClass()),
                    "taskView", Reflect.assertCannotOpen(view.tasks().getFirst().getClass()));
        });
        assertContains(refused.get("task"), "kernel", "id", "name", "space");
        assertContains(refused.get("space"), "kernel", "id", "name");
        assertContains(refused.get("object"), "kernel", "id", "type");
        assertContains(refused.get("view"), "spaces", "tasks", "endpoints", "notifications");
        assertContains(refused.get("taskView"), "state", "blockedOn", "holdsContextOf");
        threaded.assertUnharmed();
    }

    @Test
    void driverAndTheIpcItHandsOut_privateMembersCannotBeOpened() {
        DrivenSystem driven = new DrivenSystem();
        assertContains(Reflect.assertCannotOpen(driven.driver.getClass()), "port", "k", "now", "running");
        assertContains(Reflect.assertCannotOpen(driven.driver.ipc(driven.client).getClass()), "box", "complete");
        assertContains(Reflect.assertCannotOpen(driven.boot.kernel.getClass()), "dispatch", "registry", "attach");
        driven.assertUnharmed();
    }

    @Test
    void everyClassOfTheKernelCapabilitiesAndApi_everyNonPublicMember_cannotBeOpened() {
        int classes = threaded.attack(sys -> {
            int n = 0;
            for (String module : Reflect.KERNEL_MODULES) {
                for (Class<?> c : Reflect.classesOf(module)) {
                    Reflect.assertCannotOpen(c);
                    n++;
                }
            }
            return n;
        });
        assertTrue(classes > 60, "only " + classes + " classes found: the sweep did not see the modules");
        threaded.assertUnharmed();
    }

    private static void assertContains(Set<String> refused, String... expected) {
        assertTrue(refused.containsAll(List.of(expected)), () -> "refused " + refused + ", expected at least "
                + List.of(expected));
    }
}
