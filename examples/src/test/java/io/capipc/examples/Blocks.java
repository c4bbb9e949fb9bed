package io.capipc.examples;

import io.capipc.servers.Cap;
import io.capipc.servers.IpcException;
import io.capipc.servers.IpcInterface;
import io.capipc.servers.Op;

/** A region moved to the server and back through the generated stub: {@code @Cap(move = true)}. */
@IpcInterface(errors = Blocks.Error.class)
public interface Blocks {
    enum Error { UNMAPPABLE }

    /** Doubles the first long of the block and moves the block back. */
    @Op(1) @Cap(move = true) int doubled(@Cap(move = true) int block) throws IpcException;
}
