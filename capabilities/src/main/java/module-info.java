/**
 * Capability spaces, slots and the derivation tree. Only the kernel may touch them: a task names a
 * capability by slot index and nothing else.
 */
module io.capipc.capabilities {
    requires static org.jspecify;
    requires static com.google.errorprone.annotations;
    requires transitive io.capipc.api;

    exports io.capipc.cap to io.capipc.kernel;
}
