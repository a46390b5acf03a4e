package dev.lockscope.trace;

import dev.lockscope.util.ByteSymbols;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** What the reader saw: lines by kind, events by name, malformed lines by reason. */
public final class ReadStats {
    public long lines;
    public long bytes;
    public long headerLines;
    public long blankLines;
    public long lockEvents;
    /** Events other than the ones lockscope analyses, counted by name and skipped. */
    public final ByteSymbols otherEventNames = new ByteSymbols();
    private long[] otherEventCounts = new long[64];
    /** The header's {@code entries-in-buffer/entries-written}, when present. */
    public long entriesInBuffer = -1;
    public long entriesWritten = -1;
    private final Map<String, Long> malformed = new LinkedHashMap<>();
    private final Map<String, Long> skipped = new LinkedHashMap<>();
    public long malformedTotal;
    /**
     * Lock events skipped because the header shows an overwritten ring buffer and not every CPU's
     * part of the trace had begun yet (each CPU keeps its own newest events).
     */
    public long eventsBeforeWindow;
    /** The line where every CPU's part had begun, or 0. */
    public long windowStartLine;

    public void otherEvent(byte[] buf, int off, int len) {
        int id = otherEventNames.intern(buf, off, len);
        if (id >= otherEventCounts.length) {
            otherEventCounts = Arrays.copyOf(otherEventCounts, id * 2);
        }
        otherEventCounts[id]++;
    }

    public long otherEventsTotal() {
        long n = 0;
        for (int i = 0; i < otherEventNames.size(); i++) {
            n += otherEventCounts[i];
        }
        return n;
    }

    /** Other events by name, sorted by name. */
    public Map<String, Long> otherEvents() {
        Map<String, Long> m = new TreeMap<>();
        for (int i = 0; i < otherEventNames.size(); i++) {
            m.put(otherEventNames.name(i), otherEventCounts[i]);
        }
        return m;
    }

    public void malformed(String reason) {
        malformedTotal++;
        malformed.merge(reason, 1L, Long::sum);
    }

    /** Lines skipped for a reason that is not an error (e.g. comment lines in the body). */
    public void skipped(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    public Map<String, Long> malformedByReason() {
        return new TreeMap<>(malformed);
    }

    public Map<String, Long> skippedByReason() {
        return new TreeMap<>(skipped);
    }

    /** Adds another input's counts (several inputs are analysed as one trace). */
    public void add(ReadStats o) {
        lines += o.lines;
        bytes += o.bytes;
        headerLines += o.headerLines;
        blankLines += o.blankLines;
        lockEvents += o.lockEvents;
        malformedTotal += o.malformedTotal;
        eventsBeforeWindow += o.eventsBeforeWindow;
        o.malformed.forEach((k, v) -> malformed.merge(k, v, Long::sum));
        o.skipped.forEach((k, v) -> skipped.merge(k, v, Long::sum));
        for (int i = 0; i < o.otherEventNames.size(); i++) {
            String n = o.otherEventNames.name(i);
            int id = otherEventNames.intern(n);
            if (id >= otherEventCounts.length) {
                otherEventCounts = Arrays.copyOf(otherEventCounts, id * 2);
            }
            otherEventCounts[id] += o.otherEventCounts[i];
        }
    }
}
