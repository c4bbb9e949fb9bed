package io.capipc.kernel.syscall;

/**
 * A set of {@link Fault}s as a bit mask, so a check costs one load and one test and allocates
 * nothing. {@link #NONE} is what every real kernel has.
 */
public final class Faults {
    /** No fault: the kernel as specified. */
    public static final Faults NONE = new Faults(0);

    private final long bits;

    private Faults(long bits) {
        this.bits = bits;
    }

    /** A kernel with exactly these faults; for the injected-fault test only. */
    public static Faults of(Fault... faults) {
        long bits = 0;
        for (Fault f : faults) {
            bits |= 1L << f.ordinal();
        }
        return new Faults(bits);
    }

    /** True if {@code f} is injected. */
    public boolean has(Fault f) {
        return (bits & (1L << f.ordinal())) != 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Faults[");
        for (Fault f : Fault.values()) {
            if (has(f)) {
                sb.append(sb.length() > 7 ? "," : "").append(f);
            }
        }
        return sb.append(']').toString();
    }
}
