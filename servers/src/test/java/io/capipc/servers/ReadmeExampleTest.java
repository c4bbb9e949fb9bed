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

/** README.md's example is this module's ReadmeExample, so it keeps compiling and keeps working. */
class ReadmeExampleTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void readme_example_isVerbatimInReadme() throws Exception {
        String source = Files.readString(ROOT.resolve("servers/src/test/java/io/capipc/servers/ReadmeExample.java"));
        String body = source.substring(source.indexOf("// README:begin\n") + 16, source.indexOf("        // README:end"));
        String dedented = Arrays.stream(body.split("\n", -1))
                .map(l -> l.startsWith("        ") ? l.substring(8) : l)
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.contains(dedented), "README.md must contain the example of ReadmeExample.java verbatim:\n" + dedented);
    }

    @Test
    void readme_example_printsOkAndTheBadgedSum() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReadmeExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("OK 43", bytes.toString(StandardCharsets.UTF_8).strip());
    }
}
