/**
 * A whole small system on capipc: a name server, a supervisor and a file server, each written with
 * the server library and a typed interface, and the boot code that wires them together on a kernel
 * (docs/servers.md, "The system servers").
 */
module io.capipc.system {
    requires static org.jspecify;
    requires static com.google.errorprone.annotations;
    requires transitive io.capipc.servers;
    requires transitive io.capipc.kernel;
    requires com.github.benmanes.caffeine;

    exports io.capipc.system;
    exports io.capipc.system.name;
    exports io.capipc.system.supervisor;
    exports io.capipc.system.file;
}
