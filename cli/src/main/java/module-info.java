/** The {@code ./capipc} launcher: builds whole systems on the kernel and runs them. */
module io.capipc.cli {
    requires static org.jspecify;
    requires static com.google.errorprone.annotations;
    requires io.capipc.kernel;
    requires io.capipc.servers;
    requires io.capipc.system;
}
