/** The {@code ./capipc} launcher: builds whole systems on the kernel and runs them. */
module io.capipc.cli {
    requires static org.jspecify;
    requires static com.google.errorprone.annotations;
    requires io.capipc.kernel;
    requires io.capipc.servers;
    // Observers: --jfr starts a Flight Recording; the graphs are built as Guava graphs.
    requires jdk.jfr;
    requires com.google.common;
    requires io.capipc.system;
}
