package dev.lockscope.trace;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code trace-cmd report} output. Its event lines are ftrace's ({@code comm-pid [cpu]
 * time: event: payload}, without the flags column unless {@code -l} was given, with raw
 * {@code 0x} pointers), so they go to the {@link FtraceReader}; what differs is trace-cmd's own
 * header before the first event ({@code version = 6}, {@code cpus=2}, {@code CPU 1 is empty},
 * {@code trace-cmd: ...}), which is turned into comment lines so that line numbers stay true.
 */
public final class TraceCmdReader implements TraceReader, dev.lockscope.model.StackSource {
    /** The header is searched for in this much of the input. */
    static final int PROLOGUE = 1 << 16;

    private final FtraceReader ftrace;

    public TraceCmdReader(FtraceReader ftrace) {
        this.ftrace = ftrace;
    }

    @Override
    public java.util.List<String> stackAt(long line) {
        return ftrace.stackAt(line);
    }

    @Override
    public void read(InputStream in) throws IOException, TraceFormatException, InputProblem {
        byte[] head = in.readNBytes(PROLOGUE);
        StringBuilder out = new StringBuilder(head.length + 64);
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int s = 0;
        boolean header = true;
        while (s < text.length()) {
            int nl = text.indexOf('\n', s);
            if (nl < 0) {
                // the last, maybe incomplete, line continues in the stream: pass it through as is
                out.append(text, s, text.length());
                break;
            }
            String line = text.substring(s, nl);
            if (header && isHeader(line.strip())) {
                out.append('#');
            } else if (!line.isBlank()) {
                header = false;
            }
            out.append(line).append('\n');
            s = nl + 1;
        }
        byte[] rewritten = out.toString().getBytes(StandardCharsets.ISO_8859_1);
        ftrace.read(new SequenceInputStream(new ByteArrayInputStream(rewritten), in));
    }

    /** A line of trace-cmd's header. */
    static boolean isHeader(String line) {
        return line.startsWith("cpus=") || line.startsWith("version =") || line.startsWith("version=")
                || line.startsWith("trace-cmd:") || (line.startsWith("CPU ") && line.endsWith(" is empty"))
                || line.startsWith("CPU:") && line.contains("is empty");
    }
}
