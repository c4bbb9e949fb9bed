/** The {@code ./capipc} launcher: builds whole systems on the kernel and runs them. */
module io.capipc.cli {
    requires io.capipc.kernel;
    requires io.capipc.servers;
}
