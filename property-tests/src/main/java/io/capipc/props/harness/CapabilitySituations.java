package io.capipc.props.harness;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.props.model.Model;
import io.capipc.props.model.Model.Ref;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link Coverage} counters for the guarantees about capabilities and the objects they name: what a
 * Revoke or Delete meets (guarantee 3), how authority is derived (2), which objects are destroyed with
 * whom waiting on them and how blocked tasks get out (12), and the hostile thread's rewrites
 * (docs/semantics.md §7, read once). Each reads the model before and after the step, so a situation
 * is named in the model's terms, whatever the kernel did.
 */
public final class CapabilitySituations {
    private CapabilitySituations() {}

    /**
     * Guarantee 3: the depth of the tree a Revoke or Delete cuts, whether it spans Spaces, queued
     * senders sending through what goes, and capabilities named by queued messages (in flight) that
     * go, or whose ancestor goes.
     */
    public static Supplier<Coverage.Counter> revocation() {
        return () -> (s, cov) -> {
            Model m = s.before();
            Action a = s.action();
            if (s.modelStatus() != Status.OK || !(a instanceof Action.Revoke || a instanceof Action.Delete || a instanceof Action.Move)) {
                return;
            }
            String op = Situations.syscall(a);
            int slot = switch (a) {
                case Action.Revoke r -> r.slot();
                case Action.Delete d -> d.slot();
                case Action.Move v -> v.src();
                default -> -1;
            };
            Ref root = new Ref(m.shape().space(a.task()), slot);
            if (!m.caps().containsKey(root)) {
                return;
            }
            Map<Ref, List<Ref>> children = Situations.children(m);
            Set<Ref> below = Situations.descendants(children, root);
            int height = Situations.height(children, root);
            boolean across = below.stream().anyMatch(r -> r.space() != root.space());
            for (int h = 1; h <= Math.min(height, 4); h++) {
                cov.reached(op + ": descendants " + h + (h == 4 ? "+" : "") + " levels deep");
            }
            if (across) {
                cov.reached(op + ": a descendant in another Space");
            }
            if (height >= 4 && across) {
                cov.reached(op + ": descendants 4+ levels deep, across Spaces");
            }
            Set<Ref> via = Situations.sentThrough(m);
            Set<Ref> flying = Situations.inFlight(m);
            if (via.contains(root)) {
                cov.reached(op + ": the slot a queued sender sent through");
            }
            if (below.stream().anyMatch(via::contains)) {
                cov.reached(op + ": a descendant a queued sender sent through");
            }
            if (flying.contains(root)) {
                cov.reached(op + ": a capability a queued message names");
            }
            if (below.stream().anyMatch(flying::contains)) {
                cov.reached(op + ": an ancestor of a capability a queued message names");
            }
            Set<Ref> grand = below.stream().filter(r -> !root.equals(m.caps().get(r).parent())).collect(java.util.stream.Collectors.toSet());
            if (grand.stream().anyMatch(flying::contains)) {
                cov.reached(op + ": a capability a queued message names, 2+ levels below");
            }
        };
    }

    /**
     * Guarantee 2: the derivations that could widen authority if done wrong, and the refusals that
     * keep it from widening.
     */
    /** The distinct non-zero badges of the capabilities naming endpoint {@code ep} (an endpoint's live badge table). */
    private static java.util.Set<Long> liveBadges(Model m, int ep) {
        java.util.Set<Long> live = new java.util.HashSet<>();
        for (Model.Cap c : m.caps().values()) {
            if (c.object() == ep && c.badge() != 0) {
                live.add(c.badge());
            }
        }
        return live;
    }

    public static Supplier<Coverage.Counter> authority() {
        return () -> (s, cov) -> {
            Model m = s.before();
            Action a = s.action();
            int space = a instanceof Action.Driver ? -1 : m.shape().space(a.task());
            switch (a) {
                case Action.Copy c when s.modelStatus() == Status.OK -> {
                    if ((m.caps().get(new Ref(space, c.src())).rights() & ~c.rights()) != 0) {
                        cov.reached("Copy narrowing rights");
                    }
                }
                case Action.Mint c when s.modelStatus() == Status.OK -> {
                    Model.Cap from = m.caps().get(new Ref(space, c.src()));
                    cov.reached(c.badge() != 0 ? "Mint setting a badge" : from.badge() != 0 ? "Mint keeping a badge" : "Mint without a badge");
                    java.util.Set<Long> live = liveBadges(m, from.object());
                    if (c.badge() != 0 && !live.contains(c.badge()) && live.size() >= 4) {
                        cov.reached("a new badge minted while 4 or more others live on its endpoint");
                    }
                }
                case Action.Delete d when s.modelStatus() == Status.OK && m.caps().containsKey(new Ref(space, d.slot())) -> {
                    Model.Cap gone = m.caps().get(new Ref(space, d.slot()));
                    if (gone.badge() != 0 && gone.object() < m.shape().endpoints() && liveBadges(s.after(), gone.object()).size() >= 3
                            && !liveBadges(s.after(), gone.object()).contains(gone.badge())) {
                        cov.reached("a badge's last capability deleted while 3 or more others live on its endpoint");
                    }
                }
                case Action.Mutate c when s.modelStatus() == Status.OK -> {
                    Model.Cap from = m.caps().get(new Ref(space, c.src()));
                    if ((from.rights() & ~c.rights()) != 0) {
                        cov.reached("Mutate narrowing rights");
                    }
                    if (c.badge() != 0) {
                        cov.reached("Mutate setting a badge");
                    }
                }
                case Action.Move c when s.modelStatus() == Status.OK -> {
                    if (m.caps().values().stream().anyMatch(x -> new Ref(space, c.src()).equals(x.parent()))) {
                        cov.reached("Move of a capability with children");
                    }
                }
                default -> { }
            }
            if (s.kernelStatus() == Status.INVALID_ARGUMENT && (a instanceof Action.Mint || a instanceof Action.Mutate)) {
                io.capipc.api.Reason r = s.world().ipc(a.task()).reason();
                if (r == io.capipc.api.Reason.BADGE_ALREADY_SET) {
                    cov.reached(Situations.syscall(a) + " of a badged capability refused");
                } else if (r == io.capipc.api.Reason.MUTATE_WITH_CHILDREN) {
                    cov.reached("Mutate narrowing a capability with children refused");
                }
            }
            for (Map.Entry<Ref, Model.Cap> e : s.after().caps().entrySet()) {
                Model.Cap c = e.getValue();
                if (!m.caps().containsKey(e.getKey()) && c.parent() != null && c.parent().space() != e.getKey().space()
                        && c.parent().space() >= 0 && e.getKey().space() >= 0) {
                    cov.reached("a capability derived into another Space (transfer)");
                    if ((c.rights() & Model.GRANT) == 0) {
                        cov.reached("a capability without GRANT transferred");
                    }
                }
            }
        };
    }

    /**
     * Guarantee 12: every object destroyed with tasks waiting on it, by the kind of wait; callers
     * whose context goes; the deadlocks reported; and (docs/semantics.md §6) every way a blocked
     * syscall ends early.
     */
    public static Supplier<Coverage.Counter> destruction() {
        return () -> {
            Situations.History history = new Situations.History();
            return (s, cov) -> {
                Model m = s.before();
                Model after = s.after();
                for (int o = 0; o < m.shape().endpoints(); o++) {
                    if (Situations.exists(m, o) && !Situations.exists(after, o)) {
                        endpointDestroyed(m, o, history, cov);
                    }
                }
                int n = m.shape().notification();
                if (Situations.exists(m, n) && !Situations.exists(after, n)) {
                    cov.reached("notification destroyed");
                    if (!m.ntfn().waiters().isEmpty()) {
                        cov.reached("notification destroyed with a waiter");
                    }
                    int bound = m.ntfn().bound();
                    if (bound >= 0) {
                        cov.reached("notification destroyed with a task bound to it");
                        if (m.task(bound).state() == Model.State.BLOCKED_ON_RECEIVE) {
                            cov.reached("notification destroyed while its bound task waits in Recv");
                        }
                    }
                }
                callersLosingTheirServer(s, cov);
                for (World.Resumed r : s.resumed()) {
                    Model.MTask was = m.task(r.task());
                    switch (r.status()) {
                        case TIMEOUT -> cov.reached("timed out on a clock advance");
                        case INTERRUPTED -> cov.reached("interrupted while blocked");
                        case REVOKED -> cov.reached(was.state() == Model.State.BLOCKED_ON_SEND ? "a queued sender released with REVOKED"
                                : "a waiter released with REVOKED");
                        default -> { }
                    }
                }
                Action a = s.action();
                if (!(a instanceof Action.Driver) && s.kernelStatus() == Status.TIMEOUT) {
                    cov.reached("timed out at once");
                } else if (s.kernelStatus() == Status.CANCELLED) {
                    cov.reached("read a cancelled context");
                }
                if (a instanceof Action.Kill k) {
                    Model.MTask was = m.task(k.task());
                    if (was.state() != Model.State.RUNNING && was.state() != Model.State.DEAD) {
                        cov.reached("killed while blocked");
                    }
                    if (was.holds() >= 0) {
                        cov.reached("killed holding a context");
                    }
                }
                java.util.SortedSet<Integer> dead = after.deadlocked();
                if (!dead.isEmpty()) {
                    cov.reached("a deadlock reported");
                    if (dead.stream().anyMatch(t -> after.suspendedIn(t) >= 0)) {
                        cov.reached("a deadlock of a caller whose context is suspended");
                    }
                    if (dead.stream().anyMatch(t -> after.task(t).state() == Model.State.BLOCKED_ON_NOTIFICATION)) {
                        cov.reached("a deadlock of a notification waiter");
                    }
                    if (dead.stream().anyMatch(t -> after.task(t).state() == Model.State.BLOCKED_ON_REPLY && after.suspendedIn(t) < 0)) {
                        cov.reached("a deadlock of a caller whose server holds its context");
                    }
                }
                history.after(s);
            };
        };
    }

    private static void endpointDestroyed(Model m, int o, Situations.History history, Coverage cov) {
        cov.reached("endpoint destroyed");
        for (int t : m.endpoints().get(o).waiting()) {
            Model.MTask task = m.task(t);
            if (task.state() == Model.State.BLOCKED_ON_SEND) {
                cov.reached(task.isCall() ? "endpoint destroyed with a Call queued" : "endpoint destroyed with a Send queued");
            } else {
                cov.reached(history.blockedIn(t) instanceof Action.ReplyWait ? "endpoint destroyed with a ReplyWait waiting"
                        : "endpoint destroyed with a Recv waiting");
                if (m.ntfn().bound() == t) {
                    cov.reached("endpoint destroyed with a receiver bound to a notification");
                }
            }
        }
        if (!m.notices().get(o).isEmpty()) {
            cov.reached("endpoint destroyed with system messages queued");
        }
        for (int t = 0; t < m.tasks().size(); t++) {
            Model.MTask task = m.task(t);
            if (task.state() == Model.State.BLOCKED_ON_REPLY && task.call() != null && task.call().on() == o) {
                cov.reached("endpoint destroyed while a Call received through it awaits its reply");
            }
        }
    }

    /** Callers whose context goes while they wait: its reply capability deleted, its holder dead, its Space's last task dead. */
    private static void callersLosingTheirServer(Check.StepRecord s, Coverage cov) {
        Model m = s.before();
        Action a = s.action();
        if (a instanceof Action.Delete d && s.modelStatus() == Status.OK) {
            Model.Entry e = m.entryAt(m.shape().space(d.task()), d.slot());
            if (e != null && e.caller() >= 0) {
                cov.reached("a reply capability deleted while its caller waits");
            }
        }
        boolean dies = a instanceof Action.Exit || a instanceof Action.Fault || a instanceof Action.Kill;
        if (dies && m.task(a.task()).state() != Model.State.DEAD) {
            if (m.task(a.task()).holds() >= 0) {
                cov.reached("the holder of a context died while its caller waits");
            }
            int space = m.shape().space(a.task());
            boolean last = true;
            for (int u = 0; u < m.tasks().size(); u++) {
                last &= u == a.task() || m.shape().space(u) != space || m.task(u).state() == Model.State.DEAD;
            }
            if (last && m.entries().stream().anyMatch(e -> e.space() == space && e.slot() >= 0 && e.caller() >= 0)) {
                cov.reached("a Space's last task died with callers suspended there");
            }
        }
    }

    /**
     * docs/semantics.md §7, read once: a hostile thread rewrites the IPC buffer of a task whose pending
     * syscall will still read it, and messages with capabilities are delivered after such a rewrite.
     */
    public static Supplier<Coverage.Counter> readOnce() {
        return () -> {
            Set<Integer> rewritten = new java.util.HashSet<>();
            return (s, cov) -> {
                Model m = s.before();
                if (s.action() instanceof Action.Tamper t) {
                    Model.MTask task = m.task(t.task());
                    switch (task.state()) {
                        case BLOCKED_ON_SEND -> cov.reached(MessageInfo.caps(task.sendInfo()) > 0
                                ? "rewritten: a queued sender with capabilities" : "rewritten: a queued sender");
                        case BLOCKED_ON_RECEIVE -> cov.reached("rewritten: a waiting receiver");
                        case BLOCKED_ON_REPLY -> cov.reached("rewritten: a caller awaiting its reply");
                        case BLOCKED_ON_NOTIFICATION, RUNNING, DEAD -> { }
                    }
                    rewritten.add(t.task());
                }
                for (int t = 0; t < m.tasks().size(); t++) {
                    Model.MTask was = m.task(t);
                    Model.MTask now = s.after().task(t);
                    if (!rewritten.contains(t)) {
                        continue;
                    }
                    boolean sent = was.state() == Model.State.BLOCKED_ON_SEND && MessageInfo.caps(was.sendInfo()) > 0
                            && (now.state() == Model.State.BLOCKED_ON_REPLY || (now.state() == Model.State.RUNNING && now.status() == Status.OK));
                    if (sent) {
                        cov.reached("a message with capabilities delivered after its queued sender was rewritten");
                    }
                    boolean received = (was.state() == Model.State.BLOCKED_ON_RECEIVE || was.state() == Model.State.BLOCKED_ON_REPLY)
                            && now.state() == Model.State.RUNNING && now.status() == Status.OK && MessageInfo.caps(now.info()) > 0;
                    if (received) {
                        cov.reached(was.state() == Model.State.BLOCKED_ON_REPLY ? "capabilities arrived at a caller rewritten while it awaited its reply"
                                : "capabilities arrived at a receiver rewritten while it waited");
                    }
                    if (now.state() == Model.State.RUNNING || now.state() == Model.State.DEAD) {
                        rewritten.remove(t);
                    }
                }
            };
        };
    }
}
