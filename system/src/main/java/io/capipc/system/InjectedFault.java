package io.capipc.system;

/**
 * A fault injected on purpose (the demo's crash, the tests' servers that fault mid-call): an
 * {@link Error}, so the server library does not answer it as a handler failure; it ends the server's
 * body, the task faults, its callers get PEER_DIED and its supervisor hears TASK_FAULTED.
 */
public final class InjectedFault extends Error {
    private static final long serialVersionUID = 1L;

    /** A fault saying {@code what}. */
    public InjectedFault(String what) {
        super(what);
    }
}
