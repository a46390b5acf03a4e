package dev.lockscope.graph;

import dev.lockscope.model.Witness;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The analysed class graph apart from the trace it came from: what a graph snapshot holds and
 * what {@link MergeClassGraphs} combines. Everything is keyed by class names (never by the ids
 * of one run) and kept sorted, so two equal graphs are equal records and print the same bytes.
 *
 * @param inputs       where the graph came from, sorted (a merge holds every input of its parts)
 * @param classes      class name → usage bits and acquisitions
 * @param edges        "from\tto" → the dependency
 * @param chains       distinct lock chains: irq context, then each held class and its read state
 * @param observations identity ("recursion:CLS W->W", ...) → the observation
 */
public record ClassGraph(List<Input> inputs, SortedMap<String, ClassInfo> classes, SortedMap<String, Edge> edges,
                         SortedSet<String> chains, SortedMap<String, Obs> observations) {

    /** One input: its name, lines and lock events read. */
    public record Input(String name, long lines, long lockEvents) implements Comparable<Input> {
        @Override
        public int compareTo(Input o) {
            int c = name.compareTo(o.name);
            if (c == 0) {
                c = Long.compare(lines, o.lines);
            }
            return c != 0 ? c : Long.compare(lockEvents, o.lockEvents);
        }
    }

    /** A class: lockdep usage bits (Usage) and how often it was acquired. */
    public record ClassInfo(int usage, long acquisitions) {
    }

    /**
     * Where something was first seen: input name ("" when the run had several inputs and the
     * engine did not keep which), line in it, task (comm-pid) and time.
     */
    public record First(String input, long line, String task, long timeNs) implements Comparable<First> {
        @Override
        public int compareTo(First o) {
            int c = input.compareTo(o.input);
            if (c == 0) {
                c = Long.compare(line, o.line);
            }
            if (c == 0) {
                c = task.compareTo(o.task);
            }
            return c != 0 ? c : Long.compare(timeNs, o.timeNs);
        }
    }

    /**
     * A dependency {@code from -> to}: type mask (DependencyGraph.SR..EN bits), exercise count,
     * lockdep distance, the first witness and the instance addresses of from and to there (the
     * name-aliased verdict compares them).
     */
    public record Edge(String from, String to, int mask, long count, int distance, First first, long fromAddr,
                       long toAddr) {
    }

    /** An observation (recursion, nested, unbalanced, depth, remote-demote) with its modes and count. */
    public record Obs(String kind, String cls, int priorRead, int read, long count, First first) {
        public String identity() {
            return obsIdentity(kind, cls, priorRead, read);
        }
    }

    public static String edgeKey(String from, String to) {
        return from + "\t" + to;
    }

    /** The graph the engine built from {@code inputs} (in the order they were read). */
    public static ClassGraph of(GraphBuilder engine, List<Input> inputs) {
        var cls = engine.classes();
        SortedMap<String, ClassInfo> classes = new TreeMap<>();
        for (int c = 0; c < engine.classCount(); c++) {
            classes.put(cls.name(c), new ClassInfo(engine.usage(c), engine.acquisitions(c)));
        }
        DependencyGraph g = engine.graph();
        SortedMap<String, Edge> edges = new TreeMap<>();
        for (int e = 0; e < g.size(); e++) {
            String from = cls.name(g.from(e));
            String to = cls.name(g.to(e));
            int in = g.witnessInput(e);
            edges.put(edgeKey(from, to), new Edge(from, to, g.mask(e), g.count(e), g.distance(e),
                    first(in >= 0 && in < inputs.size() ? inputs.get(in).name() : "", g.witness(e)), g.prevAddress(e),
                    g.nextAddress(e)));
        }
        SortedSet<String> chains = new TreeSet<>();
        ChainCache cc = engine.chains();
        for (int c = 0; c < cc.size(); c++) {
            StringBuilder sb = new StringBuilder().append(cc.irq(c));
            for (int i = 0; i < cc.depth(c); i++) {
                int h = cc.hlock(c, i);
                sb.append('\t').append(cls.name(h >>> 2)).append('\t').append(h & 3);
            }
            chains.add(sb.toString());
        }
        String only = inputs.size() == 1 ? inputs.get(0).name() : "";
        SortedMap<String, Obs> obs = new TreeMap<>();
        for (Observation o : engine.observations()) {
            Obs x = new Obs(o.kind.name().toLowerCase(java.util.Locale.ROOT), o.cls,
                    o.prior == null ? 0 : o.prior.read(), o.read, o.count(), first(only, o.witness));
            obs.merge(x.identity(), x, MergeClassGraphs::mergeObs);
        }
        List<Input> sorted = new ArrayList<>(inputs);
        Collections.sort(sorted);
        return new ClassGraph(List.copyOf(sorted), Collections.unmodifiableSortedMap(classes),
                Collections.unmodifiableSortedMap(edges), Collections.unmodifiableSortedSet(chains),
                Collections.unmodifiableSortedMap(obs));
    }

    private static First first(String input, Witness w) {
        return w == null ? new First(input, 0, "", 0) : new First(input, w.line(), w.task(), w.timeNs());
    }

    /** Kind, class and modes: what makes two observations the same across runs. */
    static String obsIdentity(String kind, String cls, int priorRead, int read) {
        return kind + ":" + cls + " " + priorRead + "->" + read;
    }

    public static ClassGraph empty() {
        return new ClassGraph(List.of(), Collections.emptySortedMap(), Collections.emptySortedMap(),
                Collections.emptySortedSet(), Collections.emptySortedMap());
    }
}
