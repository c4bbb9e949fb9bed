package io.capipc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.examples.kv.KeyValueExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README.md's key-value example is this project's KeyValue and KeyValueExample, verbatim, and it works. */
class ReadmeKeyValueTest {
    private static final Path EXAMPLES = Path.of("").toAbsolutePath();
    private static final Path README = EXAMPLES.getParent().resolve("README.md");
    private static final Path KV = EXAMPLES.resolve("src/main/java/io/capipc/examples/kv");

    @Test
    void readme_keyValueExample_isVerbatimInReadme() throws Exception {
        String readme = Files.readString(README);
        String example = Files.readString(KV.resolve("KeyValueExample.java"));
        String body = example.substring(example.indexOf("// README:begin\n") + 16, example.indexOf("// README:end"));
        assertTrue(readme.contains(body), "README.md must contain KeyValueExample.java verbatim:\n" + body);
        String itf = Files.readString(KV.resolve("KeyValue.java"));
        String declaration = itf.substring(itf.indexOf("@IpcInterface"));
        assertTrue(readme.contains(declaration), "README.md must contain KeyValue.java's interface verbatim:\n" + declaration);
    }

    @Test
    void readme_keyValueExample_printsTheValueAndTheDeclaredError() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        KeyValueExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("blue\nNOT_FOUND OK", bytes.toString(StandardCharsets.UTF_8).strip());
    }
}
