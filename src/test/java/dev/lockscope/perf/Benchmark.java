package dev.lockscope.perf;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.graph.ClassRules;
import dev.lockscope.graph.GraphBuilder;
import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import dev.lockscope.trace.FtraceReader;
import dev.lockscope.trace.ReadStats;
import dev.lockscope.trace.TraceSource;
import dev.lockscope.util.ByteSymbols;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * lockscope's throughput benchmark (not a test): {@code src/bench/bench.sh} or {@code mvn -Pbench verify}.
 * Arguments: capture, events, trace file, and what to run: {@code all}, {@code e2e} or {@code engine}.
 *
 * <ol>
 *   <li>Builds a trace of at least N lock events (default 10 M) by replaying a real capture
 *       again and again, each copy with its pids shifted and its timestamps moved past the
 *       previous copy, so every copy is new tasks on a timeline that keeps going.</li>
 *   <li>End to end: lockscope's own reader and engine over that file, then the analysis, as
 *       {@code lockscope analyze} runs them; events/s and peak heap (run the JVM with -Xmx256m to
 *       prove the bound).</li>
 *   <li>The engine alone: the events of one copy parsed once into primitive arrays, then replayed
 *       into one engine several times; after the first pass every chain is a cache hit.</li>
 * </ol>
 */
public final class Benchmark {
    public static void main(String[] args) throws Exception {
        Path source = Path.of(args.length > 0 ? args[0] : "../shared/traces/kernel-6.1/fs/traces/f_mix_concurrent.trace.xz");
        long target = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        Path big = Path.of(args.length > 2 ? args[2] : "target/bench/replayed.trace");
        String only = args.length > 3 ? args[3] : "all";
        if (only.equals("engine")) {
            engineAlone(source);
            return;
        }
        Files.createDirectories(big.toAbsolutePath().getParent());
        long events = generate(source, target, big);
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, Java %s, max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "trace: %s, %d lock events, %.0f MB, replayed from %s%n", big, events,
                Files.size(big) / 1e6, source.getFileName());
        for (int run = 1; run <= 3; run++) {
            long t0 = System.nanoTime();
            Analysis a = new TraceAnalysis(ClassRules.defaults(), 100, (s, l, r) -> { }, System.in)
                    .run(List.of(TraceSource.of(big.toString())));
            long t1 = System.nanoTime();
            double secs = (t1 - t0) / 1e9;
            System.out.printf(Locale.ROOT, "end-to-end run %d: %.2f s, %.2f M events/s, %.0f MB/s, read+engine %.2f s, "
                            + "analysis %.3f s, %d classes, %d dependencies, %d chains, hit rate %.3f%%, peak heap %d MiB%n",
                    run, secs, a.engine().events() / secs / 1e6, Files.size(big) / secs / 1e6,
                    a.timing().readNanos() / 1e9, a.timing().analysisNanos() / 1e9, a.graph().classes(),
                    a.graph().dependencies(), a.graph().chains(),
                    100.0 * a.engine().chainHits / Math.max(1, a.engine().chainHits + a.engine().chainMisses),
                    a.timing().peakHeapBytes() >> 20);
        }
        if (only.equals("all")) {
            engineAlone(source);
        }
    }

    /** Writes copies of the capture's event lines, pids shifted by 100000 per copy, time shifted past the previous copy. */
    static long generate(Path source, long target, Path out) throws Exception {
        List<String> lines = new ArrayList<>();
        long perCopy = 0;
        double first = -1;
        double last = 0;
        try (InputStream in = TraceSource.of(source.toString()).open(System.in);
             BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1))) {
            String l;
            while ((l = br.readLine()) != null) {
                if (l.startsWith("#") || l.startsWith("\t")) {
                    continue;
                }
                int c = l.indexOf(": ");
                int ts = l.lastIndexOf(' ', c - 1);
                if (c < 0 || ts < 0) {
                    continue;
                }
                double t = Double.parseDouble(l.substring(ts + 1, c));
                if (first < 0) {
                    first = t;
                }
                last = t;
                lines.add(l);
                if (l.contains(": lock_")) {
                    perCopy++;
                }
            }
        }
        double span = last - first + 0.001;
        long copies = (target + perCopy - 1) / perCopy;
        if (Files.exists(out) && Files.size(out) > 0) {
            return copies * perCopy;
        }
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            os.write(("# tracer: nop\n#\n# entries-in-buffer/entries-written: " + copies * lines.size() + "/"
                    + copies * lines.size() + "   #P:2\n#\n").getBytes(StandardCharsets.ISO_8859_1));
            StringBuilder sb = new StringBuilder(256);
            for (int k = 0; k < copies; k++) {
                for (String l : lines) {
                    int lb = l.indexOf(" [");
                    int dash = l.lastIndexOf('-', lb);
                    String pidStr = l.substring(dash + 1, lb).strip();
                    int pid = Integer.parseInt(pidStr);
                    int c = l.indexOf(": ");
                    int ts = l.lastIndexOf(' ', c - 1);
                    double t = Double.parseDouble(l.substring(ts + 1, c)) + k * span;
                    sb.setLength(0);
                    sb.append(l, 0, dash + 1).append(pid == 0 ? 0 : pid + 100_000 * k).append(l, lb, ts + 1)
                            .append(String.format(Locale.ROOT, "%.6f", t)).append(l, c, l.length()).append('\n');
                    os.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        }
        return copies * perCopy;
    }

    /**
     * Parsed events, replayed without the parser: one row of four longs per event (task and class;
     * address; time; kind, cpu and context), so the replay reads one sequential stream and the
     * engine's own work dominates what is timed.
     */
    static final class Recorded implements EventSink {
        int n;
        long[] rows = new long[4 << 20];

        private void add(int k, int t, int c, int x, long ts, long a, int cl) {
            if (4 * n == rows.length) {
                rows = java.util.Arrays.copyOf(rows, rows.length * 2);
            }
            int r = 4 * n++;
            rows[r] = (t & 0xffffffffL) | (long) cl << 32;
            rows[r + 1] = a;
            rows[r + 2] = ts;
            rows[r + 3] = k | (long) (c & 0xffffff) << 8 | (long) x << 32;
        }

        public void acquire(int t, int c, int x, long ts, long line, long a, int cl, boolean trylock, boolean read) {
            add((trylock ? 1 : 0) | (read ? 2 : 0), t, c, x, ts, a, cl);
        }

        public void release(int t, int c, int x, long ts, long line, long a, int cl) {
            add(4, t, c, x, ts, a, cl);
        }

        public void contended(int t, int c, int x, long ts, long line, long a, int cl) {
            add(5, t, c, x, ts, a, cl);
        }

        public void acquired(int t, int c, int x, long ts, long line, long a, int cl) {
            add(6, t, c, x, ts, a, cl);
        }

        public void lostEvents(int c, long count, long line) {
        }

        void replay(EventSink s) {
            long[] rw = rows;
            for (int i = 0, r = 0; i < n; i++, r += 4) {
                long tc = rw[r];
                long a = rw[r + 1];
                long ts = rw[r + 2];
                long kx = rw[r + 3];
                int t = (int) tc;
                int cl = (int) (tc >>> 32);
                int k = (int) kx & 0xff;
                int c = (int) kx >>> 8;
                int x = (int) (kx >>> 32);
                if (k < 4) {
                    s.acquire(t, c, x, ts, i, a, cl, (k & 1) != 0, (k & 2) != 0);
                } else if (k == 4) {
                    s.release(t, c, x, ts, i, a, cl);
                } else if (k == 5) {
                    s.contended(t, c, x, ts, i, a, cl);
                } else {
                    s.acquired(t, c, x, ts, i, a, cl);
                }
            }
        }
    }

    static void engineAlone(Path source) throws Exception {
        ByteSymbols classes = new ByteSymbols();
        Tasks tasks = new Tasks();
        Recorded rec = new Recorded();
        try (InputStream in = TraceSource.of(source.toString()).open(System.in)) {
            new FtraceReader(source.toString(), tasks, classes, rec, new ReadStats(), (s, l, r) -> { }).read(in);
        }
        GraphBuilder engine = new GraphBuilder(tasks, classes, ClassRules.defaults());
        rec.replay(engine); // first pass: validates every chain
        long misses = engine.stats().chainMisses;
        // JIT warm-up as JMH would do it, then rounds of 20 passes each, timed one by one
        int passes = 20;
        for (int p = 0; p < 5 * passes; p++) {
            rec.replay(engine);
        }
        int rounds = 10;
        double[] ns = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int p = 0; p < passes; p++) {
                rec.replay(engine);
            }
            ns[r] = (System.nanoTime() - t0) / ((double) rec.n * passes);
        }
        StringBuilder all = new StringBuilder("engine rounds, ns/event:");
        for (double x : ns) {
            all.append(String.format(Locale.ROOT, " %.2f", x));
        }
        System.out.println(all);
        double[] sorted = ns.clone();
        java.util.Arrays.sort(sorted);
        double median = (sorted[rounds / 2 - 1] + sorted[rounds / 2]) / 2;
        System.out.printf(Locale.ROOT, "engine alone: %d events x %d passes x %d rounds after %d warm-up passes: "
                        + "median %.1f M events/s (%.1f ns/event), best %.1f M events/s, worst %.1f M events/s; "
                        + "chain misses after the first pass: %d%n", rec.n, passes, rounds, 5 * passes,
                1000 / median, median, 1000 / sorted[0], 1000 / sorted[rounds - 1],
                engine.stats().chainMisses - misses);
    }
}
