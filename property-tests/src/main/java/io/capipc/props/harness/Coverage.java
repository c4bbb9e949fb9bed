package io.capipc.props.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Situation coverage of one property: the situations its check means nothing without, each with the
 * least number of times a full run must reach it, and how often the runs did.
 *
 * <p>A check that never meets the situation it is about cannot fail, whatever the kernel does: a
 * Revoke check over trees one level deep passes a Revoke that forgets grandchildren. So a property
 * names its situations ({@link #require}), counts them while it checks ({@link #counting}, with a
 * {@link Counter} that looks at each step), prints the table at the end and, in a full run
 * ({@link Property#fullRun()}), fails if any situation was reached fewer times than required. Seeds
 * are fixed, so the counts of a full run are the same on every build; the minimums are set well below
 * them, so a generator change that starves a situation fails the build rather than silently
 * weakening the property.
 *
 * <p>A counter may report situations the property did not name; they are not counted, so one counter
 * can serve several properties.
 */
public final class Coverage {
    /** Counts the situations one step shows; made fresh for each run, so it may keep state across that run's steps. */
    @FunctionalInterface
    public interface Counter {
        void count(Check.StepRecord step, Coverage coverage);
    }

    private final String property;
    private final Map<String, Integer> minimum = new LinkedHashMap<>();
    private final Map<String, Long> reached = new HashMap<>();

    private Coverage(String property) {
        this.property = property;
    }

    /** The coverage of {@code property}, with no situation named yet. */
    public static Coverage of(String property) {
        return new Coverage(property);
    }

    /** Names a situation and the least number of times a full run must reach it. */
    public Coverage require(String situation, int least) {
        if (least < 1 || minimum.putIfAbsent(situation, least) != null) {
            throw new IllegalArgumentException(property + ": situation named twice, or with minimum " + least + ": " + situation);
        }
        return this;
    }

    /** One more occurrence of {@code situation}, if this property named it. */
    public void reached(String situation) {
        if (minimum.containsKey(situation)) {
            reached.merge(situation, 1L, Long::sum);
        }
    }

    /** How often the runs so far reached {@code situation}. */
    public long count(String situation) {
        return reached.getOrDefault(situation, 0L);
    }

    /** The situations named, in the order named. */
    public List<String> situations() {
        return List.copyOf(minimum.keySet());
    }

    /** {@code checks}, with {@code counters} counting each step's situations before the check looks at it. */
    public Supplier<Check> counting(Supplier<Check> checks, Supplier<Counter> counters) {
        return () -> {
            Check c = checks.get();
            Counter k = counters.get();
            return s -> {
                k.count(s, this);
                return c.check(s);
            };
        };
    }

    /** Several counters as one, each with its own state. */
    @SafeVarargs
    public static Supplier<Counter> all(Supplier<Counter>... counters) {
        return () -> {
            List<Counter> each = new ArrayList<>();
            for (Supplier<Counter> c : counters) {
                each.add(c.get());
            }
            return (s, coverage) -> each.forEach(c -> c.count(s, coverage));
        };
    }

    /** The situations below their minimum. */
    public List<String> missing() {
        List<String> out = new ArrayList<>();
        minimum.forEach((name, least) -> {
            if (count(name) < least) {
                out.add(name);
            }
        });
        return out;
    }

    /** The table: one line per situation, with its count and its minimum; a missed minimum is marked. */
    public String table() {
        int width = minimum.keySet().stream().mapToInt(String::length).max().orElse(10);
        StringBuilder sb = new StringBuilder("coverage of " + property + ":\n");
        minimum.forEach((name, least) -> sb.append(String.format("  %-" + width + "s %8d  (at least %d)%s%n", name, count(name),
                least, count(name) < least ? "   <-- too rare" : "")));
        return sb.toString();
    }

    /**
     * Prints the table, and writes it to {@code target/situation-coverage/<property>.txt} (the
     * directory the property tests run in; docs/testing.md shows a full run's tables, joined); in a
     * full run, fails naming every situation reached fewer times than required. A replayed seed or a
     * shorter run only prints it.
     */
    public void check() {
        try {
            Path dir = Path.of("target", "situation-coverage");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(property.replaceAll("[^A-Za-z0-9]+", "-") + ".txt"),
                    (Property.fullRun() ? "" : "(not a full run)\n") + table());
        } catch (IOException e) {
            System.out.println("could not write the coverage table: " + e);
        }
        List<String> missing = missing();
        if (Property.fullRun() && !missing.isEmpty()) {
            throw new AssertionError(property + " reached these situations too rarely for its check to mean anything: "
                    + missing + "\n" + table());
        }
        System.out.print(table());
    }
}
