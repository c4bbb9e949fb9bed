package io.capipc.props.model;

import io.capipc.api.Handles;
import io.capipc.api.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference model: the kernel's abstract state as immutable values, and docs/semantics.md's transitions
 * written directly over them, obviously rather than fast. Nothing here is shared with kernel-model:
 * queues are lists of task numbers, the derivation tree is a map of slot to parent, the caller
 * context is a task number. Every step builds a new Model; the old one is never changed.
 *
 * @param tasks the tasks, by number
 * @param caps the full slots, by (space, slot)
 * @param endpoints each endpoint's queue
 * @param sendVia for each queued sender, the slot of the capability it sent through
 * @param xfer each task's capability-transfer state
 * @param ntfn the world's one notification
 * @param now the virtual clock, in nanoseconds: the sum of every Advance so far
 * @param deadlines each task's deadline on that clock while it is blocked with a finite timeout
 *                  ({@link #NEVER} otherwise): a Call's covers its queued and its reply phase, and
 *                  a forwarded Call keeps it
 * @param cancelled for each task, whether the caller of the context it held gave up (timed out,
 *                  was interrupted or killed after its Call was taken): docs/semantics.md §6's CANCELLED
 *                  context, until a Reply, ReplyWait, a Recv or an NBRecv taking a message drops it
 * @param entries the reply-pool entries in use, in every space (docs/semantics.md §5.2): holding a reply
 *                capability, or waiting for their CALLER_CANCELLED message to be received
 * @param gens each space's last generation: every Suspend in the space takes the next one
 * @param issued every handle a Suspend returned, in order: a generated action names a handle by its
 *               place here, so a shrunk run still means the same one
 * @param handles each task's IPC-buffer handle: what its last successful Suspend returned (0: none)
 * @param accepts each endpoint's mask of the system messages it receives (bit 1 << label)
 * @param notices each endpoint's queued system messages, oldest first
 * @param posted the system messages posted during the last step, in order (for checks: not state)
 * @param born each derived capability's place among its siblings: the larger, the nearer the front
 *             (a derived capability goes in front; children handed up by a Delete go in front, in
 *             their order). Revoke deletes in this order, and the order is observable: each deletion
 *             may post a system message (docs/semantics.md §2, the order of deletions)
 * @param births the last place given out
 * @param control task control's state (docs/semantics.md §13): restart counts and how each last run ended
 */
public record Model(Shape shape, List<MTask> tasks, Map<Ref, Cap> caps, List<Queue> endpoints, Map<Integer, Ref> sendVia,
                    List<Xfer> xfer, Ntfn ntfn, long now, List<Long> deadlines, List<Boolean> cancelled,
                    List<Entry> entries, List<Long> gens, List<Issued> issued, List<Long> handles, List<Integer> accepts,
                    List<List<Notice>> notices, List<Posted> posted, Map<Ref, Long> born, long births, Control control) {
    /** System message kinds, by label (docs/semantics.md §6). */
    public static final int CALLER_CANCELLED = 1;
    public static final int BADGE_DISCONNECTED = 2;
    public static final int TASK_FAULTED = 3;

    /**
     * A reply-pool entry in use. {@code slot} holds its reply capability (-1: consumed or deleted, kept
     * only while its CALLER_CANCELLED message is queued); {@code caller} is the task whose context it
     * holds (-1: none, or its caller has gone, so it answers CANCELLED); {@code grant} and {@code on}
     * are the context's: whether it was received through a capability with GRANT, and through which
     * endpoint.
     */
    public record Entry(int space, int slot, long gen, int caller, boolean grant, int on, int width) {
        /** The handle naming this entry ({@link Handles}: the slot width, the generation, the slot). */
        public long handle() {
            return Handles.of(width, gen, slot);
        }

        /** The entry with its context gone: its caller gave up, died, or the context moved on. */
        Entry withoutCaller() {
            return new Entry(space, slot, gen, -1, grant, on, width);
        }

        /** The entry with its capability gone, kept only while its CALLER_CANCELLED message is queued. */
        Entry withoutSlot() {
            return new Entry(space, -1, gen, -1, grant, on, width);
        }
    }

    /** A handle a successful Suspend returned to a task of {@code space}. */
    public record Issued(int space, long handle) {}

    /**
     * A system message: its kind (label), the badge concerned, MR0; for CALLER_CANCELLED the entry it
     * is about, as (space, generation), else -1, -1.
     */
    public record Notice(int kind, long badge, long word, int space, long gen) {}

    /** A system message posted to {@code endpoint}, queued or handed straight to a waiting receiver. */
    public record Posted(int endpoint, Notice notice) {}

    /**
     * MR0 of TASK_FAULTED names the task by the kernel's id, which the model does not know: the model
     * writes this stand-in for task {@code t}, and the abstraction function maps it to the id.
     */
    public static long taskWord(int t) {
        return -1000L - t;
    }

    /** The task a {@link #taskWord} names, or -1 if {@code word} is no such stand-in. */
    public static int taskOfWord(long word, int tasks) {
        long t = -1000L - word;
        return t >= 0 && t < tasks ? (int) t : -1;
    }
    /** No deadline: the blocked syscall waits for ever. */
    public static final long NEVER = Long.MAX_VALUE;

    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int GRANT = 4;

    public enum State { RUNNING, BLOCKED_ON_SEND, BLOCKED_ON_RECEIVE, BLOCKED_ON_REPLY, BLOCKED_ON_NOTIFICATION, DEAD }

    /** The notification: its word, pending flag, waiters (oldest first) and bound task (-1: none). */
    public record Ntfn(long word, boolean pending, List<Integer> waiters, int bound) {
        static final Ntfn INITIAL = new Ntfn(0, false, List.of(), -1);
    }

    public enum Kind { SENDERS, RECEIVERS, IDLE }

    /** A slot of a space (by space number: tasks may share a space). */
    public record Ref(int space, int slot) {}

    /** A capability: its object number, rights, badge, and the slot it was derived from (null: original). */
    public record Cap(int object, int rights, long badge, Ref parent) {}

    /** An endpoint's queue, oldest first. */
    public record Queue(Kind kind, List<Integer> waiting) {
        static final Queue IDLE = new Queue(Kind.IDLE, List.of());
    }

    /**
     * A task's capability-transfer state: the slots its IPC buffer names to send and to receive
     * into (what the task's code wrote, and may still change while it is blocked); the copies of
     * them read when it last sent and last received (docs/semantics.md §7, read once: a delivery uses only
     * these); what the last message it received unwrapped; whether it last received through a
     * capability with GRANT, and whether the context it holds came through one.
     */
    public record Xfer(List<Integer> caps, List<Integer> receive, List<Integer> sentCaps, List<Integer> receiveSlots,
                       int unwrapped, List<Long> capBadges, boolean receiveGrant, boolean contextGrant) {
        static final Xfer INITIAL = new Xfer(List.of(0, 0, 0, 0), List.of(-1, -1, -1, -1), List.of(0, 0, 0, 0),
                List.of(-1, -1, -1, -1), 0, List.of(0L, 0L, 0L, 0L), false, false);

        /** The task's code (or a hostile thread of its Space) names other slots in its IPC buffer. */
        Xfer withBuffer(List<Integer> caps, List<Integer> receive) {
            return new Xfer(caps, receive, sentCaps, receiveSlots, unwrapped, capBadges, receiveGrant, contextGrant);
        }

        /** A send naming {@code n} capabilities reads their slots out of the IPC buffer, once. */
        Xfer latchSend(int n) {
            List<Integer> sent = new java.util.ArrayList<>(sentCaps);
            for (int i = 0; i < Math.min(n, 4); i++) {
                sent.set(i, caps.get(i));
            }
            return new Xfer(caps, receive, List.copyOf(sent), receiveSlots, unwrapped, capBadges, receiveGrant, contextGrant);
        }

        /** A receiving syscall reads the receive slots out of the IPC buffer, once. */
        Xfer latchReceive() {
            return new Xfer(caps, receive, sentCaps, receive, unwrapped, capBadges, receiveGrant, contextGrant);
        }

        /** A message arrived, unwrapping the capabilities in the mask {@code unwrapped}, with these badges. */
        Xfer withUnwrapped(int unwrapped, List<Long> capBadges) {
            return new Xfer(caps, receive, sentCaps, receiveSlots, unwrapped, capBadges, receiveGrant, contextGrant);
        }

        /** A message arrived that unwrapped nothing (a notification, a system message). */
        Xfer nothingUnwrapped() {
            return withUnwrapped(0, List.of(0L, 0L, 0L, 0L));
        }

        Xfer withReceiveGrant(boolean grant) {
            return new Xfer(caps, receive, sentCaps, receiveSlots, unwrapped, capBadges, grant, contextGrant);
        }

        Xfer withContextGrant(boolean grant) {
            return new Xfer(caps, receive, sentCaps, receiveSlots, unwrapped, capBadges, receiveGrant, grant);
        }
    }

    /** The model's name for task {@code t}'s TCB slot, which holds its fault endpoint (a space of its own). */
    public static Ref tcb(int t) {
        return new Ref(-1 - t, 0);
    }

    /**
     * The task's own Call while it is outstanding: what the server may ask of it.
     *
     * @param send the bytes of its send buffer
     * @param recvSize the size of its receive buffer
     * @param on the endpoint a server received it through (after Forwards, the last), -1 while queued
     */
    public record CallCtx(long badge, int label, List<Byte> send, int recvSize, int on) {}

    /**
     * One task. {@code holds} is the number of the caller whose context it holds, or -1. The memory
     * lists are the task's receive area (what servers Write into) and scratch buffer (what Read
     * fills).
     */
    public record MTask(State state, int blockedOn, boolean isCall, long sendInfo, long sendBadge,
                        List<Long> mr, Status status, long info, long badge, long count,
                        long ciBadge, int ciLabel, long ciSend, long ciRecv,
                        int holds, CallCtx call, List<Byte> recvArea, List<Byte> scratch) {

        MTask with(State s, int on) {
            return new MTask(s, on, isCall, sendInfo, sendBadge, mr, status, info, badge, count,
                    ciBadge, ciLabel, ciSend, ciRecv, holds, call, recvArea, scratch);
        }
    }

    /** The world at boot: every task RUNNING, every endpoint idle, the boot capabilities installed. */
    public static Model boot(Shape shape) {
        List<Byte> zeros = Collections.nCopies(Shape.AREA, (byte) 0);
        List<Long> mr = Collections.nCopies(64, 0L);
        List<MTask> tasks = new ArrayList<>();
        for (int t = 0; t < shape.tasks(); t++) {
            tasks.add(new MTask(State.RUNNING, -1, false, 0, 0, mr, Status.OK, 0, 0, 0,
                    0, 0, 0, 0, -1, null, zeros, zeros));
        }
        Map<Ref, Cap> caps = new HashMap<>();
        for (Shape.Boot b : shape.boot()) {
            caps.put(new Ref(b.space(), b.slot()), new Cap(b.object(), b.rights(), b.badge(), null));
        }
        Map<Ref, Long> born = new HashMap<>();
        for (int t = 0; t < shape.tasks(); t++) {
            int slot = shape.faultSlot().get(t);
            if (slot >= 0) {
                Ref from = new Ref(shape.space(t), slot);
                Cap c = caps.get(from);
                caps.put(tcb(t), new Cap(c.object(), c.rights(), c.badge(), from));
                born.put(tcb(t), (long) born.size() + 1);
            }
        }
        List<Queue> eps = Collections.nCopies(shape.endpoints(), Queue.IDLE);
        return new Model(shape, List.copyOf(tasks), Map.copyOf(caps), List.copyOf(eps), Map.of(),
                Collections.nCopies(shape.tasks(), Xfer.INITIAL), Ntfn.INITIAL, 0,
                Collections.nCopies(shape.tasks(), NEVER), Collections.nCopies(shape.tasks(), false),
                List.of(), Collections.nCopies(shape.spaces(), 0L), List.of(), Collections.nCopies(shape.tasks(), 0L),
                Collections.nCopies(shape.endpoints(), 1 << TASK_FAULTED), Collections.nCopies(shape.endpoints(), List.of()),
                List.of(), Map.copyOf(born), born.size(), Control.boot(shape));
    }

    public MTask task(int t) {
        return tasks.get(t);
    }

    /**
     * docs/semantics.md guarantee 12's deadlock, computed on the model: the largest set of blocked tasks such that
     * every task that could unblock one of them is in the set (greatest fixed point). Unblockers: for
     * a reply, the task holding the context, or every live task of the Space where it is suspended; for a send, live tasks with READ on the endpoint; for a
     * receive, live tasks with WRITE on the endpoint or, if bound, on the notification; for a wait,
     * live tasks with WRITE on the notification.
     */
    public java.util.SortedSet<Integer> deadlocked() {
        java.util.SortedSet<Integer> set = new java.util.TreeSet<>();
        for (int t = 0; t < tasks.size(); t++) {
            State s = tasks.get(t).state();
            if (s != State.RUNNING && s != State.DEAD) {
                set.add(t);
            }
        }
        boolean changed = true;
        while (changed) {
            changed = set.removeIf(t -> !set.containsAll(unblockers(t)));
        }
        return set;
    }

    private List<Integer> unblockers(int t) {
        MTask m = tasks.get(t);
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int u = 0; u < tasks.size(); u++) {
            boolean live = tasks.get(u).state() != State.DEAD;
            boolean unblocks = switch (m.state()) {
                case BLOCKED_ON_REPLY -> tasks.get(u).holds() == t || (live && suspendedIn(t) == shape.space(u));
                case BLOCKED_ON_SEND -> live && holds(u, m.blockedOn(), READ);
                case BLOCKED_ON_RECEIVE -> live && (holds(u, m.blockedOn(), WRITE)
                        || (ntfn.bound() == t && holds(u, shape.notification(), WRITE)));
                case BLOCKED_ON_NOTIFICATION -> live && holds(u, shape.notification(), WRITE);
                case RUNNING, DEAD -> false;
            };
            if (unblocks) {
                out.add(u);
            }
        }
        return out;
    }

    /** The space whose reply pool holds {@code caller}'s context suspended, or -1. */
    public int suspendedIn(int caller) {
        return entries.stream().filter(e -> e.slot() >= 0 && e.caller() == caller).mapToInt(Entry::space).findFirst().orElse(-1);
    }

    /** The entry of {@code space} whose reply capability is in {@code slot}, or null. */
    public Entry entryAt(int space, int slot) {
        return entries.stream().filter(e -> e.space() == space && e.slot() == slot).findFirst().orElse(null);
    }

    /** The value of the {@code nth} issued handle; a place not issued (yet) resolves to -1, which names nothing. */
    public long handle(int nth) {
        return nth < issued.size() ? issued.get(nth).handle() : -1L;
    }

    /** True if {@code task} holds {@code right} on {@code object}: in its Space, or (a fault endpoint) in its TCB slot. */
    private boolean holds(int task, int object, int right) {
        return caps.entrySet().stream().anyMatch(e -> (e.getKey().space() == shape.space(task) || e.getKey().equals(tcb(task)))
                && e.getValue().object() == object && (e.getValue().rights() & right) == right);
    }

    /** A mutable copy for one step; {@link Step} freezes it again. */
    Step begin() {
        return new Step(this);
    }
}
