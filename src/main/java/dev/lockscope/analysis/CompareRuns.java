package dev.lockscope.analysis;

import dev.lockscope.graph.GraphBuilder;
import dev.lockscope.graph.LockStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Before and after a fix: which cycles went, came and stayed (by identity: kind and class names),
 * and per class what the hot path pays in each run (acquisitions per second of trace time, per
 * operation when an operation class is named, wait and hold time), with the change in percent.
 */
public final class CompareRuns {

    /** One class in both runs; per-op figures are NaN without an operation class. */
    public record ClassDelta(String cls, long acqBefore, long acqAfter, double rateBefore, double rateAfter,
                             double perOpBefore, double perOpAfter, long waitNsBefore, long waitNsAfter,
                             long holdAvgNsBefore, long holdAvgNsAfter) {
        public double ratePercent() {
            return percent(rateBefore, rateAfter);
        }

        public double perOpPercent() {
            return percent(perOpBefore, perOpAfter);
        }
    }

    public record Result(List<String> gone, List<String> added, List<String> kept, String opClass, long opsBefore,
                         long opsAfter, List<ClassDelta> classes) {
    }

    private CompareRuns() {
    }

    /** Change from before to after in percent; infinite when before is 0 and after is not, NaN if unknown. */
    public static double percent(double before, double after) {
        if (Double.isNaN(before) || Double.isNaN(after)) {
            return Double.NaN;
        }
        if (before == 0) {
            return after == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return 100.0 * (after - before) / before;
    }

    public static Result compare(Analysis before, GraphBuilder b, Analysis after, GraphBuilder a, String opClass) {
        Set<String> cb = new TreeSet<>();
        Set<String> ca = new TreeSet<>();
        before.cycles().forEach(c -> cb.add(c.identity() + " [" + c.verdict() + "]"));
        after.cycles().forEach(c -> ca.add(c.identity() + " [" + c.verdict() + "]"));
        List<String> gone = cb.stream().filter(x -> !ca.contains(x)).toList();
        List<String> added = ca.stream().filter(x -> !cb.contains(x)).toList();
        List<String> kept = cb.stream().filter(ca::contains).toList();
        Map<String, long[]> sb = perClass(b);
        Map<String, long[]> sa = perClass(a);
        long opsB = opClass == null ? 0 : sb.getOrDefault(opClass, new long[4])[0];
        long opsA = opClass == null ? 0 : sa.getOrDefault(opClass, new long[4])[0];
        double secsB = b.lockStats().spanNs() / 1e9;
        double secsA = a.lockStats().spanNs() / 1e9;
        Set<String> names = new TreeSet<>(sb.keySet());
        names.addAll(sa.keySet());
        List<ClassDelta> rows = new ArrayList<>();
        for (String n : names) {
            long[] x = sb.getOrDefault(n, new long[4]);
            long[] y = sa.getOrDefault(n, new long[4]);
            rows.add(new ClassDelta(n, x[0], y[0], secsB == 0 ? 0 : x[0] / secsB, secsA == 0 ? 0 : y[0] / secsA,
                    opClass == null || opsB == 0 ? Double.NaN : (double) x[0] / opsB,
                    opClass == null || opsA == 0 ? Double.NaN : (double) y[0] / opsA, x[1], y[1],
                    x[3] == 0 ? 0 : x[2] / x[3], y[3] == 0 ? 0 : y[2] / y[3]));
        }
        return new Result(gone, added, kept, opClass, opsB, opsA, rows);
    }

    /** name -> {acquisitions, wait ns, hold ns, holds}, both modes together. */
    private static Map<String, long[]> perClass(GraphBuilder g) {
        LockStats st = g.lockStats();
        Map<String, long[]> m = new TreeMap<>();
        for (int c = 0; c < g.classCount(); c++) {
            long acq = st.acquisitions(c, false) + st.acquisitions(c, true);
            if (acq == 0) {
                continue;
            }
            m.put(g.classes().name(c), new long[] {acq, st.waitTotal(c, false) + st.waitTotal(c, true),
                st.holdTotal(c, false) + st.holdTotal(c, true), st.holds(c, false) + st.holds(c, true)});
        }
        return m;
    }
}
