package dev.lockscope.trace;

import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/** Reads inputs of any format and writes their lock events in one target format (lockscope convert). */
public final class TraceConversion {
    private TraceConversion() {
    }

    /** What a conversion read and wrote. */
    public record Result(ReadStats read, long written, long dropped) {
    }

    public static Result run(List<TraceSource> sources, TraceFormat inputFormat, TraceWriter.Target target, Writer out,
                             Problems problems, InputStream stdin) throws InputProblem, TraceFormatException, IOException {
        ByteSymbols classes = new ByteSymbols();
        TraceWriter writer = new TraceWriter(out, target, classes);
        ReadStats total = new ReadStats();
        writer.header();
        for (TraceSource src : sources) {
            Tasks tasks = new Tasks();
            writer.input(tasks);
            ReadStats stats = new ReadStats();
            try (InputStream in = src.open(stdin)) {
                TraceFormat.choose(inputFormat, src, in).reader(src.name(), tasks, classes, writer, stats, problems, true)
                        .read(in);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (IOException e) {
                throw new InputProblem(src.name() + ": read error: " + e.getMessage(), e);
            }
            total.add(stats);
        }
        out.flush();
        return new Result(total, writer.written(), writer.dropped());
    }
}
