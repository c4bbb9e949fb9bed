package io.capipc.kernel.syscall;

import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.object.Endpoint;

/**
 * The kernel's lock (docs/semantics.md §10), in two kinds: the kernel-wide one every transition may
 * take (the dispatch's monitor, with {@link #exclude} as the first step inside it), and an
 * endpoint's own, which a Call or a ReplyWait takes instead in its common case ({@link #enterFast};
 * see {@link MessageSyscalls#fastCallable}). An endpoint's lock word
 * sits on its queue's line, which the transition writes anyway, so the common round trip moves no
 * line of the kernel's own (docs/benchmarks.md, "The line budget").
 *
 * <p>The two kinds never overlap. The outermost kernel-wide section raises the exclusive flag, then
 * waits until no hot endpoint's lock is held; a fast path takes its endpoint's lock by
 * compare-and-set, then reads the flag, and backs out, having changed nothing, if it is up. Each
 * side writes its own word, then reads the other's, all sequentially consistent (Dekker's
 * handshake), so at least one sees the other. Fast paths on different endpoints change disjoint
 * state ({@link MessageSyscalls#fastCallable} says why), so they need nothing in common.
 *
 * <p>Only a hot endpoint takes fast paths: at most {@value #HOT}, made hot by a kernel-wide section
 * of a Call or ReplyWait on it ({@link #heat}), the oldest cooled when a new one needs its place, so
 * a section waits on a bounded number of words however many endpoints there are. A destroyed
 * endpoint stays in the set until it is cooled; nothing names it any more, so its lock is not taken.
 *
 * <p>The deterministic driver runs the same code on one thread, where a fast path finds its lock
 * free and the flag down, and takes it whenever the threaded runtime would.
 */
public final class KernelLock implements AutoCloseable {
    /** How many endpoints may take fast paths at once. */
    static final int HOT = 16;
    /** Spins on a held word before each wait yields the processor. */
    private static final int SPINS = 128;

    private final ExclusiveFlag flag = new ExclusiveFlag();
    private final Endpoint[] hot = new Endpoint[HOT];
    private final Wakeups wakeups;
    private final boolean ignoresFlag;
    private int hotCount;
    private int oldest;
    /** Kernel-wide sections entered and not yet closed: they nest, on the thread that holds the lock. */
    private int depth;

    KernelLock(Wakeups wakeups, InjectedBugs bugs) {
        this.wakeups = wakeups;
        this.ignoresFlag = bugs.on(InjectedBug.FAST_PATH_IGNORES_LOCK);
    }

    /**
     * First inside the monitor, for try-with-resources ({@code synchronized (dispatch) { try (var _ =
     * lock.exclude()) {...} }}): the outermost section raises the flag and waits for every hot
     * endpoint's lock to be let go. The monitor alone would not keep fast paths out.
     */
    public KernelLock exclude() {
        if (depth++ == 0) {
            flag.raise();
            for (int i = 0; i < hotCount; i++) {
                awaitUnlocked(hot[i]);
            }
        }
        return this;
    }

    /**
     * Ends a section, still inside the monitor; the outermost gives a wake a transition that threw
     * left held, then lets fast paths in.
     */
    @Override
    public void close() {
        if (--depth == 0) {
            try {
                wakeups.release();
            } finally {
                flag.lower();
            }
        }
    }

    /**
     * Inside a section of a Call or ReplyWait on {@code ep}: it may take fast paths from now on.
     * Marked before its lock is waited for, so a fast path that took the lock before this section
     * raised the flag, and read the mark after it was set, is waited for as well.
     */
    public void heat(Endpoint ep) {
        if (ep.isHot()) {
            return;
        }
        if (hotCount < HOT) {
            hot[hotCount++] = ep;
        } else {
            hot[oldest].hot(false);
            hot[oldest] = ep;
            oldest = (oldest + 1) % HOT;
        }
        ep.hot(true);
        awaitUnlocked(ep);
    }

    /**
     * A fast path on {@code ep}: true, holding its lock, if {@code ep} is hot and no kernel-wide
     * section runs or waits; else false, holding nothing. Spins a little while another fast path
     * holds it, then gives up: a contended endpoint takes the kernel-wide lock, whose waiters park
     * rather than spin (many tasks on few processors, where the holder may not be running). The lock
     * word is written first, and whether the endpoint is hot read after: the partner's core wrote this
     * line last, and a read before the compare-and-set would fetch it twice, shared, then owned. A
     * cold endpoint's lock is taken and let go at once (a section waits for it only in {@link #heat});
     * with more than {@value #HOT} endpoints busy, a Call to a cold one pays that compare-and-set.
     */
    public boolean enterFast(Endpoint ep) {
        int spins = 0;
        while (!ep.tryLockQueue()) {
            if (flag.isUp() || ++spins > SPINS) {
                return false;
            }
            Thread.onSpinWait();
        }
        if ((flag.isUp() && !ignoresFlag) || !ep.isHot()) {
            ep.unlockQueue();
            return false;
        }
        return true;
    }

    /** The fast path on {@code ep} ends. */
    public void exitFast(Endpoint ep) {
        ep.unlockQueue();
    }

    private static void awaitUnlocked(Endpoint ep) {
        int spins = 0;
        while (ep.queueLocked()) {
            spins = spin(spins);
        }
    }

    private static int spin(int spins) {
        if (spins < SPINS) {
            Thread.onSpinWait();
            return spins + 1;
        }
        Thread.yield();
        return 0;
    }
}
