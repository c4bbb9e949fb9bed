package io.capipc.system.name;

/**
 * What a client of the name server may do, carried in the badge of its capability to the server
 * (which the kernel makes unforgeable): the low {@value #BITS} bits are rights, the rest the client's
 * number. A badge is never 0 (0 is unbadged).
 */
public final class NameRights {
    /** May look names up and watch them. */
    public static final int LOOKUP = 1;
    /** May register and unregister names. */
    public static final int REGISTER = 2;
    /** How many low bits of a badge are rights. */
    public static final int BITS = 4;

    private NameRights() {}

    /** The badge of client {@code client} (1..2^40) with {@code rights}. */
    public static long badge(int client, int rights) {
        if (client < 1) {
            throw new IllegalArgumentException("a client number is 1 or more, was " + client);
        }
        if ((rights & ~(LOOKUP | REGISTER)) != 0) {
            throw new IllegalArgumentException("unknown rights bits in " + rights);
        }
        return ((long) client << BITS) | rights;
    }

    /** The client number a badge names. */
    public static int client(long badge) {
        return (int) (badge >>> BITS);
    }

    /** True if {@code badge} carries every right in {@code rights}. */
    public static boolean has(long badge, int rights) {
        return (badge & rights) == rights;
    }
}
