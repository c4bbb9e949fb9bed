package io.capipc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks are the one module without a module-info: JMH and the frameworks they compare with
 * (gRPC, Vert.x, Pekko) are automatic modules with split packages, so they run from a shaded jar on
 * the class path, where every public kernel class would be visible. This test holds them to what a
 * user's module may use instead: it reads every benchmark class file and fails if one names a class
 * of a package the kernel does not export.
 */
class ExportedApiOnlyTest {
    /**
     * What io.capipc.kernel, io.capipc.servers and io.capipc.system export (their module-infos);
     * capabilities exports nothing to users.
     */
    private static final Set<String> EXPORTED = Set.of("io/capipc/api/", "io/capipc/kernel/", "io/capipc/kernel/inspect/",
            "io/capipc/servers/", "io/capipc/servers/upper/", "io/capipc/servers/channel/", "io/capipc/system/",
            "io/capipc/system/name/", "io/capipc/system/supervisor/", "io/capipc/system/file/");

    @Test
    void benchmarkClasses_nameOnlyExportedKernelPackages() throws IOException, URISyntaxException {
        Path classes = Path.of(Transitions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertTrue(files.size() > 10, "found only " + files + " under " + classes);
        Set<String> outside = new TreeSet<>();
        for (Path f : files) {
            ClassModel model = ClassFile.of().parse(Files.readAllBytes(f));
            for (PoolEntry e : model.constantPool()) {
                if (e instanceof ClassEntry c && isCapipc(c.asInternalName()) && !exported(c.asInternalName())) {
                    outside.add(model.thisClass().asInternalName() + " -> " + c.asInternalName());
                }
            }
        }
        assertEquals(Set.of(), outside);
    }

    @Test
    void theCheck_seesAnInternalClass() {
        assertTrue(isCapipc("io/capipc/kernel/object/Task") && !exported("io/capipc/kernel/object/Task"));
        assertTrue(exported("io/capipc/kernel/DeterministicDriver") && exported("io/capipc/kernel/inspect/Outcome"));
        assertTrue(exported("io/capipc/servers/Wire"));
    }

    private static boolean isCapipc(String name) {
        String n = name.replaceFirst("^\\[+L?", "");
        return n.startsWith("io/capipc/") && !n.startsWith("io/capipc/benchmarks/");
    }

    private static boolean exported(String name) {
        String n = name.replaceFirst("^\\[+L?", "");
        String pkg = n.substring(0, n.lastIndexOf('/') + 1);
        return EXPORTED.contains(pkg);
    }
}
