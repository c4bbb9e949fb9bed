package io.capipc.api;

/**
 * What kind of message arrived (docs/semantics.md §3). seL4 receivers cannot tell these apart (seL4 issues
 * 1500 and 114); capipc says it in the info word.
 */
public enum Kind {
    /** Nothing has arrived yet, or the info word is one a task sends. */
    NONE,
    /** Sent by Send or NBSend: there is nobody to reply to. */
    SEND,
    /** Sent by Call: the receiver now holds the caller context. */
    CALL,
    /** A notification's word, delivered through Recv. */
    NOTIFICATION,
    /** The answer to this task's Call. */
    REPLY;

    private static final Kind[] BY_CODE = values();

    /** The kind with this three-bit code, NONE for codes no kind has; no allocation (values() clones). */
    static Kind ofCode(int code) {
        return code < BY_CODE.length ? BY_CODE[code] : NONE;
    }
}
