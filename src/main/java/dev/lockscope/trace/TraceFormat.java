package dev.lockscope.trace;

import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The input formats, and how an input's format is chosen: the one the user named, else the
 * file's extension (after {@code .gz}/{@code .xz}), else sniffing its first lines.
 */
public enum TraceFormat {
    /** ftrace text: /sys/kernel/tracing/trace or trace_pipe. */
    FTRACE("ftrace"),
    /** {@code trace-cmd report} output. */
    TRACE_CMD("trace-cmd"),
    /** {@code perf script} output of the lock tracepoints. */
    PERF("perf"),
    /** lockscope's CSV schema. */
    CSV("csv"),
    /** The same schema, tab-separated. */
    TSV("tsv"),
    /** RAPID's STD format of deadlock-prediction research. */
    STD("std");

    /** How many bytes sniffing looks at. */
    static final int SNIFF_BYTES = 1 << 14;

    private final String label;

    TraceFormat(String label) {
        this.label = label;
    }

    /** The name users give with {@code --input-format}. */
    public String label() {
        return label;
    }

    public static TraceFormat byLabel(String s) {
        for (TraceFormat f : values()) {
            if (f.label.equalsIgnoreCase(s)) {
                return f;
            }
        }
        return null;
    }

    public static String labels() {
        StringBuilder sb = new StringBuilder();
        for (TraceFormat f : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f.label);
        }
        return sb.toString();
    }

    /** The format a file name's extension names, or null: .csv .tsv .std .perf .ftrace (under .gz/.xz). */
    public static TraceFormat byExtension(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        } else if (n.endsWith(".xz")) {
            n = n.substring(0, n.length() - 3);
        }
        int dot = n.lastIndexOf('.');
        if (dot < 0 || n.indexOf('/', dot) >= 0) {
            return null;
        }
        return switch (n.substring(dot + 1)) {
            case "csv" -> CSV;
            case "tsv" -> TSV;
            case "std" -> STD;
            case "perf" -> PERF;
            case "ftrace" -> FTRACE;
            default -> null;
        };
    }

    private static final Pattern FTRACE_EVENT =
            Pattern.compile("^\\s*\\S.*-\\d+\\s+(\\(\\s*[\\d-]+\\)\\s+)?\\[\\d+\\]\\s+(\\S{4,6}\\s+)?\\d+(\\.\\d+)?:\\s+[\\w:]+:.*");
    private static final Pattern PERF_EVENT =
            Pattern.compile("^\\s*\\S.*\\s\\d+(/\\d+)?\\s+\\[\\d+\\]\\s+\\d+\\.\\d+:\\s+(\\d+\\s+)?\\w+:\\w+:.*");
    private static final Pattern STD_EVENT = Pattern.compile("^[^|\\s]+\\|(acq|rel|r|w|fork|join|req)\\([^|]*\\)(\\|.*)?$");

    /**
     * The format the first lines of an input look like, or null. Reads at most
     * {@link #SNIFF_BYTES} and resets the stream (which must support mark).
     */
    public static TraceFormat sniff(InputStream in) throws IOException {
        in.mark(SNIFF_BYTES + 1);
        byte[] head = in.readNBytes(SNIFF_BYTES);
        in.reset();
        return sniff(new String(head, StandardCharsets.ISO_8859_1));
    }

    static TraceFormat sniff(String head) {
        if (head.isBlank()) {
            return FTRACE;
        }
        String[] lines = head.split("\r?\n", -1);
        int n = head.endsWith("\n") ? lines.length : lines.length - 1;
        n = Math.max(Math.min(n, 200), Math.min(lines.length, 1));
        for (int i = 0; i < n; i++) {
            String l = lines[i];
            String t = l.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("# tracer:") || t.startsWith("# entries-in-buffer")) {
                return FTRACE;
            }
            if (TraceCmdReader.isHeader(t)) {
                return TRACE_CMD;
            }
            if (t.startsWith("#")) {
                continue;
            }
            if (STD_EVENT.matcher(t).matches()) {
                return STD;
            }
            if (FTRACE_EVENT.matcher(l).matches()) {
                return FTRACE;
            }
            if (PERF_EVENT.matcher(l).matches()) {
                return PERF;
            }
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.contains("\t") && lower.matches(".*\\bop\\b.*") && lower.matches(".*\\btask\\b.*")) {
                return TSV;
            }
            if (lower.contains(",") && lower.matches(".*\\bop\\b.*") && lower.matches(".*\\btask\\b.*")) {
                return CSV;
            }
        }
        return null;
    }

    /** A reader of this format for one input. */
    public TraceReader reader(String source, Tasks tasks, ByteSymbols classes, EventSink sink, ReadStats stats,
                              Problems problems, boolean wholeTrace) {
        return switch (this) {
            case FTRACE -> new FtraceReader(source, tasks, classes, sink, stats, problems, wholeTrace);
            case TRACE_CMD -> new TraceCmdReader(new FtraceReader(source, tasks, classes, sink, stats, problems, wholeTrace));
            case PERF -> new PerfScriptReader(source, tasks, classes, sink, stats, problems);
            case CSV -> new DelimitedTraceReader(source, false, tasks, classes, sink, stats, problems);
            case TSV -> new DelimitedTraceReader(source, true, tasks, classes, sink, stats, problems);
            case STD -> new StdReader(source, tasks, classes, sink, stats, problems);
        };
    }

    /**
     * Chooses the format of an input: {@code explicit} if given, else its extension, else
     * sniffing; an input that fits none is an {@link InputProblem} naming the formats tried.
     */
    public static TraceFormat choose(TraceFormat explicit, TraceSource src, InputStream in)
            throws InputProblem, IOException {
        if (explicit != null) {
            return explicit;
        }
        if (!src.isStdin()) {
            TraceFormat f = byExtension(src.name());
            if (f != null) {
                return f;
            }
        }
        TraceFormat f = sniff(in);
        if (f == null) {
            throw new InputProblem(src.name() + ": unrecognised trace format (tried the extension, then the first "
                    + "lines as " + labels() + "); name it with --input-format");
        }
        return f;
    }
}
