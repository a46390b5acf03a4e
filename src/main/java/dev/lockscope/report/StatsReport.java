package dev.lockscope.report;

import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import dev.lockscope.analysis.LockStatTable;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code lockscope stats} output: /proc/lock_stat's table (times in microseconds with two
 * decimals, as the kernel prints them), JSON (times in ns), or CSV written through univocity.
 */
public final class StatsReport {
    private final PrintWriter out;

    public StatsReport(PrintWriter out) {
        this.out = out;
    }

    private static String us(long ns) {
        return String.format(Locale.ROOT, "%.2f", ns / 1e3);
    }

    public void text(LockStatTable.Table t, String inputs) {
        out.println("lockscope stats: " + inputs);
        out.printf(Locale.ROOT, "%d classes over %.6f s of trace time (lock_stat covers a boot; this covers the trace)%n",
                t.classes(), t.spanNs() / 1e9);
        String dash = "-".repeat(40 + 1 + 11 * 15);
        out.println(dash);
        out.printf("%40s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s%n", "class name", "contentions",
                "waittime-min", "waittime-max", "waittime-total", "waittime-avg", "acquisitions", "holdtime-min",
                "holdtime-max", "holdtime-total", "holdtime-avg", "acq/s");
        out.println(dash);
        out.println();
        for (LockStatTable.Row r : t.rows()) {
            String name = r.name().length() > 39 ? r.name().substring(0, 39) : r.name();
            out.printf(Locale.ROOT, "%40s %14d %14s %14s %14s %14s %14d %14s %14s %14s %14s %14.1f%n", name + ":",
                    r.contentions(), us(r.waitMin()), us(r.waitMax()), us(r.waitTotal()), us(r.waitAvg()),
                    r.acquisitions(), us(r.holdMin()), us(r.holdMax()), us(r.holdTotal()), us(r.holdAvg()),
                    r.acquisitionsPerSecond());
            if (r.holdsBeforeWindow() > 0 || r.holdsOpenAtEnd() > 0) {
                out.printf("%40s holds begun before the trace: %d, still held at its end: %d%n", "",
                        r.holdsBeforeWindow(), r.holdsOpenAtEnd());
            }
            if (!r.topContenders().isEmpty()) {
                out.printf("%40s top contending tasks: %s%n", "", String.join(", ", r.topContenders()));
            }
        }
        out.flush();
    }

    public void json(LockStatTable.Table t, String version) {
        JsonWriter j = new JsonWriter(out);
        j.beginObject();
        j.field("tool", "lockscope");
        j.field("version", version);
        j.field("schema", 1);
        j.field("span_ns", t.spanNs());
        j.name("classes").beginArray();
        for (LockStatTable.Row r : t.rows()) {
            j.beginObject();
            j.field("class", r.cls());
            j.field("mode", r.mode());
            j.field("contentions", r.contentions());
            j.field("wait_min_ns", r.waitMin());
            j.field("wait_max_ns", r.waitMax());
            j.field("wait_total_ns", r.waitTotal());
            j.field("acquisitions", r.acquisitions());
            j.field("holds", r.holds());
            j.field("hold_min_ns", r.holdMin());
            j.field("hold_max_ns", r.holdMax());
            j.field("hold_total_ns", r.holdTotal());
            j.field("holds_before_window", r.holdsBeforeWindow());
            j.field("holds_open_at_end", r.holdsOpenAtEnd());
            j.name("acquisitions_per_second").value(r.acquisitionsPerSecond(), 1);
            j.name("top_contenders").beginArray();
            r.topContenders().forEach(j::value);
            j.endArray();
            j.endObject();
        }
        j.endArray();
        j.endObject();
        j.finish();
    }

    public void csv(LockStatTable.Table t) {
        CsvWriterSettings settings = new CsvWriterSettings();
        settings.getFormat().setLineSeparator("\n");
        CsvWriter w = new CsvWriter(out, settings);
        w.writeHeaders("class", "mode", "contentions", "wait_min_ns", "wait_max_ns", "wait_total_ns", "acquisitions",
                "holds", "hold_min_ns", "hold_max_ns", "hold_total_ns", "holds_before_window", "holds_open_at_end",
                "acquisitions_per_second", "top_contenders");
        for (LockStatTable.Row r : t.rows()) {
            w.writeRow(r.cls(), r.mode(), r.contentions(), r.waitMin(), r.waitMax(), r.waitTotal(), r.acquisitions(),
                    r.holds(), r.holdMin(), r.holdMax(), r.holdTotal(), r.holdsBeforeWindow(), r.holdsOpenAtEnd(),
                    String.format(Locale.ROOT, "%.1f", r.acquisitionsPerSecond()), String.join(" ", r.topContenders()));
        }
        w.flush();
    }
}
