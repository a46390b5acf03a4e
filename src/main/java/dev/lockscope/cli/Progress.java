package dev.lockscope.cli;

import dev.lockscope.trace.ReadStats;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A one-line progress display on standard error while traces are read: the input, megabytes
 * read and lock events per second, redrawn four times a second. Shown only when standard error
 * is a terminal, not under --quiet, and only once reading has taken longer than a second; the
 * line is erased when reading ends, so nothing of it stays in the terminal or reaches a file.
 */
final class Progress implements AutoCloseable {
    /** Tests force the terminal check with -Dlockscope.stderrTty=true|false. */
    static final String FORCE_TTY = "lockscope.stderrTty";

    private final PrintWriter err;
    private final Supplier<ReadStats> current;
    private final Supplier<String> name;
    private final long delayNanos;
    private final Thread thread;
    private volatile boolean done;
    private boolean shown;

    private Progress(PrintWriter err, Supplier<ReadStats> current, Supplier<String> name, long delayMillis) {
        this.err = err;
        this.current = current;
        this.name = name;
        this.delayNanos = delayMillis * 1_000_000L;
        this.thread = new Thread(this::loop, "lockscope-progress");
        thread.setDaemon(true);
    }

    /** Whether standard error is a terminal (Linux: fd 2 is a tty or pty). */
    static boolean stderrIsTerminal() {
        String forced = System.getProperty(FORCE_TTY);
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    /** A started display, or null when it must not be shown. */
    static Progress start(boolean quiet, PrintWriter err, Supplier<ReadStats> current, Supplier<String> name,
                          long delayMillis) {
        if (quiet || !stderrIsTerminal()) {
            return null;
        }
        Progress p = new Progress(err, current, name, delayMillis);
        p.thread.start();
        return p;
    }

    private void loop() {
        long t0 = System.nanoTime();
        try {
            Thread.sleep(delayNanos / 1_000_000L);
            while (!done) {
                ReadStats s = current.get();
                if (s != null) {
                    synchronized (this) {
                        if (!done) {
                            err.print("\r\u001b[K" + line(name.get(), s.bytes, s.lockEvents, System.nanoTime() - t0));
                            err.flush();
                            shown = true;
                        }
                    }
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The text of the line: name, megabytes read, lock events per second since the start. */
    static String line(String name, long bytes, long events, long nanos) {
        double s = Math.max(nanos, 1) / 1e9;
        return String.format(Locale.ROOT, "lockscope: reading %s: %.1f MB, %.2f M lock events/s", name, bytes / 1e6,
                events / s / 1e6);
    }

    @Override
    public void close() {
        done = true;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (shown) {
                err.print("\r\u001b[K");
                err.flush();
            }
        }
    }
}
