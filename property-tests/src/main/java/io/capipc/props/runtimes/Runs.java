package io.capipc.props.runtimes;

import java.util.ArrayList;
import java.util.List;

/**
 * The statuses one task's body got back, by run: the task's restart count when the run began,
 * and each list a body of that run kept (two, rarely, on the threaded runtime: a run restarted
 * again before its body read the count shares it with the next).
 */
record Runs(java.util.Map<Integer, List<List<String>>> byRun) {
    Runs() {
        this(new java.util.HashMap<>());
    }

    synchronized List<String> begin(int run) {
        List<String> got = new ArrayList<>();
        byRun.computeIfAbsent(run, r -> new ArrayList<>()).add(got);
        return got;
    }

    synchronized Runs copy() {
        java.util.Map<Integer, List<List<String>>> c = new java.util.HashMap<>();
        byRun.forEach((r, lists) -> c.put(r, lists.stream().map(List::copyOf).toList()));
        return new Runs(c);
    }

    List<List<String>> of(int run) {
        return byRun.getOrDefault(run, List.of(List.of()));
    }
}
