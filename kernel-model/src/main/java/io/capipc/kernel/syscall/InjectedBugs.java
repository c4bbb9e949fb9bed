package io.capipc.kernel.syscall;

/**
 * A set of {@link InjectedBug}s as a bit mask, so a check costs one load and one test and allocates
 * nothing. {@link #NONE} is what every real kernel has.
 */
public final class InjectedBugs {
    /** No fault: the kernel as specified. */
    public static final InjectedBugs NONE = new InjectedBugs(0);

    private final long bits;

    private InjectedBugs(long bits) {
        this.bits = bits;
    }

    /** A kernel with exactly these faults; for the injected-fault test only. */
    public static InjectedBugs of(InjectedBug... faults) {
        long bits = 0;
        for (InjectedBug f : faults) {
            bits |= 1L << f.ordinal();
        }
        return new InjectedBugs(bits);
    }

    /** True if {@code f} is injected. */
    public boolean has(InjectedBug f) {
        return (bits & (1L << f.ordinal())) != 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("InjectedBugs[");
        for (InjectedBug f : InjectedBug.values()) {
            if (has(f)) {
                sb.append(sb.length() > "InjectedBugs[".length() ? "," : "").append(f);
            }
        }
        return sb.append(']').toString();
    }
}
