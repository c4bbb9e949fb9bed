package io.capipc.cap;

/** The types of kernel object a capability can name (SPEC section 1). */
public enum ObjectType {
    /** A synchronous rendezvous point. */
    ENDPOINT,
    /** A signal word with waiters. */
    NOTIFICATION
}
