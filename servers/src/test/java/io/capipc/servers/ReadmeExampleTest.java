package io.capipc.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** README.md's examples are this module's ReadmeExample, ReadmeAsyncExample and ReadmeRegionExample, so they keep compiling and working. */
class ReadmeExampleTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void readme_example_isVerbatimInReadme() throws Exception {
        assertVerbatimWithImports("ReadmeExample.java", "README");
    }

    @Test
    void readme_asyncExample_isVerbatimInReadme() throws Exception {
        assertVerbatimWithImports("ReadmeAsyncExample.java", "README:async");
    }

    @Test
    void readme_regionExample_isVerbatimInReadme() throws Exception {
        assertVerbatimWithImports("ReadmeRegionExample.java", "README:region");
    }

    /**
     * README.md holds the lines of {@code file} between its {@code marker:begin} and {@code marker:end}
     * comments, dedented, just after the file's imports (all but the PrintStream the test hands it).
     */
    private static void assertVerbatimWithImports(String file, String marker) throws Exception {
        String source = Files.readString(ROOT.resolve("servers/src/test/java/io/capipc/servers/" + file));
        String begin = "// " + marker + ":begin\n";
        String body = source.substring(source.indexOf(begin) + begin.length(), source.indexOf("        // " + marker + ":end"));
        String dedented = Arrays.stream(body.split("\n", -1))
                .map(l -> l.startsWith("        ") ? l.substring(8) : l)
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.contains(dedented), "README.md must contain the example of " + file + " verbatim:\n" + dedented);
        String imports = Arrays.stream(source.split("\n"))
                .filter(l -> l.startsWith("import ") && !l.contains("PrintStream"))
                .collect(Collectors.joining("\n"));
        assertTrue(readme.contains(imports + "\n\n" + dedented.substring(0, 20)),
                "README.md must show the imports of " + file + " just before its example:\n" + imports);
    }

    @Test
    void readme_asyncExample_printsEachAnswerWithItsTag() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReadmeAsyncExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("tag 1: 2\ntag 2: 4\ntag 3: 6", bytes.toString(StandardCharsets.UTF_8).strip().replace("\r", ""));
    }

    @Test
    void readme_regionExample_movesTheBlockThereAndBack() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReadmeRegionExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("42 false", bytes.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void readme_example_printsOkAndTheBadgedSum() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReadmeExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("OK 43", bytes.toString(StandardCharsets.UTF_8).strip());
    }
}
