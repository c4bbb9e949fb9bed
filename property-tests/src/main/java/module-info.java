/**
 * The property suite: a seeded, shrinking, replayable harness, a reference model of the kernel's
 * semantics, and one check per guarantee. It sees the kernel as users do (the boot API, the runtimes
 * and the views), plus the injected bugs, which the kernel exports to this module alone.
 */
module io.capipc.props {
    requires static org.jspecify;
    requires static com.google.errorprone.annotations;
    requires io.capipc.kernel;

    exports io.capipc.props.harness;
    exports io.capipc.props.model;
    exports io.capipc.props.ports;
}
