/**
 * The capipc kernel model. Exported: the boot API and the two runtimes ({@code io.capipc.kernel}),
 * and the read-only views and trace vocabulary ({@code io.capipc.kernel.inspect}). Kernel objects,
 * transitions and runtime internals are exported to nobody, so a task body holding its syscalls
 * cannot reach them by cast or reflection; the injected bugs only to the property suite.
 */
module io.capipc.kernel {
    requires static org.jspecify;
    requires static com.google.errorprone.annotations;
    requires transitive io.capipc.api;
    requires io.capipc.capabilities;
    // The Flight Recorder events (package jfr): off unless a recording enables them.
    requires jdk.jfr;

    exports io.capipc.kernel;
    exports io.capipc.kernel.inspect;
    exports io.capipc.kernel.bugs to io.capipc.props;
}
