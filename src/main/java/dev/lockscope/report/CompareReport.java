package dev.lockscope.report;

import dev.lockscope.analysis.CompareRuns;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** {@code lockscope compare} as text or JSON. */
public final class CompareReport {
    private final PrintWriter out;

    public CompareReport(PrintWriter out) {
        this.out = out;
    }

    private static String pct(double p) {
        if (Double.isNaN(p)) {
            return "-";
        }
        if (Double.isInfinite(p)) {
            return "new";
        }
        return String.format(Locale.ROOT, "%+.1f%%", p);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    public void text(CompareRuns.Result r, String before, String after) {
        out.println("lockscope compare: " + before + " -> " + after);
        out.println();
        section("cycles gone", r.gone());
        section("cycles new", r.added());
        section("cycles kept", r.kept());
        out.println();
        if (r.opClass() != null) {
            out.printf(Locale.ROOT, "per operation = per acquisition of %s (%d before, %d after)%n", r.opClass(),
                    r.opsBefore(), r.opsAfter());
        }
        out.printf("%44s %10s %10s %8s %10s %10s %8s %12s %12s %12s %12s%n", "class", "acq-before", "acq-after", "change",
                "per-op-bef", "per-op-aft", "change", "acq/s-bef", "acq/s-aft", "wait-us-bef", "wait-us-aft");
        for (CompareRuns.ClassDelta d : r.classes()) {
            String name = d.cls().length() > 44 ? "..." + d.cls().substring(d.cls().length() - 41) : d.cls();
            out.printf(Locale.ROOT, "%44s %10d %10d %8s %10s %10s %8s %12.1f %12.1f %12.2f %12.2f%n", name, d.acqBefore(),
                    d.acqAfter(), pct(CompareRuns.percent(d.acqBefore(), d.acqAfter())), num(d.perOpBefore()),
                    num(d.perOpAfter()), pct(d.perOpPercent()), d.rateBefore(), d.rateAfter(), d.waitNsBefore() / 1e3,
                    d.waitNsAfter() / 1e3);
        }
        out.flush();
    }

    private void section(String title, List<String> items) {
        out.printf("%s: %d%n", title, items.size());
        items.forEach(i -> out.println("  " + i));
    }

    public void json(CompareRuns.Result r, String before, String after, String version) {
        JsonWriter j = new JsonWriter(out);
        j.beginObject();
        j.field("tool", "lockscope");
        j.field("version", version);
        j.field("schema", 1);
        j.field("before", before);
        j.field("after", after);
        j.name("cycles_gone").beginArray();
        r.gone().forEach(j::value);
        j.endArray();
        j.name("cycles_new").beginArray();
        r.added().forEach(j::value);
        j.endArray();
        j.name("cycles_kept").beginArray();
        r.kept().forEach(j::value);
        j.endArray();
        j.field("op_class", r.opClass());
        j.field("ops_before", r.opsBefore());
        j.field("ops_after", r.opsAfter());
        j.name("classes").beginArray();
        for (CompareRuns.ClassDelta d : r.classes()) {
            j.beginObject();
            j.field("class", d.cls());
            j.field("acquisitions_before", d.acqBefore());
            j.field("acquisitions_after", d.acqAfter());
            j.name("per_second_before").value(d.rateBefore(), 1);
            j.name("per_second_after").value(d.rateAfter(), 1);
            j.field("per_op_change", pct(d.perOpPercent()));
            j.field("wait_ns_before", d.waitNsBefore());
            j.field("wait_ns_after", d.waitNsAfter());
            j.field("hold_avg_ns_before", d.holdAvgNsBefore());
            j.field("hold_avg_ns_after", d.holdAvgNsAfter());
            j.endObject();
        }
        j.endArray();
        j.endObject();
        j.finish();
    }
}
