package dev.lockscope.trace;

import dev.lockscope.util.ByteSymbols;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Events counted by name without allocating per event. */
public final class EventCounts {
    private final ByteSymbols names = new ByteSymbols();
    private long[] counts = new long[64];

    public void count(byte[] buf, int off, int len) {
        add(names.intern(buf, off, len), 1);
    }

    private void add(int id, long n) {
        if (id >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(id + 1, counts.length * 2));
        }
        counts[id] += n;
    }

    public long total() {
        long n = 0;
        for (int i = 0; i < names.size(); i++) {
            n += counts[i];
        }
        return n;
    }

    /** By name, sorted. */
    public Map<String, Long> byName() {
        Map<String, Long> m = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.name(i), counts[i]);
        }
        return m;
    }

    public void addAll(EventCounts o) {
        for (int i = 0; i < o.names.size(); i++) {
            add(names.intern(o.names.name(i)), o.counts[i]);
        }
    }
}
