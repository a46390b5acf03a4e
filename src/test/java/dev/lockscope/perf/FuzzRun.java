package dev.lockscope.perf;

import dev.lockscope.trace.Fuzz;
import dev.lockscope.trace.TraceFormat;
import java.util.Locale;

/**
 * The long fuzz run (not part of the test suite): N generated corrupt inputs spread over every
 * reader, seeded, so a failure is reproducible. Arguments: N [seed] [huge] (huge: also lines over
 * the readers' 1 MiB limit, slow). Run:
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.lockscope.perf.FuzzRun -Dexec.args=1000000}
 */
public final class FuzzRun {
    private FuzzRun() {
    }

    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 20261121L;
        TraceFormat[] formats = TraceFormat.values();
        Fuzz fuzz = new Fuzz(seed, args.length > 2 && args[2].equals("huge"));
        Fuzz.Harness h = new Fuzz.Harness();
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            TraceFormat f = formats[(int) (i % formats.length)];
            h.run(f, fuzz.input(f), f + " #" + i + " seed " + seed);
            if ((i + 1) % 100_000 == 0) {
                System.out.printf(Locale.ROOT, "  %d inputs, %.1f s%n", i + 1, (System.nanoTime() - t0) / 1e9);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "fuzz: %d inputs (%d per format), %d rejected lines, %d lock events, "
                + "no exception escaped, %.1f s%n", h.inputs, n / formats.length, h.rejections, h.events, secs);
    }
}
