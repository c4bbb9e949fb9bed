package io.capipc.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Syscalls;
import io.capipc.kernel.Kernel;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The other tests prove something only if they run where a user's code runs: in a named module that
 * requires the kernel and nothing else, against the kernel's named module, which exports its boot API
 * and views and opens nothing. Were they run on the class path, or with packages opened to them, every
 * attack would be judged against a boundary that is not there; this class fails first.
 */
class ModuleViewTest {
    private final Module me = getClass().getModule();

    @Test
    void tests_runInTheUsersNamedModule_requiringTheKernelAlone() {
        assertEquals("io.capipc.isolation", me.getName());
        Set<String> requires = me.getDescriptor().requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("io.capipc.kernel", "java.base"), requires);
        assertEquals("io.capipc.kernel", Kernel.class.getModule().getName());
        assertEquals("io.capipc.api", Syscalls.class.getModule().getName());
    }

    @Test
    void kernel_exportsBootApiAndViewsOnly_andOpensNothing() {
        Module kernel = Kernel.class.getModule();
        assertFalse(kernel.getDescriptor().isOpen(), "the kernel module is open");
        Set<String> exported = new TreeSet<>();
        for (String p : kernel.getPackages()) {
            assertFalse(kernel.isOpen(p, me), p + " is open to this module");
            if (kernel.isExported(p, me)) {
                exported.add(p);
            }
        }
        assertEquals(Set.of("io.capipc.kernel", "io.capipc.kernel.inspect"), exported);
        assertTrue(kernel.getPackages().containsAll(Set.of("io.capipc.kernel.object", "io.capipc.kernel.run",
                "io.capipc.kernel.syscall", "io.capipc.kernel.state", "io.capipc.kernel.ipc")), kernel.getPackages()::toString);
    }

    @Test
    void capabilitiesAndApi_openNothing_capabilitiesExportNothingToUs() {
        Module caps = ModuleLayer.boot().findModule("io.capipc.capabilities").orElseThrow();
        Module api = Syscalls.class.getModule();
        assertFalse(caps.isExported("io.capipc.cap", me), "capabilities export io.capipc.cap to this module");
        assertFalse(caps.isOpen("io.capipc.cap", me));
        assertTrue(api.isExported("io.capipc.api", me));
        assertFalse(api.isOpen("io.capipc.api", me));
    }
}
