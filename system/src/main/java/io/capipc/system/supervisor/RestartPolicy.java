package io.capipc.system.supervisor;

/** Which children a supervisor restarts when one faults (Erlang/OTP's restart strategies). */
public enum RestartPolicy {
    /** Only the child that faulted. */
    ONE_FOR_ONE,
    /** Every child, in the order they were given: for children that depend on each other. */
    ONE_FOR_ALL
}
