package org.tensorparity.suite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pairs of a suite as a directed graph whose edges are stages (from -> to). Pair names must be unique
 * and every stage's ends must be pairs; the caller checks both first.
 */
final class StageGraph {
    /** Pair names in declaration order, each with the pairs it feeds. */
    private final Map<String, Set<String>> edges = new LinkedHashMap<>();

    StageGraph(List<String> pairNames, List<Stage> stages) {
        for (String name : pairNames) {
            edges.put(name, new LinkedHashSet<>());
        }
        for (Stage s : stages) {
            edges.get(s.from()).add(s.to());
        }
    }

    /**
     * The pairs so that every stage's {@code from} comes before its {@code to}, otherwise in declaration
     * order (Kahn's algorithm, always taking the earliest-declared ready pair); empty if the stages form a
     * cycle.
     */
    Optional<List<String>> topologicalOrder() {
        Map<String, Integer> waitingFor = new HashMap<>();
        edges.keySet().forEach(n -> waitingFor.put(n, 0));
        edges.values().forEach(targets -> targets.forEach(t -> waitingFor.merge(t, 1, Integer::sum)));
        List<String> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (order.size() < edges.size()) {
            String next = edges.keySet().stream()
                    .filter(n -> !done.contains(n) && waitingFor.get(n) == 0)
                    .findFirst().orElse(null);
            if (next == null) {
                return Optional.empty();
            }
            order.add(next);
            done.add(next);
            edges.get(next).forEach(t -> waitingFor.merge(t, -1, Integer::sum));
        }
        return Optional.of(order);
    }

    /** One cycle as a path that starts and ends with the same pair, e.g. {@code [a, b, a]}; empty if none. */
    Optional<List<String>> cycle() {
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the current path, 2: finished
        for (String start : edges.keySet()) {
            List<String> path = new ArrayList<>();
            Optional<List<String>> found = walk(start, state, path);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<List<String>> walk(String node, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            return Optional.of(cycle);
        }
        if (s != null) {
            return Optional.empty();
        }
        state.put(node, 1);
        path.add(node);
        for (String next : edges.get(node)) {
            Optional<List<String>> found = walk(next, state, path);
            if (found.isPresent()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return Optional.empty();
    }

    /**
     * The pairs joined by stages in either direction, each group's names sorted, groups sorted by their first
     * name: the units that must run together.
     */
    List<List<String>> components() {
        Map<String, String> parent = new HashMap<>();
        edges.keySet().forEach(n -> parent.put(n, n));
        edges.forEach((from, targets) -> targets.forEach(to -> parent.put(root(parent, from), root(parent, to))));
        Map<String, TreeSet<String>> groups = new HashMap<>();
        for (String n : edges.keySet()) {
            groups.computeIfAbsent(root(parent, n), r -> new TreeSet<>()).add(n);
        }
        List<List<String>> out = new ArrayList<>();
        groups.values().forEach(g -> out.add(List.copyOf(g)));
        out.sort(Comparator.comparing(g -> g.get(0)));
        return out;
    }

    private static String root(Map<String, String> parent, String n) {
        String r = n;
        while (!parent.get(r).equals(r)) {
            r = parent.get(r);
        }
        return r;
    }
}
