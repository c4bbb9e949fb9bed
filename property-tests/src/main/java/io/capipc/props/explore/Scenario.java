package io.capipc.props.explore;

import io.capipc.props.harness.Action;
import io.capipc.props.model.Shape;
import java.util.List;

/**
 * A small world to explore: its shape, each task's program (the syscalls it makes, in order) and
 * the faults that may strike at any point, each at most once (driver actions: kill, interrupt,
 * clock advance, a hostile rewrite of an IPC buffer; or a syscall such as a Revoke by a task of the
 * world, which then needs its task RUNNING, as any syscall does).
 *
 * <p>A choice names what happens next: {@code t<i>} the next action of task i's program, {@code
 * f<j>} fault j. A path of choices, e.g. {@code t0,t1,f0,t1}, is a replayable trace.
 */
public record Scenario(String name, String about, Shape shape, List<List<Action>> programs, List<Action> faults) {
    public Scenario {
        if (programs.size() != shape.tasks()) {
            throw new IllegalArgumentException(name + ": " + programs.size() + " programs for " + shape.tasks() + " tasks");
        }
        for (int t = 0; t < programs.size(); t++) {
            for (Action a : programs.get(t)) {
                if (a instanceof Action.Driver || a.task() != t) {
                    throw new IllegalArgumentException(name + ": task " + t + "'s program has " + a);
                }
            }
        }
        programs = List.copyOf(programs.stream().map(List::copyOf).toList());
        faults = List.copyOf(faults);
    }

    /** The number of choices a state can offer: one per task, one per fault. */
    int choices() {
        return programs.size() + faults.size();
    }

    /** The syscalls and faults in all: the longest a path can be. */
    int actions() {
        return programs.stream().mapToInt(List::size).sum() + faults.size();
    }

    /** A choice in the {@code t<i>} / {@code f<j>} notation. */
    String show(int choice) {
        return choice < programs.size() ? "t" + choice : "f" + (choice - programs.size());
    }

    /** Parses one choice of that notation. */
    int parse(String choice) {
        int n = Integer.parseInt(choice.substring(1));
        return switch (choice.charAt(0)) {
            case 't' -> n;
            case 'f' -> programs.size() + n;
            default -> throw new IllegalArgumentException("a choice is t<task> or f<fault>, not " + choice);
        };
    }
}
