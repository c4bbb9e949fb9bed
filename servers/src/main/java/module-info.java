/**
 * The library for writing servers on capipc's syscalls, and the servers built with it. It needs the
 * public vocabulary alone ({@code io.capipc.api}), so a server body runs unchanged on either runtime.
 */
module io.capipc.servers {
    requires static org.jspecify;
    requires static com.google.errorprone.annotations;
    requires transitive io.capipc.api;

    exports io.capipc.servers;
    exports io.capipc.servers.upper;
    exports io.capipc.servers.channel;
}
