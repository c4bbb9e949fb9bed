package io.capipc.examples;

import io.capipc.servers.IpcException;
import io.capipc.servers.IpcInterface;
import io.capipc.servers.OneWay;
import io.capipc.servers.Op;

/** Register-only operations, for the allocation test. */
@IpcInterface(errors = Adder.Error.class)
public interface Adder {
    enum Error { NEGATIVE }

    enum Color { RED, GREEN, BLUE }

    @Op(1) long add(long a, long b) throws IpcException;

    @Op(2) boolean flip(boolean b) throws IpcException;

    @Op(3) Color next(Color c) throws IpcException;

    @Op(4) double scale(double d, float f, int i, short s, byte b, char c) throws IpcException;

    /** Answers NEGATIVE for a negative argument: the error path, which allocates nothing either. */
    @Op(5) long check(long x) throws IpcException;

    @Op(6) @OneWay void note(long x) throws IpcException;
}
