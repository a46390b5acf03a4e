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
        boolean[] matching = new boolean[index.engine().classCount()];
        for (int cls = 0; cls < matching.length; cls++) {
            matching[cls] = glob == null || Glob.matches(glob, index.name(cls));
        }
        List<Chain> r = new ArrayList<>();
        for (int c = 0; c < cc.size(); c++) {
            int d = cc.depth(c);
            boolean match = false;
            for (int i = 0; i < d && !match; i++) {
                match = matching[cc.hlock(c, i) >>> 2];
            }
            if (!match) {
                continue;
            }
            List<String> classes = new ArrayList<>(d);
            int[] reads = new int[d];
            for (int i = 0; i < d; i++) {
                int h = cc.hlock(c, i);
                classes.add(index.name(h >>> 2));
                reads[i] = h & 3;
            }
            r.add(new Chain(c + 1, cc.irq(c), List.copyOf(classes), reads, cc.hits(c)));
        }
        return r;
    }
}
