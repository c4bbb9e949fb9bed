package io.capipc.props.harness;

import io.capipc.api.MessageInfo;
import io.capipc.props.model.Model;
import io.capipc.props.model.Shape;
import io.capipc.props.model.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a world and a run from a seed, deterministically: the same seed always gives the same
 * case, which is what makes a failure replayable. Generation follows the model, so every action is
 * made by a task that is RUNNING at that point; arguments are mostly valid, sometimes not, so both
 * the transitions and the refusals are exercised. Now and then the driver acts instead: it advances
 * the virtual clock, interrupts a task or kills one; when every live task is blocked it always does,
 * so a run goes on while timeouts or interrupts can free someone.
 */
public final class Generator {
    /** A generated case. */
    public record Case(long seed, Shape shape, List<Action> actions) {}

    /**
     * Knobs a property may turn.
     *
     * @param steps the number of actions
     * @param minLength the least message length (1 or more lets a property tell messages apart)
     */
    public record Config(int steps, int minLength) {
        public static Config of(int steps) {
            return new Config(steps, 0);
        }
    }

    private final SplittableRandom rnd;
    private final Config config;
    private final long[] sequence;
    private Shape shape;

    private Generator(long seed, Config config) {
        this.rnd = new SplittableRandom(seed);
        this.config = config;
        this.sequence = new long[4];
    }

    public static Case generate(long seed, Config config) {
        Generator g = new Generator(seed, config);
        g.shape = g.shape();
        Model model = Model.boot(g.shape);
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < config.steps(); i++) {
            List<Integer> running = new ArrayList<>();
            List<Integer> blocked = new ArrayList<>();
            for (int t = 0; t < g.shape.tasks(); t++) {
                Model.State state = model.task(t).state();
                if (state == Model.State.RUNNING) {
                    running.add(t);
                } else if (state != Model.State.DEAD) {
                    blocked.add(t);
                }
            }
            if (running.isEmpty() && blocked.isEmpty()) {
                break;
            }
            Action a = running.isEmpty() || g.rnd.nextInt(100) < 7 ? g.driver(model, running, blocked)
                    : g.action(running.get(g.rnd.nextInt(running.size())), running.size());
            actions.add(a);
            model = Step.apply(model, a).next();
        }
        return new Case(seed, g.shape, List.copyOf(actions));
    }

    private Shape shape() {
        int tasks = 3 + rnd.nextInt(2);
        int slots = 5;
        int endpoints = 2;
        // Usually tasks 0 and 1 share a space, so one can delete or revoke what the other sent through.
        List<Integer> spaceOf = new ArrayList<>();
        boolean shared = rnd.nextInt(100) < 70;
        for (int t = 0; t < tasks; t++) {
            spaceOf.add(shared ? Math.max(0, t - 1) : t);
        }
        int spaces = spaceOf.get(tasks - 1) + 1;
        List<Shape.Boot> boot = new ArrayList<>();
        for (int sp = 0; sp < spaces; sp++) {
            for (int s = 0; s < 3; s++) {
                if (rnd.nextInt(100) < 85) {
                    int roll = rnd.nextInt(100);
                    int object = roll < 50 ? 0 : roll < 85 ? 1 : endpoints;
                    boot.add(new Shape.Boot(sp, s, object, rights(), rnd.nextInt(100) < 40 ? 0 : 1 + rnd.nextInt(4)));
                }
            }
        }
        return new Shape(tasks, slots, endpoints, List.copyOf(spaceOf), List.copyOf(boot));
    }

    private int rights() {
        int roll = rnd.nextInt(100);
        if (roll < 35) {
            return Model.READ | Model.WRITE;
        }
        return roll < 55 ? Model.READ | Model.WRITE | Model.GRANT : 1 + rnd.nextInt(7);
    }

    /**
     * What the driver does from outside: advance the clock (more often while a deadline is pending),
     * interrupt a task (mostly a blocked one; a running one is left alone), or, rarely and only while
     * three tasks live, kill one (half the time one that holds a caller's context). With every task
     * blocked, something must unblock one: the clock moves to the earliest deadline, or a blocked
     * task is interrupted.
     */
    private Action driver(Model model, List<Integer> running, List<Integer> blocked) {
        long next = nextDeadline(model, blocked);
        if (running.isEmpty()) {
            return next != Model.NEVER && rnd.nextInt(100) < 80 ? new Action.Advance(next - model.now())
                    : new Action.Interrupt(blocked.get(rnd.nextInt(blocked.size())));
        }
        int roll = rnd.nextInt(100);
        if (roll < (next == Model.NEVER ? 45 : 60)) {
            return new Action.Advance(nanos(model, next));
        }
        if (roll < 85 || running.size() + blocked.size() < 3) {
            boolean anyBlocked = !blocked.isEmpty() && rnd.nextInt(100) < 85;
            return new Action.Interrupt(anyBlocked ? blocked.get(rnd.nextInt(blocked.size())) : rnd.nextInt(shape.tasks()));
        }
        List<Integer> live = new ArrayList<>(running);
        live.addAll(blocked);
        List<Integer> servers = live.stream().filter(t -> model.task(t).holds() >= 0).toList();
        List<Integer> from = !servers.isEmpty() && rnd.nextBoolean() ? servers : live;
        return new Action.Kill(from.get(rnd.nextInt(from.size())));
    }

    /**
     * The earliest deadline of a blocked task, or NEVER. One near the end of time does not count:
     * the clock never goes there, so it cannot wrap around.
     */
    private static long nextDeadline(Model model, List<Integer> blocked) {
        long next = Model.NEVER;
        for (int t : blocked) {
            long d = model.deadlines().get(t);
            if (d - model.now() <= 1_000_000) {
                next = Math.min(next, d);
            }
        }
        return next;
    }

    /** How far the clock moves: often exactly to the next deadline or just short of it, else a little or nothing. */
    private long nanos(Model model, long next) {
        int roll = rnd.nextInt(100);
        if (next != Model.NEVER && roll < 50) {
            long gap = next - model.now();
            return roll < 35 ? gap : Math.max(0, gap - 1);
        }
        return roll < 60 ? 0 : rnd.nextInt(100) < 80 ? 1 + rnd.nextInt(100) : 100 + rnd.nextInt(1000);
    }

    /**
     * A blocking syscall's timeout: mostly none (FOREVER); about one in ten finite, in steps of 10 ns
     * so that deadlines tie; a few 0; rarely negative, or so large that the deadline would pass the
     * end of time.
     */
    private long timeout() {
        int roll = rnd.nextInt(100);
        if (roll < 10) {
            return rnd.nextInt(100) < 5 ? Long.MAX_VALUE - 1 - rnd.nextInt(3) : 10L * (1 + rnd.nextInt(20));
        } else if (roll < 14) {
            return 0;
        } else if (roll < 15) {
            return rnd.nextBoolean() ? -1 : Long.MIN_VALUE;
        }
        return Action.FOREVER;
    }

    private Action action(int t, int running) {
        int roll = rnd.nextInt(100);
        if (rnd.nextInt(100) < 8) {
            return switch (rnd.nextInt(5)) {
                case 0, 1 -> new Action.Signal(t, slot());
                case 2 -> new Action.Poll(t, slot());
                case 3 -> rnd.nextBoolean() ? new Action.Wait(t, slot(), timeout()) : new Action.Bind(t, slot());
                default -> new Action.Unbind(t);
            };
        }
        if (rnd.nextInt(100) < 5) {
            List<Integer> caps = new ArrayList<>();
            List<Integer> receive = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                caps.add(slot());
                receive.add(rnd.nextInt(100) < 30 ? -1 : slot());
            }
            return new Action.SetCaps(t, List.copyOf(caps), List.copyOf(receive));
        }
        if (roll < 12) {
            return new Action.Send(t, slot(), info(), mr(t), timeout());
        } else if (roll < 18) {
            return new Action.NBSend(t, slot(), info(), mr(t));
        } else if (roll < 32) {
            return new Action.Call(t, slot(), info(), mr(t), sizes(), sizes(), timeout());
        } else if (roll < 35) {
            return new Action.Forward(t, slot(), info(), mr(t));
        } else if (roll < 44) {
            return new Action.Recv(t, slot(), timeout());
        } else if (roll < 50) {
            return new Action.NBRecv(t, slot());
        } else if (roll < 58) {
            return new Action.Reply(t, info(), mr(t));
        } else if (roll < 66) {
            return new Action.ReplyWait(t, slot(), info(), mr(t), timeout());
        } else if (roll < 73) {
            return new Action.Read(t, offset(), rnd.nextInt(25));
        } else if (roll < 80) {
            return new Action.Write(t, offset(), rnd.nextInt(25), rnd.nextInt(256));
        } else if (roll < 82) {
            return new Action.CallerInfo(t);
        } else if (roll < 86) {
            return new Action.Copy(t, slot(), slot(), rightsArg());
        } else if (roll < 90) {
            return new Action.Mint(t, slot(), slot(), rightsArg(), badgeArg());
        } else if (roll < 91) {
            return new Action.Move(t, slot(), slot());
        } else if (roll < 92) {
            return new Action.Mutate(t, slot(), slot(), rightsArg(), badgeArg());
        } else if (roll < 94) {
            return new Action.Revoke(t, slot());
        } else if (roll < 95) {
            return new Action.CancelBadgedSends(t, slot());
        } else if (roll < 99 || running < 3) {
            return new Action.Delete(t, slot());
        }
        return new Action.Exit(t);
    }

    private int rightsArg() {
        return rnd.nextInt(100) < 5 ? 8 : rnd.nextInt(8);
    }

    private long badgeArg() {
        return rnd.nextInt(100) < 40 ? 0 : 1 + rnd.nextInt(6);
    }

    private int slot() {
        int roll = rnd.nextInt(100);
        return roll < 4 ? -1 : roll < 8 ? shape.slots() : rnd.nextInt(shape.slots());
    }

    private long offset() {
        return rnd.nextInt(100) < 5 ? -1 : rnd.nextInt(21);
    }

    /** A strictly increasing value per task, so a property can tell one task's sends apart. */
    private long mr(int t) {
        return (t + 1) * 10_000L + ++sequence[t];
    }

    private long info() {
        int roll = rnd.nextInt(100);
        int length = Math.max(config.minLength(), rnd.nextInt(100) < 10 ? 64 : rnd.nextInt(5));
        int label = rnd.nextInt(4);
        if (roll < 88) {
            int caps = rnd.nextInt(100) < 20 ? 1 + rnd.nextInt(2) : 0;
            return MessageInfo.pack(label, length, caps, false);
        }
        return switch (rnd.nextInt(5)) {
            case 0 -> MessageInfo.pack(-1 - rnd.nextInt(3), length, 0, false);
            case 1 -> MessageInfo.pack(label, 65 + rnd.nextInt(63), 0, false);
            case 2 -> MessageInfo.pack(label, length, 5 + rnd.nextInt(3), false);
            case 3 -> MessageInfo.pack(label, length, 0, true);
            default -> MessageInfo.withKind(MessageInfo.of(label, length), io.capipc.api.Kind.values()[1 + rnd.nextInt(4)]);
        };
    }

    /** Segment sizes of a buffer: at most 64 bytes in all; rarely 9 segments (too many). */
    private List<Integer> sizes() {
        int n = rnd.nextInt(100) < 3 ? 9 : rnd.nextInt(4);
        List<Integer> sizes = new ArrayList<>();
        int left = Shape.AREA;
        for (int i = 0; i < n; i++) {
            int s = Math.min(left, rnd.nextInt(100) < 20 ? 0 : rnd.nextInt(17));
            sizes.add(s);
            left -= s;
        }
        return List.copyOf(sizes);
    }
}
