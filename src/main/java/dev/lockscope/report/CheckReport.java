package dev.lockscope.report;

import dev.lockscope.analysis.Finding;
import dev.lockscope.check.CheckFindings;
import dev.lockscope.check.FailKind;
import dev.lockscope.model.Witness;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

/**
 * {@code lockscope check}'s verdict in text, JSON or JUnit XML. Every format lists each gated
 * finding with its identity (what a baseline line holds), its kind, whether it is new, and a
 * one-line description; then the stale baseline entries.
 */
public final class CheckReport {
    private final List<String> inputs;
    private final Set<FailKind> failOn;
    private final String baseline;
    private final CheckFindings.Result r;

    /** @param baseline the baseline file's name, or null without --baseline */
    public CheckReport(List<String> inputs, Set<FailKind> failOn, String baseline, CheckFindings.Result r) {
        this.inputs = inputs;
        this.failOn = failOn;
        this.baseline = baseline;
        this.r = r;
    }

    public void text(PrintWriter out, Colors c) {
        out.println("lockscope check: " + String.join(" ", inputs));
        out.println();
        long fresh = r.newCount();
        out.println(plural(r.findings().size(), "finding") + " (" + fresh + " new, " + (r.findings().size() - fresh)
                + " in baseline), " + plural(r.stale().size(), "stale baseline entry", "stale baseline entries")
                + "; failing on " + failOn.stream().map(FailKind::label).reduce((a, b) -> a + "," + b).orElse("")
                + (r.unselected() > 0 ? " (" + plural(r.unselected(), "other finding") + " not gated)" : ""));
        if (!r.findings().isEmpty()) {
            out.println();
        }
        for (CheckFindings.Gated g : r.findings()) {
            String status = g.isNew() ? c.red("NEW  ") : c.dim("known");
            out.println(status + " " + g.identity());
            out.println("      " + describe(g.finding())
                    + (g.isNew() ? "" : " [" + baseline + ":" + g.baselineLine() + "]"));
        }
        if (!r.stale().isEmpty()) {
            out.println();
            for (CheckFindings.Stale s : r.stale()) {
                out.println(c.yellow("stale") + " " + s.identity());
                out.println("      " + baseline + ":" + s.line() + ": no such finding in this run; "
                        + "remove the line or run with --update-baseline");
            }
        }
        out.println();
        out.println(r.failed() ? c.red("FAILED") + ": " + plural((int) fresh, "new finding") + " not in the baseline"
                : c.green("OK") + ": no new findings");
        out.flush();
    }

    public void json(PrintWriter out, String version) {
        JsonWriter j = new JsonWriter(out);
        j.beginObject();
        j.field("tool", "lockscope check").field("version", version);
        j.name("inputs").beginArray();
        inputs.forEach(j::value);
        j.endArray();
        j.name("failOn").beginArray();
        failOn.forEach(k -> j.value(k.label()));
        j.endArray();
        if (baseline != null) {
            j.field("baseline", baseline);
        }
        j.field("failed", r.failed()).field("newFindings", r.newCount()).field("notGated", r.unselected());
        j.name("findings").beginArray();
        for (CheckFindings.Gated g : r.findings()) {
            j.beginObject().field("identity", g.identity()).field("kind", g.kind()).field("new", g.isNew());
            if (!g.isNew()) {
                j.field("baselineLine", g.baselineLine());
            }
            j.field("description", describe(g.finding())).endObject();
        }
        j.endArray();
        j.name("stale").beginArray();
        for (CheckFindings.Stale s : r.stale()) {
            j.beginObject().field("identity", s.identity()).field("baselineLine", s.line()).endObject();
        }
        j.endArray();
        j.endObject();
        j.finish();
    }

    /**
     * JUnit XML as Jenkins, GitLab and GitHub test reporters read it: one test case per finding
     * (a new one fails, a baselined one is skipped with its baseline line) and one passing case
     * per stale baseline entry, so the CI page lists them.
     */
    public void junit(PrintWriter out) {
        int tests = r.findings().size() + r.stale().size();
        long failures = r.newCount();
        long skipped = r.findings().size() - failures;
        out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        out.println("<testsuites name=\"lockscope\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"0\" skipped=\""
                + skipped + "\">");
        out.println("  <testsuite name=\"lockscope check\" tests=\"" + tests + "\" failures=\"" + failures
                + "\" errors=\"0\" skipped=\"" + skipped + "\">");
        out.println("    <properties>");
        for (String in : inputs) {
            out.println("      <property name=\"input\" value=\"" + xml(in) + "\"/>");
        }
        if (baseline != null) {
            out.println("      <property name=\"baseline\" value=\"" + xml(baseline) + "\"/>");
        }
        out.println("    </properties>");
        for (CheckFindings.Gated g : r.findings()) {
            out.print("    <testcase classname=\"lockscope." + g.kind() + "\" name=\"" + xml(g.identity()) + "\">");
            if (g.isNew()) {
                out.print("<failure type=\"" + g.kind() + "\" message=\"new finding, not in the baseline\">"
                        + xml(describe(g.finding())) + "</failure>");
            } else {
                out.print("<skipped message=\"in the baseline (" + xml(baseline + ":" + g.baselineLine()) + ")\"/>");
            }
            out.println("</testcase>");
        }
        for (CheckFindings.Stale s : r.stale()) {
            out.println("    <testcase classname=\"lockscope.baseline\" name=\"stale: " + xml(s.identity())
                    + "\"><system-out>" + xml(baseline + ":" + s.line() + ": no such finding in this run")
                    + "</system-out></testcase>");
        }
        out.println("  </testsuite>");
        out.println("</testsuites>");
        out.flush();
    }

    /** One line about a finding: what, where first seen, how often. */
    public static String describe(Finding f) {
        if (f instanceof Finding.CircularDependency c) {
            return c.verdict() + ": " + String.join(" -> ", c.classes()) + " -> " + c.classes().get(0) + "; closed"
                    + at(c.edges().get(c.edges().size() - 1).witness());
        }
        if (f instanceof Finding.Recursion x) {
            return (x.sameInstance() ? "recursive locking of " : "nested acquisition of ") + x.cls() + " ("
                    + Finding.modeName(x.held().read()) + " then " + Finding.modeName(x.read()) + ")" + at(x.witness())
                    + ", seen " + times(x.count());
        }
        if (f instanceof Finding.IrqInconsistent x) {
            return "inconsistent lock state of " + x.cls() + ": " + x.from() + " then " + x.to() + at(x.toWitness());
        }
        if (f instanceof Finding.IrqOrder x) {
            return x.state() + "-safe " + x.safe() + " -> " + x.state() + "-unsafe " + x.unsafe() + at(x.unsafeWitness());
        }
        if (f instanceof Finding.BadUnlock x) {
            return "bad unlock balance of " + x.cls() + at(x.witness()) + " (acquired at line " + x.acquireLine()
                    + ", released at line " + x.earlierReleaseLine() + "), seen " + times(x.count());
        }
        return f.identity();
    }

    private static String at(Witness w) {
        return w == null ? "" : " at line " + w.line() + " by " + w.task();
    }

    private static String times(long n) {
        return n == 1 ? "1 time" : n + " times";
    }

    private static String plural(int n, String one) {
        return plural(n, one, one + "s");
    }

    private static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    static String xml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(ch < 0x20 && ch != '\n' && ch != '\t' ? '?' : ch);
            }
        }
        return sb.toString();
    }
}
