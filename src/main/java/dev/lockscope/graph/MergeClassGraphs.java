package dev.lockscope.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merging class graphs from several runs or hosts. Rule: a class's usage bits are OR-ed and its
 * acquisitions added; an edge's types are OR-ed, its counts added, its distance is the smaller,
 * and its first witness (with the addresses seen there) is the least by (input, line, task, time); chains are a set union;
 * observations add their counts and keep the least first witness; inputs are concatenated and
 * sorted. Every one of these is associative and commutative, so any merge tree over the same
 * parts gives the same graph, byte for byte.
 */
public final class MergeClassGraphs {
    private MergeClassGraphs() {
    }

    public static ClassGraph merge(ClassGraph a, ClassGraph b) {
        List<ClassGraph.Input> inputs = new ArrayList<>(a.inputs());
        inputs.addAll(b.inputs());
        Collections.sort(inputs);
        SortedMap<String, ClassGraph.ClassInfo> classes = new TreeMap<>(a.classes());
        b.classes().forEach((k, v) -> classes.merge(k, v,
                (x, y) -> new ClassGraph.ClassInfo(x.usage() | y.usage(), x.acquisitions() + y.acquisitions())));
        SortedMap<String, ClassGraph.Edge> edges = new TreeMap<>(a.edges());
        b.edges().forEach((k, v) -> edges.merge(k, v, (x, y) -> {
            ClassGraph.Edge first = x.first().compareTo(y.first()) <= 0 ? x : y;
            return new ClassGraph.Edge(x.from(), x.to(), x.mask() | y.mask(), x.count() + y.count(),
                    Math.min(x.distance(), y.distance()), first.first(), first.fromAddr(), first.toAddr());
        }));
        SortedSet<String> chains = new TreeSet<>(a.chains());
        chains.addAll(b.chains());
        SortedMap<String, ClassGraph.Obs> obs = new TreeMap<>(a.observations());
        b.observations().forEach((k, v) -> obs.merge(k, v, MergeClassGraphs::mergeObs));
        return new ClassGraph(List.copyOf(inputs), Collections.unmodifiableSortedMap(classes),
                Collections.unmodifiableSortedMap(edges), Collections.unmodifiableSortedSet(chains),
                Collections.unmodifiableSortedMap(obs));
    }

    /** Merges all graphs left to right (any order gives the same result). */
    public static ClassGraph mergeAll(List<ClassGraph> graphs) {
        ClassGraph g = ClassGraph.empty();
        for (ClassGraph x : graphs) {
            g = merge(g, x);
        }
        return g;
    }

    static ClassGraph.Obs mergeObs(ClassGraph.Obs x, ClassGraph.Obs y) {
        return new ClassGraph.Obs(x.kind(), x.cls(), x.priorRead(), x.read(), x.count() + y.count(),
                least(x.first(), y.first()));
    }

    private static ClassGraph.First least(ClassGraph.First x, ClassGraph.First y) {
        return x.compareTo(y) <= 0 ? x : y;
    }
}
