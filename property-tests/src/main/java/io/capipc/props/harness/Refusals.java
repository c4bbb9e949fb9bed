package io.capipc.props.harness;

import io.capipc.api.MessageInfo;
import io.capipc.api.Reason;
import io.capipc.props.harness.Scenarios.Intent;
import io.capipc.props.model.Model;
import io.capipc.props.model.Model.Ref;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A template for refusals (docs/semantics.md §7): one syscall refused for one chosen reason, with every
 * argument checked before that reason valid and the one it is about not. A reason is picked evenly
 * among those the generated worlds can meet, then a syscall evenly among those that check it, so every
 * refusal of every syscall comes up about as often, however rare its state is by chance. When the
 * world cannot give the refusal now (no capability of the kind needed, no context, nobody bound), the
 * template does not start. Refusals that need the IPC buffer's capability slots set first take two
 * steps: the slots, then the syscall.
 */
final class Refusals {
    /** For each reason, the syscalls (as {@link Situations#syscall} names them) that can be refused for it. */
    private static final Map<Reason, List<String>> BY_REASON = new LinkedHashMap<>();

    static {
        List<String> info = List.of("Send", "NBSend", "Call", "Reply", "ReplyWait", "Forward", "Reply(h)", "Forward(h)");
        List<String> endpoint = List.of("Send", "NBSend", "Call", "Recv", "NBRecv", "ReplyWait", "Forward", "Forward(h)",
                "SystemMessages", "CancelBadgedSends");
        List<String> notification = List.of("Signal", "Wait", "Poll", "BindNotification");
        BY_REASON.put(Reason.TIMEOUT_NEGATIVE, List.of("Send", "Call", "Recv", "ReplyWait", "Wait"));
        for (Reason r : List.of(Reason.LABEL_NEGATIVE, Reason.LENGTH_OVER_64, Reason.SYSTEM_FLAG, Reason.KIND_OR_RESERVED_BITS)) {
            BY_REASON.put(r, info);
        }
        BY_REASON.put(Reason.CAPS_OVER_4, List.of("Send", "NBSend", "Call", "Reply", "ReplyWait", "Reply(h)"));
        BY_REASON.put(Reason.FORWARD_WITH_CAPS, List.of("Forward", "Forward(h)"));
        for (Reason r : List.of(Reason.SEGMENTS_OVER_8, Reason.BUFFER_NULL, Reason.SEGMENT_CLOSED, Reason.SEGMENT_CONFINED,
                Reason.RECEIVE_SEGMENT_READ_ONLY)) {
            BY_REASON.put(r, List.of("Call"));
        }
        BY_REASON.put(Reason.TRANSFER_SLOT_OUT_OF_RANGE, List.of("Send", "NBSend", "Call", "Reply", "ReplyWait", "Reply(h)"));
        BY_REASON.put(Reason.TRANSFER_SLOT_UNUSABLE, List.of("Send", "NBSend", "Call", "Reply", "ReplyWait", "Reply(h)"));
        List<String> slots = new ArrayList<>(endpoint);
        slots.addAll(notification);
        slots.addAll(List.of("Copy", "Mint", "Move", "Mutate", "Delete", "Revoke"));
        BY_REASON.put(Reason.SLOT_OUT_OF_RANGE, slots);
        BY_REASON.put(Reason.DESTINATION_OUT_OF_RANGE, List.of("Copy", "Mint", "Move", "Mutate"));
        BY_REASON.put(Reason.RIGHTS_UNKNOWN_BITS, List.of("Copy", "Mint", "Mutate"));
        List<String> empty = new ArrayList<>(endpoint);
        empty.addAll(notification);
        empty.addAll(List.of("Copy", "Mint", "Move", "Mutate"));
        BY_REASON.put(Reason.EMPTY_SLOT, empty);
        BY_REASON.put(Reason.NOT_AN_ENDPOINT, endpoint);
        BY_REASON.put(Reason.NOT_A_NOTIFICATION, notification);
        BY_REASON.put(Reason.NEEDS_READ, List.of("Recv", "NBRecv", "ReplyWait", "SystemMessages", "Wait", "Poll", "BindNotification"));
        BY_REASON.put(Reason.NEEDS_WRITE, List.of("Send", "NBSend", "Call", "Forward", "Forward(h)", "Signal"));
        BY_REASON.put(Reason.NEEDS_GRANT, List.of("Send", "NBSend", "Call"));
        BY_REASON.put(Reason.NEEDS_ALL_RIGHTS, List.of("CancelBadgedSends"));
        BY_REASON.put(Reason.BADGE_REQUIRED, List.of("CancelBadgedSends"));
        BY_REASON.put(Reason.NOTHING_WAITING, List.of("NBSend", "NBRecv", "Poll"));
        BY_REASON.put(Reason.NO_CONTEXT, List.of("Forward", "Read", "Write", "CallerInfo", "Suspend"));
        BY_REASON.put(Reason.CALLER_GONE, List.of("Forward", "Read", "Write", "CallerInfo", "Suspend", "Forward(h)", "Read(h)", "Write(h)",
                "CallerInfo(h)"));
        BY_REASON.put(Reason.OFFSET_NEGATIVE, List.of("Read", "Write", "Read(h)", "Write(h)"));
        BY_REASON.put(Reason.OFFSET_PAST_END, List.of("Read", "Write", "Read(h)", "Write(h)"));
        BY_REASON.put(Reason.NO_EMPTY_SLOT, List.of("Suspend"));
        BY_REASON.put(Reason.REPLY_POOL_EXHAUSTED, List.of("Suspend"));
        BY_REASON.put(Reason.STALE_HANDLE, List.of("Resume", "Reply(h)", "Forward(h)", "Read(h)", "Write(h)", "CallerInfo(h)"));
        BY_REASON.put(Reason.ALREADY_HOLDS_CONTEXT, List.of("Resume"));
        BY_REASON.put(Reason.NEEDS_GRANT_TO_REPLY, List.of("Reply", "ReplyWait", "Reply(h)"));
        BY_REASON.put(Reason.MASK_UNKNOWN_BITS, List.of("SystemMessages"));
        BY_REASON.put(Reason.BOUND_TO_ANOTHER_TASK, List.of("Wait", "Poll"));
        BY_REASON.put(Reason.ALREADY_BOUND, List.of("BindNotification"));
        BY_REASON.put(Reason.NOTIFICATION_HAS_WAITERS, List.of("BindNotification"));
        BY_REASON.put(Reason.NOT_BOUND, List.of("UnbindNotification"));
        BY_REASON.put(Reason.REPLY_CAPABILITY, List.of("Copy", "Mint", "Move", "Mutate"));
        BY_REASON.put(Reason.DESTINATION_OCCUPIED, List.of("Copy", "Mint", "Move", "Mutate"));
        BY_REASON.put(Reason.BADGE_ALREADY_SET, List.of("Mint", "Mutate"));
        BY_REASON.put(Reason.BADGES_EXHAUSTED, List.of("Mint", "Mutate"));
        BY_REASON.put(Reason.MUTATE_WITH_CHILDREN, List.of("Mutate"));
    }

    private static final List<Reason> REASONS = List.copyOf(BY_REASON.keySet());

    /** The reasons a by-handle syscall checks before its handle: any handle will do. */
    private static final java.util.Set<Reason> BEFORE_HANDLE = java.util.EnumSet.of(Reason.LABEL_NEGATIVE, Reason.LENGTH_OVER_64,
            Reason.CAPS_OVER_4, Reason.SYSTEM_FLAG, Reason.KIND_OR_RESERVED_BITS, Reason.FORWARD_WITH_CAPS, Reason.TRANSFER_SLOT_OUT_OF_RANGE,
            Reason.SLOT_OUT_OF_RANGE);

    /** No slot fits. */
    private static final int NONE = Integer.MIN_VALUE;

    private final Generator g;
    private final Scenarios caps;

    Refusals(Generator g, Scenarios caps) {
        this.g = g;
        this.caps = caps;
    }

    /**
     * One refusal by task t, as one or two intents: a reason picked evenly among those the world can
     * give t now, then a syscall evenly among those that can be refused for it now; empty if none can.
     */
    List<Intent> start(Model m, int t) {
        List<List<Intent>> reasons = new ArrayList<>();
        for (Reason r : REASONS) {
            List<List<Intent>> syscalls = new ArrayList<>();
            for (String syscall : BY_REASON.get(r)) {
                List<Intent> plan = plan(m, t, r, syscall);
                if (!plan.isEmpty()) {
                    syscalls.add(plan);
                }
            }
            if (!syscalls.isEmpty()) {
                reasons.add(syscalls.get(g.rnd.nextInt(syscalls.size())));
            }
        }
        return reasons.isEmpty() ? List.of() : reasons.get(g.rnd.nextInt(reasons.size()));
    }

    /** Task t's syscall refused for {@code r}, with its IPC buffer's slots set first if the reason is about them; empty if it cannot be now. */
    private List<Intent> plan(Model m, int t, Reason r, String syscall) {
        Args a = new Args(m, t, r);
        List<Intent> plan = new ArrayList<>();
        if (r == Reason.TRANSFER_SLOT_OUT_OF_RANGE || r == Reason.TRANSFER_SLOT_UNUSABLE || r == Reason.NEEDS_GRANT
                || r == Reason.NEEDS_GRANT_TO_REPLY) {
            int slot = r == Reason.TRANSFER_SLOT_OUT_OF_RANGE ? (g.rnd.nextBoolean() ? -1 : g.shape.slots())
                    : r == Reason.TRANSFER_SLOT_UNUSABLE ? a.unusable() : a.any();
            if (slot == NONE) {
                return List.of();
            }
            plan.add(n -> new Action.SetCaps(t, Scenarios.withFirst(n.xfer().get(t).caps(), slot), n.xfer().get(t).receive()));
        }
        Action action = a.action(syscall);
        if (action == null) {
            return List.of();
        }
        plan.add(n -> action);
        return plan;
    }

    /** The arguments of one refusal of task t for reason r, each valid unless r is about it. */
    private final class Args {
        private final Model m;
        private final int t;
        private final Reason r;
        private final int space;

        Args(Model m, int t, Reason r) {
            this.m = m;
            this.t = t;
            this.r = r;
            this.space = g.shape.space(t);
        }

        /** A Call whose buffers are refused for r, if r is about them: too many segments, or one bad segment (or array). */
        Action.Call call(int slot, long info, long timeout) {
            List<Integer> send = new ArrayList<>(g.sizes().stream().limit(8).toList());
            List<Integer> recv = new ArrayList<>(g.sizes().stream().limit(8).toList());
            boolean inRecv = r == Reason.RECEIVE_SEGMENT_READ_ONLY || g.rnd.nextBoolean();
            List<Integer> bad = inRecv ? recv : send;
            int kind = switch (r) {
                case BUFFER_NULL -> g.rnd.nextInt(3) == 0 ? Action.Call.NULL_ARRAY : Action.Call.NULL_SEGMENT;
                case SEGMENT_CLOSED -> Action.Call.CLOSED_SEGMENT;
                case SEGMENT_CONFINED -> Action.Call.CONFINED_SEGMENT;
                case RECEIVE_SEGMENT_READ_ONLY -> Action.Call.READ_ONLY_SEGMENT;
                default -> 0;
            };
            if (r == Reason.SEGMENTS_OVER_8) {
                send = java.util.Collections.nCopies(9, 1);
            } else if (kind == Action.Call.NULL_ARRAY) {
                bad.clear();
                bad.add(kind);
            } else if (kind != 0) {
                if (bad.size() == 8) {
                    bad.removeLast();
                }
                bad.add(g.rnd.nextInt(bad.size() + 1), kind);
            }
            return new Action.Call(t, slot, info, g.mr(t), List.copyOf(send), List.copyOf(recv), timeout);
        }

        /** The syscall, or null when the world cannot give the refusal now. */
        Action action(String syscall) {
            long info = info(syscall);
            long timeout = r == Reason.TIMEOUT_NEGATIVE ? (g.rnd.nextBoolean() ? -1 : Long.MIN_VALUE) : Action.FOREVER;
            return switch (syscall) {
                case "Send" -> ok(slot(endpointRight(Model.WRITE)), s -> new Action.Send(t, s, info, g.mr(t), timeout));
                case "NBSend" -> ok(slot(endpointRight(Model.WRITE)), s -> new Action.NBSend(t, s, info, g.mr(t)));
                case "Call" -> ok(slot(endpointRight(Model.WRITE)), s -> call(s, info, timeout));
                case "Recv" -> ok(slot(endpointRight(Model.READ)), s -> new Action.Recv(t, s, timeout));
                case "NBRecv" -> ok(slot(endpointRight(Model.READ)), s -> new Action.NBRecv(t, s));
                case "Reply" -> context() ? new Action.Reply(t, info, g.mr(t)) : null;
                case "ReplyWait" -> ok(slot(endpointRight(Model.READ)), s -> context() ? new Action.ReplyWait(t, s, info, g.mr(t), timeout) : null);
                case "Forward" -> ok(slot(endpointRight(Model.WRITE)), s -> context() ? new Action.Forward(t, s, info, g.mr(t)) : null);
                case "Read", "Write" -> context() ? buffer(syscall.equals("Read"), -1) : null;
                case "CallerInfo" -> context() ? new Action.CallerInfo(t) : null;
                case "Suspend" -> context() ? new Action.Suspend(t) : null;
                case "Resume", "Reply(h)", "Forward(h)", "Read(h)", "Write(h)", "CallerInfo(h)" -> byHandle(syscall, info);
                case "SystemMessages" -> ok(slot(endpointRight(Model.READ)), s -> new Action.SystemMessages(t, s,
                        r == Reason.MASK_UNKNOWN_BITS ? 1 | (g.rnd.nextInt(8) << 1) : 0b1110));
                case "CancelBadgedSends" -> ok(slot(cancelling()), s -> new Action.CancelBadgedSends(t, s));
                case "Signal" -> ok(slot(notificationRight(Model.WRITE)), s -> new Action.Signal(t, s));
                case "Wait", "Poll", "BindNotification" -> notification(syscall, timeout);
                case "UnbindNotification" -> m.ntfn().bound() != t ? new Action.Unbind(t) : null;
                case "Copy", "Mint", "Move", "Mutate" -> derive(syscall);
                case "Delete" -> new Action.Delete(t, outOfRange());
                case "Revoke" -> new Action.Revoke(t, outOfRange());
                default -> throw new IllegalArgumentException(syscall);
            };
        }

        private Action ok(int slot, java.util.function.IntFunction<Action> make) {
            return slot == NONE ? null : make.apply(slot);
        }

        /** The info word: refused for an info reason, else sendable, with a capability when the reason is about transfer. */
        private long info(String syscall) {
            int label = g.rnd.nextInt(4);
            int length = 1 + g.rnd.nextInt(3);
            return switch (r) {
                case LABEL_NEGATIVE -> MessageInfo.pack(-1 - g.rnd.nextInt(3), length, 0, false);
                case LENGTH_OVER_64 -> MessageInfo.pack(label, 65 + g.rnd.nextInt(63), 0, false);
                case CAPS_OVER_4 -> MessageInfo.pack(label, length, 5 + g.rnd.nextInt(3), false);
                case SYSTEM_FLAG -> MessageInfo.pack(label, length, 0, true);
                case KIND_OR_RESERVED_BITS -> MessageInfo.withKind(MessageInfo.of(label, length), io.capipc.api.Kind.values()[1 + g.rnd.nextInt(4)]);
                case FORWARD_WITH_CAPS -> MessageInfo.of(label, length, 1 + g.rnd.nextInt(3));
                case TRANSFER_SLOT_OUT_OF_RANGE, TRANSFER_SLOT_UNUSABLE, NEEDS_GRANT, NEEDS_GRANT_TO_REPLY -> MessageInfo.of(label, length, 1);
                default -> MessageInfo.of(label, length);
            };
        }

        /** What the endpoint slot must hold for a syscall needing {@code right}: the reason decides. */
        private int endpointRight(int right) {
            return switch (r) {
                case NEEDS_READ, NEEDS_WRITE -> lacking(right, -1);
                case NEEDS_GRANT -> endpointWith(right, Model.GRANT);
                case TRANSFER_SLOT_OUT_OF_RANGE, TRANSFER_SLOT_UNUSABLE -> endpointWith(right | Model.GRANT, 0);
                case NOTHING_WAITING -> nothingWaiting(right);
                default -> endpointWith(right, 0);
            };
        }

        /** The slot: out of range, empty, of the wrong type, or {@code fit} (NONE: none fits). */
        private int slot(int fit) {
            return switch (r) {
                case SLOT_OUT_OF_RANGE -> outOfRange();
                case EMPTY_SLOT -> orNone(caps.empty(m, space));
                case NOT_AN_ENDPOINT -> holding(o -> o >= g.shape.endpoints());
                case NOT_A_NOTIFICATION -> holding(o -> o != g.shape.notification());
                default -> fit;
            };
        }

        private int outOfRange() {
            return g.rnd.nextBoolean() ? -1 - g.rnd.nextInt(2) : g.shape.slots() + g.rnd.nextInt(2);
        }

        /** A slot holding an endpoint capability with {@code right} and, if {@code without} is not 0, lacking it; else NONE. */
        private int endpointWith(int right, int without) {
            List<Integer> fit = new ArrayList<>();
            for (int i = 0; i < g.shape.slots(); i++) {
                Model.Cap c = m.caps().get(new Ref(space, i));
                if (c != null && c.object() < g.shape.endpoints() && (c.rights() & right) == right && (without == 0 || (c.rights() & without) == 0)) {
                    fit.add(i);
                }
            }
            return orNone(fit);
        }

        /** A slot holding an endpoint capability lacking {@code right} (or, with {@code object} >= 0, a capability to that object). */
        private int lacking(int right, int object) {
            List<Integer> fit = new ArrayList<>();
            for (int i = 0; i < g.shape.slots(); i++) {
                Model.Cap c = m.caps().get(new Ref(space, i));
                boolean kind = object < 0 ? c != null && c.object() < g.shape.endpoints() : c != null && c.object() == object;
                if (kind && (c.rights() & right) == 0) {
                    fit.add(i);
                }
            }
            return orNone(fit);
        }

        /** For NBSend, NBRecv: an endpoint with {@code right} on which nothing waits for it. */
        private int nothingWaiting(int right) {
            List<Integer> fit = new ArrayList<>();
            for (int i = 0; i < g.shape.slots(); i++) {
                Model.Cap c = m.caps().get(new Ref(space, i));
                if (c != null && c.object() < g.shape.endpoints() && (c.rights() & right) == right) {
                    Model.Queue q = m.endpoints().get(c.object());
                    boolean idle = right == Model.WRITE ? q.kind() != Model.Kind.RECEIVERS
                            : q.kind() != Model.Kind.SENDERS && m.notices().get(c.object()).isEmpty() && !(m.ntfn().bound() == t && m.ntfn().pending());
                    if (idle) {
                        fit.add(i);
                    }
                }
            }
            return orNone(fit);
        }

        /** For CancelBadgedSends: all rights and a badge, unless the reason is about one of them. */
        private int cancelling() {
            List<Integer> fit = new ArrayList<>();
            for (int i = 0; i < g.shape.slots(); i++) {
                Model.Cap c = m.caps().get(new Ref(space, i));
                boolean ok = c != null && c.object() < g.shape.endpoints() && switch (r) {
                    case NEEDS_ALL_RIGHTS -> c.rights() != 7;
                    case BADGE_REQUIRED -> c.rights() == 7 && c.badge() == 0;
                    default -> c.rights() == 7;
                };
                if (ok) {
                    fit.add(i);
                }
            }
            return orNone(fit);
        }

        private int notificationRight(int right) {
            int o = g.shape.notification();
            if (r == Reason.NEEDS_READ || r == Reason.NEEDS_WRITE) {
                return lacking(right, o);
            }
            List<Integer> fit = new ArrayList<>();
            for (int i = 0; i < g.shape.slots(); i++) {
                Model.Cap c = m.caps().get(new Ref(space, i));
                if (c != null && c.object() == o && (c.rights() & right) == right) {
                    fit.add(i);
                }
            }
            return orNone(fit);
        }

        /** Wait, Poll, BindNotification: the notification's state decides whether the reason can be met. */
        private Action notification(String syscall, long timeout) {
            int s = slot(notificationRight(Model.READ));
            if (s == NONE) {
                return null;
            }
            int bound = m.ntfn().bound();
            boolean state = switch (r) {
                case BOUND_TO_ANOTHER_TASK -> bound >= 0 && bound != t;
                case NOTHING_WAITING -> (bound < 0 || bound == t) && !m.ntfn().pending();
                case ALREADY_BOUND -> bound >= 0;
                case NOTIFICATION_HAS_WAITERS -> bound < 0 && !m.ntfn().waiters().isEmpty();
                default -> true;
            };
            if (!state) {
                return null;
            }
            return switch (syscall) {
                case "Wait" -> new Action.Wait(t, s, timeout);
                case "Poll" -> new Action.Poll(t, s);
                default -> new Action.Bind(t, s);
            };
        }

        /** True if t's context is as the reason needs: held (and, for a reply refused GRANT, received without it), or cancelled, or none. */
        private boolean context() {
            Model.MTask me = m.task(t);
            return switch (r) {
                case NO_CONTEXT -> me.holds() < 0 && !m.cancelled().get(t);
                case CALLER_GONE -> me.holds() < 0 && m.cancelled().get(t);
                case NEEDS_GRANT_TO_REPLY -> me.holds() >= 0 && !m.xfer().get(t).contextGrant();
                case NO_EMPTY_SLOT -> me.holds() >= 0 && caps.empty(m, space).isEmpty();
                case REPLY_POOL_EXHAUSTED -> me.holds() >= 0 && !caps.empty(m, space).isEmpty()
                        && m.entries().stream().filter(e -> e.space() == space).count() >= g.shape.replyPool().get(space);
                case OFFSET_NEGATIVE, OFFSET_PAST_END -> me.holds() >= 0 && !m.cancelled().get(t);
                default -> true;
            };
        }

        /** Read or Write at a negative offset or past the end of {@code caller}'s buffer (-1: t's own caller). */
        private Action buffer(boolean read, int caller) {
            int c = caller >= 0 ? caller : m.task(t).holds();
            long end = c < 0 ? 0 : read ? m.task(c).call().send().size() : m.task(c).call().recvSize();
            long offset = r == Reason.OFFSET_NEGATIVE ? -1 - g.rnd.nextInt(3) : end + 1 + g.rnd.nextInt(3);
            int len = g.rnd.nextInt(25);
            return read ? new Action.Read(t, offset, len) : new Action.Write(t, offset, len, g.rnd.nextInt(256));
        }

        /** A by-handle syscall with a handle the reason needs: stale, live (Resume while holding a context), or whose caller has gone. */
        private Action byHandle(String syscall, long info) {
            List<Integer> fit = new ArrayList<>();
            for (int n = 0; n < m.issued().size(); n++) {
                Model.Entry e = Situations.entry(m, t, new Action.Handle(n, 0));
                boolean ok = switch (r) {
                    case STALE_HANDLE -> e == null;
                    case CALLER_GONE -> e != null && e.caller() < 0;
                    case ALREADY_HOLDS_CONTEXT -> e != null && m.task(t).holds() >= 0;
                    case NEEDS_GRANT_TO_REPLY -> e != null && e.caller() >= 0 && !e.grant();
                    case OFFSET_NEGATIVE, OFFSET_PAST_END -> e != null && e.caller() >= 0;
                    default -> BEFORE_HANDLE.contains(r) || e != null;
                };
                if (ok) {
                    fit.add(n);
                }
            }
            Action.Handle h = !fit.isEmpty() ? new Action.Handle(fit.get(g.rnd.nextInt(fit.size())), 0)
                    : r == Reason.STALE_HANDLE || BEFORE_HANDLE.contains(r) ? new Action.Handle(-1, g.rnd.nextInt(g.shape.slots())) : null;
            if (h == null) {
                return null;
            }
            Model.Entry e = Situations.entry(m, t, h);
            return switch (syscall) {
                case "Resume" -> new Action.Resume(t, h);
                case "Reply(h)" -> new Action.ReplyHandle(t, h, info, g.mr(t));
                case "Forward(h)" -> ok(slot(endpointRight(Model.WRITE)), s -> new Action.ForwardHandle(t, h, s, info, g.mr(t)));
                case "Read(h)", "Write(h)" -> {
                    Action b = buffer(syscall.equals("Read(h)"), e == null ? -1 : e.caller());
                    yield b instanceof Action.Read x ? new Action.ReadHandle(t, h, x.offset(), x.len())
                            : new Action.WriteHandle(t, h, ((Action.Write) b).offset(), ((Action.Write) b).len(), g.rnd.nextInt(256));
                }
                default -> new Action.CallerInfoHandle(t, h);
            };
        }

        /** Copy, Mint, Move, Mutate: source, destination, rights and badge as the reason needs. */
        private Action derive(String syscall) {
            List<Integer> full = new ArrayList<>();
            List<Integer> badged = new ArrayList<>();
            List<Integer> parents = new ArrayList<>();
            List<Integer> replies = new ArrayList<>();
            List<Integer> fullBadges = new ArrayList<>();
            for (int i = 0; i < g.shape.slots(); i++) {
                Model.Cap c = m.caps().get(new Ref(space, i));
                if (c == null) {
                    continue;
                }
                if (c.object() == g.shape.replyObject()) {
                    replies.add(i);
                    continue;
                }
                full.add(i);
                if (c.badge() != 0) {
                    badged.add(i);
                }
                Ref me = new Ref(space, i);
                if (m.caps().values().stream().anyMatch(x -> me.equals(x.parent())) && c.rights() != 0) {
                    parents.add(i);
                }
                if (c.object() < g.shape.endpoints() && c.badge() == 0 && !countable(c.object())) {
                    fullBadges.add(i);
                }
            }
            List<Integer> empties = caps.empty(m, space);
            int src = switch (r) {
                case SLOT_OUT_OF_RANGE -> outOfRange();
                case EMPTY_SLOT -> orNone(empties);
                case REPLY_CAPABILITY -> orNone(replies);
                case BADGE_ALREADY_SET -> orNone(badged);
                case MUTATE_WITH_CHILDREN -> orNone(parents);
                case BADGES_EXHAUSTED -> orNone(fullBadges);
                default -> orNone(full);
            };
            int dst = switch (r) {
                case DESTINATION_OUT_OF_RANGE -> outOfRange();
                case DESTINATION_OCCUPIED -> orNone(full);
                default -> empties.isEmpty() ? g.rnd.nextInt(g.shape.slots()) : empties.get(g.rnd.nextInt(empties.size()));
            };
            if (src == NONE || dst == NONE) {
                return null;
            }
            int rights = r == Reason.RIGHTS_UNKNOWN_BITS ? 8 | g.rnd.nextInt(8)
                    : r == Reason.MUTATE_WITH_CHILDREN && src >= 0 ? m.caps().get(new Ref(space, src)).rights() & ~(1 << g.rnd.nextInt(3)) : 7;
            long badge = r == Reason.BADGES_EXHAUSTED ? freshBadge(src) : r == Reason.BADGE_ALREADY_SET || g.rnd.nextBoolean() ? 1 + g.rnd.nextInt(6) : 0;
            return switch (syscall) {
                case "Copy" -> new Action.Copy(t, src, dst, rights);
                case "Mint" -> new Action.Mint(t, src, dst, rights, badge);
                case "Move" -> new Action.Move(t, src, dst);
                default -> new Action.Mutate(t, src, dst, r == Reason.BADGE_ALREADY_SET || r == Reason.BADGES_EXHAUSTED ? 7 : rights,
                        r == Reason.MUTATE_WITH_CHILDREN ? 0 : badge);
            };
        }

        /** True if endpoint {@code o} could count one more badge. */
        private boolean countable(int o) {
            java.util.Set<Long> live = new java.util.HashSet<>();
            m.caps().values().forEach(c -> {
                if (c.object() == o && c.badge() != 0) {
                    live.add(c.badge());
                }
            });
            long disconnected = m.notices().get(o).stream().filter(n -> n.kind() == Model.BADGE_DISCONNECTED).count();
            return live.size() + disconnected < g.shape.badges();
        }

        /** A badge no capability to the object in {@code src} has. */
        private long freshBadge(int src) {
            int o = m.caps().get(new Ref(space, src)).object();
            for (long b = 1; ; b++) {
                long badge = b;
                if (m.caps().values().stream().noneMatch(c -> c.object() == o && c.badge() == badge)) {
                    return badge;
                }
            }
        }

        /** A slot holding a capability whose object satisfies {@code kind}, or NONE. */
        private int holding(java.util.function.IntPredicate kind) {
            List<Integer> fit = new ArrayList<>();
            for (int i = 0; i < g.shape.slots(); i++) {
                Model.Cap c = m.caps().get(new Ref(space, i));
                if (c != null && kind.test(c.object())) {
                    fit.add(i);
                }
            }
            return orNone(fit);
        }

        /** For a transfer refused as unusable: an empty slot or a reply capability's, or NONE. */
        int unusable() {
            List<Integer> fit = new ArrayList<>(caps.empty(m, space));
            m.entries().stream().filter(e -> e.space() == space && e.slot() >= 0).forEach(e -> fit.add(e.slot()));
            return fit.isEmpty() ? NONE : fit.get(g.rnd.nextInt(fit.size()));
        }

        /** For a transfer that passes: any full slot that is not a reply capability's, or NONE. */
        int any() {
            List<Integer> fit = new ArrayList<>();
            for (int i = 0; i < g.shape.slots(); i++) {
                Model.Cap c = m.caps().get(new Ref(space, i));
                if (c != null && c.object() != g.shape.replyObject()) {
                    fit.add(i);
                }
            }
            return fit.isEmpty() ? NONE : fit.get(g.rnd.nextInt(fit.size()));
        }

        private int orNone(List<Integer> fit) {
            return fit.isEmpty() ? NONE : fit.get(g.rnd.nextInt(fit.size()));
        }
    }
}
