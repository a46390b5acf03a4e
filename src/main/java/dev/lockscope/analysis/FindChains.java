package dev.lockscope.analysis;

import dev.lockscope.graph.ChainCache;
import dev.lockscope.graph.Glob;
import java.util.ArrayList;
import java.util.List;

/**
 * The held-lock chains the engine validated, as /proc/lockdep_chains lists them: each distinct
 * sequence of held classes (with read state) within one irq context, in the order first seen.
 * A chain matches a glob when any of its classes does.
 */
public final class FindChains {
    /** One chain: its irq context, classes bottom first with their read states, and cache hits after the first. */
    public record Chain(int id, int irq, List<String> classes, int[] reads, long hits) {
    }

    private final GraphIndex index;

    public FindChains(GraphIndex index) {
        this.index = index;
    }

    public List<Chain> find(String glob) {
        ChainCache cc = index.engine().chains();
        List<Chain> r = new ArrayList<>();
        for (int c = 0; c < cc.size(); c++) {
            int d = cc.depth(c);
            List<String> classes = new ArrayList<>(d);
            int[] reads = new int[d];
            boolean match = glob == null;
            for (int i = 0; i < d; i++) {
                int h = cc.hlock(c, i);
                String name = index.name(h >>> 2);
                classes.add(name);
                reads[i] = h & 3;
                match |= !match && Glob.matches(glob, name);
            }
            if (match) {
                r.add(new Chain(c + 1, cc.irq(c), List.copyOf(classes), reads, cc.hits(c)));
            }
        }
        return r;
    }
}
