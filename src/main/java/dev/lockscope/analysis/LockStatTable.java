package dev.lockscope.analysis;

import dev.lockscope.graph.GraphBuilder;
import dev.lockscope.graph.LockStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rows of {@code lockscope stats}: /proc/lock_stat's columns per class and mode, from the
 * engine's {@link LockStats}. Rows are named like lock_stat's: {@code class} when the class was
 * only taken one way, {@code class-W} and {@code class-R} when both.
 */
public final class LockStatTable {

    /** One row; times in ns. */
    public record Row(String cls, String mode, long contentions, long waitMin, long waitMax, long waitTotal,
                      long acquisitions, long holds, long holdMin, long holdMax, long holdTotal,
                      long holdsBeforeWindow, long holdsOpenAtEnd, double acquisitionsPerSecond,
                      List<String> topContenders) {
        public String name() {
            return mode.isEmpty() ? cls : cls + "-" + mode;
        }

        public long waitAvg() {
            return contentions == 0 ? 0 : waitTotal / contentions;
        }

        public long holdAvg() {
            return holds == 0 ? 0 : holdTotal / holds;
        }
    }

    public enum Sort { contentions, acquisitions, wait, hold, name }

    public record Table(List<Row> rows, long spanNs, int classes) {
    }

    private LockStatTable() {
    }

    public static Table build(GraphBuilder engine, Sort sort, int top) {
        LockStats st = engine.lockStats();
        dev.lockscope.graph.Contention ct = engine.contention();
        long[] open = engine.openHolds();
        double secs = st.spanNs() / 1e9;
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < engine.classCount(); c++) {
            // without lock_stat (production kernels) the contention tracepoints give the waits
            boolean tracepoints = st.contentions(c, false) + st.contentions(c, true) == 0 && ct.waits(c) > 0;
            boolean w = st.acquisitions(c, false) + st.contentions(c, false) + st.holds(c, false)
                    + st.holdsBeforeWindow(c) > 0 || tracepoints && st.acquisitions(c, true) == 0;
            boolean r = st.acquisitions(c, true) + st.contentions(c, true) + st.holds(c, true) > 0;
            for (boolean read : new boolean[] {false, true}) {
                if (read ? !r : !w) {
                    continue;
                }
                String mode = w && r ? (read ? "R" : "W") : read ? "R" : "";
                long acq = st.acquisitions(c, read);
                boolean fromTp = tracepoints && (read ? !w : true);
                rows.add(new Row(engine.classes().name(c), mode,
                        fromTp ? ct.waits(c) : st.contentions(c, read), fromTp ? ct.minWaitNs(c) : st.waitMin(c, read),
                        fromTp ? ct.maxWaitNs(c) : st.waitMax(c, read), fromTp ? ct.waitNs(c) : st.waitTotal(c, read),
                        acq, st.holds(c, read), st.holdMin(c, read),
                        st.holdMax(c, read), st.holdTotal(c, read), read && w ? 0 : st.holdsBeforeWindow(c),
                        read && w ? 0 : open[c], secs == 0 ? 0 : acq / secs,
                        read && w ? List.of() : st.topContenders(c)));
            }
        }
        Comparator<Row> byName = Comparator.comparing(Row::name);
        Comparator<Row> order = switch (sort) {
            case contentions -> Comparator.comparingLong(Row::contentions).reversed()
                    .thenComparing(Comparator.comparingLong(Row::acquisitions).reversed()).thenComparing(byName);
            case acquisitions -> Comparator.comparingLong(Row::acquisitions).reversed().thenComparing(byName);
            case wait -> Comparator.comparingLong(Row::waitTotal).reversed().thenComparing(byName);
            case hold -> Comparator.comparingLong(Row::holdTotal).reversed().thenComparing(byName);
            case name -> byName;
        };
        rows.sort(order);
        int classes = (int) rows.stream().map(Row::cls).distinct().count();
        return new Table(top > 0 && rows.size() > top ? List.copyOf(rows.subList(0, top)) : List.copyOf(rows),
                st.spanNs(), classes);
    }
}
