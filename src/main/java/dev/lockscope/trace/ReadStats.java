package dev.lockscope.trace;

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
    public final EventCounts other = new EventCounts();
    /**
     * Events besides lock_* that lockscope reads: contention_begin/end, mmap_lock_*, gfs2 glock
     * holder events; mmap_lock_* that repeat a lock_acquire of a lockdep kernel are counted here too.
     */
    public final EventCounts used = new EventCounts();
    /** mmap_lock_* events dropped because the same acquisition appears as lock_acquire. */
    public long mmapDuplicates;
    /** gfs2_promote lines whose holder was queued before the trace began. */
    public long glockPromotesUnmatched;
    /** gfs2 holder events of iopen, journal and nondisk glocks (held for an object, not a task). */
    public long glockObjectHolds;
    /** The header's {@code entries-in-buffer/entries-written}, when present. */
    public long entriesInBuffer = -1;
    public long entriesWritten = -1;
    private final Map<String, Long> malformed = new LinkedHashMap<>();
    /** A counter per reason: skipped() runs for every stack-frame line, so it must not box. */
    private final Map<String, long[]> skipped = new LinkedHashMap<>();
    public long malformedTotal;
    /** Time spent inside the sink (the engine) while reading, measured per batch. */
    public long engineNanos;
    /**
     * Lock events skipped because the header shows an overwritten ring buffer and not every CPU's
     * part of the trace had begun yet (each CPU keeps its own newest events).
     */
    public long eventsBeforeWindow;
    /** The line where every CPU's part had begun, or 0. */
    public long windowStartLine;

    public void otherEvent(byte[] buf, int off, int len) {
        other.count(buf, off, len);
    }

    public long otherEventsTotal() {
        return other.total();
    }

    /** Other events by name, sorted by name. */
    public Map<String, Long> otherEvents() {
        return other.byName();
    }

    public void malformed(String reason) {
        malformedTotal++;
        malformed.merge(reason, 1L, Long::sum);
    }

    /** Lines skipped for a reason that is not an error (e.g. comment lines in the body). */
    public void skipped(String reason) {
        skipped.computeIfAbsent(reason, r -> new long[1])[0]++;
    }

    public Map<String, Long> malformedByReason() {
        return new TreeMap<>(malformed);
    }

    public Map<String, Long> skippedByReason() {
        Map<String, Long> out = new TreeMap<>();
        skipped.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    /** Adds another input's counts (several inputs are analysed as one trace). */
    public void add(ReadStats o) {
        lines += o.lines;
        bytes += o.bytes;
        headerLines += o.headerLines;
        blankLines += o.blankLines;
        lockEvents += o.lockEvents;
        malformedTotal += o.malformedTotal;
        engineNanos += o.engineNanos;
        eventsBeforeWindow += o.eventsBeforeWindow;
        o.malformed.forEach((k, v) -> malformed.merge(k, v, Long::sum));
        o.skipped.forEach((k, v) -> skipped.computeIfAbsent(k, r -> new long[1])[0] += v[0]);
        other.addAll(o.other);
        used.addAll(o.used);
        mmapDuplicates += o.mmapDuplicates;
        glockPromotesUnmatched += o.glockPromotesUnmatched;
        glockObjectHolds += o.glockObjectHolds;
    }
}
