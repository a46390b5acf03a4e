package dev.lockscope.trace;

import dev.lockscope.model.Ctx;
import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes the events it receives as lockscope's CSV or TSV schema (see {@link DelimitedTraceReader})
 * or as ftrace-like text that {@link FtraceReader} reads back: what {@code lockscope convert}
 * produces. Fork/join have a CSV/TSV form ({@code op} fork or join, the child task in {@code lock})
 * and no ftrace form: they are counted in {@link #dropped()}.
 */
public final class TraceWriter implements EventSink {
    /** What to write. */
    public enum Target { CSV, TSV, FTRACE }

    private final Writer out;
    private final Target target;
    private final ByteSymbols classes;
    private Tasks tasks;
    private long written;
    private long dropped;
    private final StringBuilder line = new StringBuilder(256);

    public TraceWriter(Writer out, Target target, ByteSymbols classes) {
        this.out = out;
        this.target = target;
        this.classes = classes;
    }

    /** The header: the column names, or ftrace's tracer line. */
    public void header() throws IOException {
        if (target == Target.FTRACE) {
            out.write("# tracer: nop\n#\n# written by lockscope convert\n#\n");
        } else {
            out.write(String.join(target == Target.CSV ? "," : "\t", DelimitedTraceReader.COLUMNS));
            out.write('\n');
        }
    }

    /** The next input's tasks. */
    public void input(Tasks inputTasks) {
        this.tasks = inputTasks;
    }

    public long written() {
        return written;
    }

    public long dropped() {
        return dropped;
    }

    @Override
    public void acquire(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls, boolean trylock,
                        boolean read) {
        event(trylock ? "try" : "acquire", task, cpu, ctx, timeNs, addr, cls, read, trylock);
    }

    @Override
    public void release(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls) {
        event("release", task, cpu, ctx, timeNs, addr, cls, false, false);
    }

    @Override
    public void contended(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls) {
        event("contended", task, cpu, ctx, timeNs, addr, cls, false, false);
    }

    @Override
    public void acquired(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls) {
        event("acquired", task, cpu, ctx, timeNs, addr, cls, false, false);
    }

    @Override
    public void lostEvents(int cpu, long count, long line) {
        this.line.setLength(0);
        if (target == Target.FTRACE) {
            this.line.append("CPU:").append(cpu).append(" [LOST ").append(count).append(" EVENTS]");
        } else {
            row("", "", Integer.toString(cpu), "lost", Long.toString(count), "", "", "");
        }
        emit();
    }

    @Override
    public void fork(int parent, int child, long timeNs, long line) {
        order("fork", parent, child, timeNs);
    }

    @Override
    public void join(int parent, int child, long timeNs, long line) {
        order("join", parent, child, timeNs);
    }

    private void order(String op, int parent, int child, long timeNs) {
        if (target == Target.FTRACE) {
            dropped++;
            return;
        }
        line.setLength(0);
        row(Timestamps.format(timeNs), tasks.label(parent), "0", op, tasks.label(child), "", "", "");
        emit();
    }

    private void event(String op, int task, int cpu, int ctx, long timeNs, long addr, int cls, boolean read,
                       boolean trylock) {
        line.setLength(0);
        String lock = addr == 0 ? "" : "0x" + Long.toHexString(addr);
        if (target == Target.FTRACE) {
            line.append(tasks.label(task)).append(" [").append(String.format(java.util.Locale.ROOT, "%03d", cpu))
                    .append("] ");
            if ((ctx & Ctx.KNOWN) != 0) {
                line.append(flags(ctx)).append(' ');
            }
            line.append(Timestamps.format(timeNs)).append(": lock_").append(op.equals("try") ? "acquire" : op)
                    .append(": ").append(addr == 0 ? "(____ptrval____)" : Long.toHexString(addr)).append(' ');
            if (trylock) {
                line.append("try ");
            }
            if (read) {
                line.append("read ");
            }
            line.append(classes.name(cls));
        } else {
            row(Timestamps.format(timeNs), tasks.label(task), Integer.toString(cpu), op, lock, classes.name(cls),
                    read ? "read" : "write", DelimitedTraceReader.ctxWords(ctx));
        }
        emit();
    }

    /** ftrace's flags column for a context: irqs-off/BH-off, then the hardirq/softirq/NMI character. */
    private static String flags(int ctx) {
        char off = (ctx & Ctx.HARDIRQS_OFF) != 0 ? ((ctx & Ctx.SOFTIRQS_OFF) != 0 ? 'D' : 'd')
                : (ctx & Ctx.SOFTIRQS_OFF) != 0 ? 'b' : '.';
        char irq;
        if ((ctx & Ctx.NMI) != 0) {
            irq = (ctx & Ctx.HARDIRQ) != 0 ? 'Z' : 'z';
        } else {
            irq = switch (ctx & Ctx.IRQ_MASK) {
                case Ctx.HARDIRQ -> 'h';
                case Ctx.SOFTIRQ -> 's';
                case Ctx.HARDIRQ_IN_SOFTIRQ -> 'H';
                default -> '.';
            };
        }
        return "" + off + '.' + irq + "..";
    }

    private void row(String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.append(target == Target.CSV ? ',' : '\t');
            }
            line.append(target == Target.CSV ? csv(fields[i]) : tsv(fields[i]));
        }
    }

    private static String csv(String f) {
        boolean quote = !f.isEmpty() && (f.charAt(0) == ' ' || f.charAt(f.length() - 1) == ' ' || f.charAt(0) == '#');
        for (int i = 0; i < f.length() && !quote; i++) {
            char c = f.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + f.replace("\"", "\"\"") + '"' : f;
    }

    private static String tsv(String f) {
        if (f.indexOf('\t') < 0 && f.indexOf('\\') < 0 && f.indexOf('\n') < 0 && f.indexOf('\r') < 0) {
            return f;
        }
        return f.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private void emit() {
        line.append('\n');
        try {
            out.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written++;
    }
}
