package io.capipc.kernel.object;

import org.jspecify.annotations.Nullable;

import io.capipc.api.ObjectSizes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An endpoint's {@link BadgeRecord}s (docs/semantics.md §6, BADGE_DISCONNECTED): which record counts
 * each live badge, which records are free, and how many more may be made.
 *
 * <p>Records are made, never thrown away: a record whose count fell to zero is free again once its
 * notice is no longer queued (received, dropped, or never posted), and the next new badge reuses it.
 * An endpoint starts with {@code preallocated} records; a new badge finding none free makes one more
 * (a Mint or Mutate, which guarantee 11 does not cover), up to {@code limit}. So records never
 * outnumber the most distinct badges the endpoint ever had at once, live or waiting to be reported.
 *
 * <p>An endpoint made by Retype charges each record beyond its preallocated ones to the untyped it
 * was made from ({@link ObjectSizes#BADGE_RECORD}); with too little left, the new badge is refused
 * (NO_SPACE), as an endpoint at its limit refuses it. The charge comes back with the endpoint.
 *
 * <p>Live records are found by badge in an open-addressing table (linear probing, deletion by
 * backward shift): counting and uncounting a live badge, which transfers and deletes do on
 * guarantee 11's paths, allocate nothing. Only the insertion of a new badge may grow the table.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock.
 */
final class BadgeTable {
    /**
     * The records a boot endpoint made with {@code createEndpoint()} may have: 65 536 distinct badges
     * live or waiting to be reported at once. A bound, because a record waits for its
     * BADGE_DISCONNECTED to be received before it is free again: without one, a holder of an unbadged
     * capability could grow the kernel's memory by minting and deleting new badges on an endpoint
     * nobody drains (a Retyped endpoint is bounded by its untyped's budget instead).
     */
    static final int BOOT_LIMIT = 1 << 16;

    private final int limit;
    private final int preallocated;
    private final List<BadgeRecord> records;
    private @Nullable BadgeRecord free;
    private BadgeRecord[] live;
    private int liveCount;
    private @Nullable Untyped chargedTo;
    private @Nullable Endpoint chargedFor;

    BadgeTable(int limit, int preallocated) {
        this.limit = limit;
        this.preallocated = preallocated;
        this.records = new ArrayList<>(preallocated);
        this.live = new BadgeRecord[tableSize(preallocated)];
        for (int i = 0; i < preallocated; i++) {
            release(make());
        }
    }

    /** Retype made {@code ep} from {@code u}: records beyond the preallocated ones are charged to {@code u}. */
    void chargeTo(Untyped u, Endpoint ep) {
        chargedTo = u;
        chargedFor = ep;
    }

    /** The live record counting {@code badge}, or null. */
    @Nullable BadgeRecord live(long badge) {
        BadgeRecord[] t = live;
        int mask = t.length - 1;
        for (int i = hash(badge) & mask; ; i = (i + 1) & mask) {
            BadgeRecord r = t[i];
            if (r == null || r.badge() == badge) {
                return r;
            }
        }
    }

    /** True if a capability with non-zero {@code badge} can be counted now: live, a record free, or one more may be made. */
    boolean canCount(long badge) {
        if (live(badge) != null || free != null) {
            return true;
        }
        if (records.size() >= limit) {
            return false;
        }
        Untyped u = chargedTo;
        return u == null || u.isDestroyed() || u.left() >= ObjectSizes.BADGE_RECORD;
    }

    /** One more capability with non-zero {@code badge}; the caller checked {@link #canCount}. */
    void count(long badge) {
        BadgeRecord r = live(badge);
        if (r == null) {
            r = take();
            r.count(badge);
            insert(r);
        } else {
            r.count(badge);
        }
    }

    /** One capability with non-zero {@code badge} fewer; its record if that was the last (then no longer live), else null. */
    @Nullable BadgeRecord uncount(long badge) {
        BadgeRecord r = live(badge);
        if (r == null) {
            throw new AssertionError("no record counts badge " + badge);
        }
        if (!r.uncount()) {
            return null;
        }
        delete(r);
        return r;
    }

    /** {@code r} counts nothing and its notice is not queued: it is free for the next new badge. */
    void release(BadgeRecord r) {
        if (r.isFree() && !r.onFreeList) {
            r.onFreeList = true;
            r.nextFree = free;
            free = r;
        }
    }

    /** Every record, free or not; for views and invariants. */
    List<BadgeRecord> records() {
        return Collections.unmodifiableList(records);
    }

    private BadgeRecord take() {
        BadgeRecord r = free;
        if (r == null) {
            r = make();
            Untyped u = chargedTo;
            if (u != null && !u.isDestroyed() && records.size() > preallocated) {
                u.chargeMore(chargedFor, ObjectSizes.BADGE_RECORD);
            }
            return r;
        }
        free = r.nextFree;
        r.nextFree = null;
        r.onFreeList = false;
        return r;
    }

    private BadgeRecord make() {
        BadgeRecord r = new BadgeRecord(this);
        records.add(r);
        return r;
    }

    private void insert(BadgeRecord r) {
        if (2 * (liveCount + 1) > live.length) {
            BadgeRecord[] old = live;
            live = new BadgeRecord[old.length * 2];
            for (BadgeRecord o : old) {
                if (o != null) {
                    place(o);
                }
            }
        }
        place(r);
        liveCount++;
    }

    private void place(BadgeRecord r) {
        int mask = live.length - 1;
        int i = hash(r.badge()) & mask;
        while (live[i] != null) {
            i = (i + 1) & mask;
        }
        live[i] = r;
    }

    /** Takes {@code r} out of the live table, shifting back the entries probed past it. */
    private void delete(BadgeRecord r) {
        BadgeRecord[] t = live;
        int mask = t.length - 1;
        int hole = hash(r.badge()) & mask;
        while (t[hole] != r) {
            hole = (hole + 1) & mask;
        }
        t[hole] = null;
        liveCount--;
        for (int i = (hole + 1) & mask; t[i] != null; i = (i + 1) & mask) {
            int home = hash(t[i].badge()) & mask;
            // t[i] may fill the hole unless its home lies cyclically in (hole, i].
            boolean stays = hole <= i ? hole < home && home <= i : hole < home || home <= i;
            if (!stays) {
                t[hole] = t[i];
                t[i] = null;
                hole = i;
            }
        }
    }

    private static int tableSize(int records) {
        int n = 8;
        while (n < 2 * records) {
            n *= 2;
        }
        return n;
    }

    private static int hash(long badge) {
        long h = badge * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
