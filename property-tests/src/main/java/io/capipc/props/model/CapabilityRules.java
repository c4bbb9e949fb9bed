package io.capipc.props.model;

import io.capipc.api.Status;
import io.capipc.props.model.Model.Cap;
import io.capipc.props.model.Model.Kind;
import io.capipc.props.model.Model.Queue;
import io.capipc.props.model.Model.Ref;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * docs/semantics.md §2's transitions over a {@link Step}: Copy, Mint, Move, Mutate, Delete, Revoke,
 * CancelBadgedSends, the release of senders queued through a deleted capability, and destruction;
 * and section 3's capability transfer. A reply capability cannot be copied, minted, moved or mutated
 * (INVALID_CAPABILITY, as an empty slot); deleting one drops its context ({@link ContextRules}). A
 * badge an endpoint cannot count any more is NO_SPACE ({@link NoticeRules#countable}).
 */
final class CapabilityRules {
    private final Step step;

    CapabilityRules(Step step) {
        this.step = step;
    }

    Status derive(int t, int src, int dst, int rights, long badge, boolean mint) {
        if (!step.inRange(src) || !step.inRange(dst) || (rights & ~7) != 0) {
            return Status.INVALID_ARGUMENT;
        }
        Cap from = step.caps.get(new Ref(step.shape.space(t), src));
        if (from == null || from.object() == step.shape.replyObject()) {
            return Status.INVALID_CAPABILITY;
        }
        if (step.caps.containsKey(new Ref(step.shape.space(t), dst))) {
            return Status.SLOT_OCCUPIED;
        }
        if (mint && badge != 0 && from.badge() != 0) {
            return Status.INVALID_ARGUMENT;
        }
        if (mint && badge != 0 && !step.system.countable(from.object(), badge)) {
            return Status.NO_SPACE;
        }
        long newBadge = mint && badge != 0 ? badge : from.badge();
        step.caps.put(new Ref(step.shape.space(t), dst), new Cap(from.object(), rights & from.rights(), newBadge, new Ref(step.shape.space(t), src)));
        step.placeChild(new Ref(step.shape.space(t), dst));
        return Status.OK;
    }

    Status delete(int t, int slot) {
        if (!step.inRange(slot)) {
            return Status.INVALID_ARGUMENT;
        }
        remove(new Ref(step.shape.space(t), slot));
        return Status.OK;
    }

    /**
     * Empties {@code gone}: senders still queued through it are released with REVOKED; its children
     * move up to its parent; if no capability names the object any more, it is destroyed and every
     * task queued on it is released with REVOKED (docs/semantics.md §2, stronger than seL4).
     */
    void remove(Ref gone) {
        Cap cap = step.caps.get(gone);
        if (cap == null) {
            return;
        }
        if (step.budgets.isUntyped(cap.object())) {
            revokeUnder(gone); // nothing made through an untyped capability outlives it (docs/semantics.md §13)
        }
        if (cap.object() == step.shape.replyObject()) {
            step.contexts.deleted(gone);
            return;
        }
        if (cap.object() < step.shape.endpoints()) {
            for (int q : List.copyOf(step.eps.get(cap.object()).waiting())) {
                if (gone.equals(step.via.get(q))) {
                    release(cap.object(), q);
                }
            }
            step.system.losing(gone, cap);
        }
        step.caps.remove(gone);
        step.born.remove(gone);
        // Its children go to its parent, in front of the parent's own, keeping their order.
        List<Ref> orphans = childrenInOrder(gone);
        for (int i = orphans.size() - 1; i >= 0; i--) {
            Cap c = step.caps.get(orphans.get(i));
            step.caps.put(orphans.get(i), new Cap(c.object(), c.rights(), c.badge(), cap.parent()));
            step.placeChild(orphans.get(i));
        }
        boolean named = step.caps.values().stream().anyMatch(c -> c.object() == cap.object());
        if (!named && cap.object() < step.shape.endpoints()) {
            for (int q : List.copyOf(step.eps.get(cap.object()).waiting())) {
                release(cap.object(), q);
            }
            step.system.dropAll(cap.object());
        } else if (!named && cap.object() == step.shape.notification()) {
            List<Integer> waiting = step.ntfn.waiters();
            step.ntfn = new Model.Ntfn(step.ntfn.word(), step.ntfn.pending(), List.of(), -1);
            for (int q : waiting) {
                step.wake(q, Status.REVOKED);
            }
        }
    }

    /** Takes {@code t} out of endpoint {@code ep}'s queue; its syscall ends with REVOKED. */
    void release(int ep, int t) {
        Queue q = step.eps.get(ep);
        List<Integer> rest = new ArrayList<>(q.waiting());
        rest.remove(Integer.valueOf(t));
        step.eps.set(ep, rest.isEmpty() ? Queue.IDLE : new Queue(q.kind(), List.copyOf(rest)));
        step.via.remove(t);
        step.wake(t, Status.REVOKED);
    }

    /**
     * Revoke: every descendant of the slot goes, in every space; the capability stays. Leaves first:
     * again and again, the leaf reached from the slot by following each capability's front child.
     */
    Status revoke(int t, int slot) {
        if (!step.inRange(slot)) {
            return Status.INVALID_ARGUMENT;
        }
        revokeUnder(new Ref(step.shape.space(t), slot));
        return Status.OK;
    }

    /** Deletes every descendant of {@code root}, deepest first, front child first (docs/semantics.md §2's order). */
    void revokeUnder(Ref root) {
        while (true) {
            Ref leaf = root;
            for (List<Ref> kids = childrenInOrder(leaf); !kids.isEmpty(); kids = childrenInOrder(leaf)) {
                leaf = kids.get(0);
            }
            if (leaf.equals(root)) {
                return;
            }
            remove(leaf);
        }
    }

    /** The children of {@code parent}, front first (see {@link Model#born()}). */
    List<Ref> childrenInOrder(Ref parent) {
        return step.caps.entrySet().stream().filter(e -> parent.equals(e.getValue().parent())).map(Map.Entry::getKey)
                .sorted(java.util.Comparator.comparingLong((Ref r) -> step.born.get(r)).reversed()).toList();
    }

    /**
     * Move ({@code mutate} false: {@code rights} and {@code badge} unused) and Mutate: the capability
     * changes slot; children and queued senders follow. (A Mutate's rights are an argument like any
     * other: a negative mask has unknown bits. Telling Move apart by a rights of -1 was the sequence
     * fuzzer's first model finding.)
     */
    Status move(int t, int src, int dst, boolean mutate, int rights, long badge) {
        if (!step.inRange(src) || !step.inRange(dst) || (mutate && (rights & ~7) != 0)) {
            return Status.INVALID_ARGUMENT;
        }
        Ref from = new Ref(step.shape.space(t), src);
        Ref to = new Ref(step.shape.space(t), dst);
        Cap cap = step.caps.get(from);
        if (cap == null || cap.object() == step.shape.replyObject()) {
            return Status.INVALID_CAPABILITY;
        }
        if (step.caps.containsKey(to)) {
            return Status.SLOT_OCCUPIED;
        }
        if (mutate && badge != 0 && cap.badge() != 0) {
            return Status.INVALID_ARGUMENT;
        }
        if (mutate && badge != 0 && !step.system.countable(cap.object(), badge)) {
            return Status.NO_SPACE;
        }
        boolean hasChildren = step.caps.values().stream().anyMatch(c -> from.equals(c.parent()));
        if (mutate && hasChildren && ((cap.rights() & ~rights) != 0 || badge != 0)) {
            return Status.INVALID_ARGUMENT;
        }
        step.caps.remove(from);
        Long place = step.born.remove(from);
        if (place != null) {
            step.born.put(to, place);
        }
        step.caps.put(to, new Cap(cap.object(), mutate ? rights & cap.rights() : cap.rights(),
                mutate && badge != 0 ? badge : cap.badge(), cap.parent()));
        for (Map.Entry<Ref, Cap> e : List.copyOf(step.caps.entrySet())) {
            Cap c = e.getValue();
            if (from.equals(c.parent())) {
                step.caps.put(e.getKey(), new Cap(c.object(), c.rights(), c.badge(), to));
            }
        }
        step.via.replaceAll((task, r) -> r.equals(from) ? to : r);
        return Status.OK;
    }

    /** CancelBadgedSends: needs an endpoint capability with all rights and a badge. */
    Status cancelBadgedSends(int t, int slot) {
        if (!step.inRange(slot)) {
            return Status.INVALID_ARGUMENT;
        }
        Cap cap = step.caps.get(new Ref(step.shape.space(t), slot));
        if (cap == null || cap.object() >= step.shape.endpoints()) {
            return Status.INVALID_CAPABILITY;
        }
        if (cap.rights() != 7) {
            return Status.INSUFFICIENT_RIGHTS;
        }
        if (cap.badge() == 0) {
            return Status.INVALID_ARGUMENT;
        }
        Queue q = step.eps.get(cap.object());
        if (q.kind() == Kind.SENDERS) {
            for (int s : List.copyOf(q.waiting())) {
                if (step.tasks.get(s).sendBadge() == cap.badge()) {
                    release(cap.object(), s);
                }
            }
        }
        return Status.OK;
    }

    /**
     * docs/semantics.md §3: the sender's capabilities, in the slots read when it sent, in order: one naming the endpoint the
     * message arrives on is unwrapped to its badge; any other is placed, as a child, in the
     * receiver's next receive slot; the first one gone or without a usable slot stops the transfer.
     */
    int transfer(int from, int to, int n, int through) {
        Model.Xfer out = step.xfer.get(from);
        Model.Xfer in = step.xfer.get(to);
        int unwrapped = 0;
        List<Long> badges = new ArrayList<>(List.of(0L, 0L, 0L, 0L));
        int arrived = 0;
        int next = 0;
        for (int i = 0; i < n; i++) {
            Ref src = new Ref(step.shape.space(from), out.sentCaps().get(i));
            Cap cap = step.caps.get(src);
            if (cap == null || cap.object() == step.shape.replyObject()) {
                break;
            }
            if (through >= 0 && cap.object() == through) {
                unwrapped |= 1 << i;
                badges.set(i, cap.badge());
                arrived++;
                continue;
            }
            int slot = next < 4 ? in.receiveSlots().get(next) : -1;
            Ref dst = new Ref(step.shape.space(to), slot);
            if (!step.inRange(slot) || step.caps.containsKey(dst)) {
                break;
            }
            step.caps.put(dst, new Cap(cap.object(), cap.rights(), cap.badge(), src));
            step.placeChild(dst);
            next++;
            arrived++;
        }
        step.xfer.set(to, step.xfer.get(to).withUnwrapped(unwrapped, List.copyOf(badges)));
        return arrived;
    }
}
