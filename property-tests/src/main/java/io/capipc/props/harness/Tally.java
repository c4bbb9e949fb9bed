package io.capipc.props.harness;

import java.util.TreeMap;

/**
 * How often each named situation occurred over a whole search, for the self-contained properties
 * (regions, budgets) whose steps are not {@link Check.StepRecord}s.
 */
public final class Tally {
    private final TreeMap<String, Integer> counts = new TreeMap<>();

    public void count(String situation) {
        counts.merge(situation, 1, Integer::sum);
    }

    public int get(String situation) {
        return counts.getOrDefault(situation, 0);
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
