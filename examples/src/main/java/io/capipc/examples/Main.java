package io.capipc.examples;

import io.capipc.examples.kv.KeyValueExample;

/** Runs the examples: {@code mvn -q exec:exec} in examples/ (after {@code mvn install} at the root). */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        System.out.println("key-value store:");
        KeyValueExample.run(System.out);
        System.out.println("counter and gate: see their tests (examples/src/test), which run them on both runtimes");
    }
}
