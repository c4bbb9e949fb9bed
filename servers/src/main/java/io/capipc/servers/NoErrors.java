package io.capipc.servers;

/** The errors of an {@link IpcInterface} that declares none. */
public enum NoErrors {}
