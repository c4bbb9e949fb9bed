package io.capipc.props.runtimes;

/** What the test thread did between turns, after {@code at} traced events. */
record Fault(Kind kind, int target, int at) {
    /** ADVANCE's target is the nanoseconds the clock moved. */
    enum Kind { KILL, INTERRUPT, DELETE, REVOKE, ADVANCE }
}
