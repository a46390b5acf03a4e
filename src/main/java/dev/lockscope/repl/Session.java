package dev.lockscope.repl;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.EventWindow;
import dev.lockscope.analysis.GraphIndex;
import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.cli.ExitCode;
import dev.lockscope.cli.UserError;
import dev.lockscope.trace.InputProblem;
import dev.lockscope.trace.ReadStats;
import dev.lockscope.trace.TraceFormatException;
import dev.lockscope.trace.TraceSource;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What the REPL has loaded: the traces, the window they were read through, and the engine's
 * graph with its analysis. Loading replaces all of it at once, or nothing (a failed or
 * cancelled load keeps the previous state).
 */
final class Session {
    private final Supplier<TraceAnalysis> runs;
    private final PrintWriter out;
    private final boolean showTime;
    private List<TraceSource> sources = List.of();
    private EventWindow window = EventWindow.ALL;
    private Analysis analysis;
    private GraphIndex index;
    private boolean quit;

    /**
     * @param runs     a fresh, configured analysis run per load (class rules, --max-cycles, problems)
     * @param showTime print how long a load took (interactive only: scripts want stable output)
     */
    Session(Supplier<TraceAnalysis> runs, PrintWriter out, boolean showTime) {
        this.runs = runs;
        this.out = out;
        this.showTime = showTime;
    }

    void load(List<String> files) {
        List<TraceSource> srcs = files.stream().map(TraceSource::of).toList();
        if (srcs.stream().anyMatch(TraceSource::isStdin)) {
            throw new UserError(ExitCode.USAGE, "the repl cannot read a trace from standard input (-): give a file");
        }
        read(srcs, EventWindow.ALL);
    }

    void filter(EventWindow w) {
        requireLoaded();
        read(sources, w);
    }

    private void read(List<TraceSource> srcs, EventWindow w) {
        for (TraceSource s : srcs) {
            out.printf("loading %s%s%n", s.name(), w.isAll() ? "" : " (" + w.describe() + ")");
            out.flush();
        }
        long t0 = System.nanoTime();
        TraceAnalysis run = runs.get().window(w);
        Thread progress = showTime ? progress(run) : null;
        TraceAnalysis.Loaded loaded;
        try {
            loaded = run.load(srcs);
        } catch (InputProblem e) {
            if (Thread.interrupted()) {
                throw new UserError(ExitCode.INPUT, "load cancelled; still loaded: " + describe());
            }
            throw new UserError(ExitCode.INPUT, e.getMessage());
        } catch (TraceFormatException e) {
            throw new UserError(ExitCode.INPUT, e.getMessage() + " (--strict)");
        } finally {
            if (progress != null) {
                progress.interrupt();
                try {
                    progress.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        sources = srcs;
        window = w;
        analysis = loaded.analysis();
        index = new GraphIndex(loaded.engine());
        Analysis.GraphSummary g = analysis.graph();
        int cycles = analysis.cycles().size() + analysis.cyclesOmitted();
        out.printf(Locale.ROOT, "%d lock events, %d classes, %d dependencies, %d chains, %d cycle%s (%d deadlock%s)%s%n",
                analysis.engine().events(), g.classes(), g.dependencies(), g.chains(), cycles, cycles == 1 ? "" : "s",
                analysis.deadlocks(), analysis.deadlocks() == 1 ? "" : "s",
                showTime ? String.format(Locale.ROOT, " in %.1f s", (System.nanoTime() - t0) / 1e9) : "");
        if (analysis.read().malformedTotal > 0) {
            out.println("lockscope: skipped " + analysis.read().malformedTotal + " malformed line"
                    + (analysis.read().malformedTotal == 1 ? "" : "s") + " " + analysis.read().malformedByReason());
        }
    }

    /** At a terminal: "N MB read" on one self-overwriting line, twice a second, while a load runs. */
    private Thread progress(TraceAnalysis run) {
        Thread t = new Thread(() -> {
            int width = 0;
            try {
                while (true) {
                    Thread.sleep(500);
                    ReadStats st = run.reading();
                    if (st != null) {
                        String line = String.format(Locale.ROOT, "  %d MB, %d lines read", st.bytes >> 20, st.lines);
                        width = Math.max(width, line.length());
                        out.print("\r" + line);
                        out.flush();
                    }
                }
            } catch (InterruptedException e) {
                if (width > 0) {
                    out.print("\r" + " ".repeat(width) + "\r");
                    out.flush();
                }
            }
        }, "lockscope-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private String describe() {
        return sources.isEmpty() ? "nothing" : String.join(" ", sources.stream().map(TraceSource::name).toList())
                + (window.isAll() ? "" : " (" + window.describe() + ")");
    }

    private void requireLoaded() {
        if (index == null) {
            throw new UserError(ExitCode.USAGE, "no trace loaded (load FILE...)");
        }
    }

    GraphIndex index() {
        requireLoaded();
        return index;
    }

    Analysis analysis() {
        requireLoaded();
        return analysis;
    }

    /** The class names for completion; empty before a load. */
    GraphIndex indexOrNull() {
        return index;
    }

    EventWindow window() {
        return window;
    }

    /** The class id of {@code name}; a usage error naming the class when there is none. */
    int classId(String name) {
        int c = index().find(name);
        if (c < 0) {
            throw new UserError(ExitCode.USAGE, "no lock class " + name + " in " + describe()
                    + " (classes GLOB lists them; TAB completes them)");
        }
        return c;
    }

    void quit() {
        quit = true;
    }

    boolean quitting() {
        return quit;
    }
}
