package dev.lockscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockscope.trace.ReadStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The progress line: only at a terminal (forced here), never under --quiet, erased at the end. */
class ProgressTest {
    @AfterEach
    void unforce() {
        System.clearProperty(Progress.FORCE_TTY);
    }

    @Test
    void atATerminalTheLineIsDrawnAndErased() throws Exception {
        System.setProperty(Progress.FORCE_TTY, "true");
        StringWriter sw = new StringWriter();
        ReadStats st = new ReadStats();
        st.bytes = 12_500_000;
        st.lockEvents = 3_000_000;
        Progress p = Progress.start(false, new PrintWriter(sw), () -> st, () -> "big.trace", 0);
        Thread.sleep(600);
        p.close();
        String out = sw.toString();
        assertTrue(out.startsWith("\r\u001b[Klockscope: reading big.trace: 12.5 MB, "), out);
        assertTrue(out.contains(" M lock events/s"), out);
        assertTrue(out.endsWith("\r\u001b[K"), "erased when reading ends: " + out);
    }

    @Test
    void notBeforeTheDelay() throws Exception {
        System.setProperty(Progress.FORCE_TTY, "true");
        StringWriter sw = new StringWriter();
        Progress p = Progress.start(false, new PrintWriter(sw), ReadStats::new, () -> "fast.trace", 1000);
        Thread.sleep(100);
        p.close();
        assertEquals("", sw.toString(), "an input read within a second shows nothing");
    }

    @Test
    void quietOrNoTerminalShowsNothing() {
        System.setProperty(Progress.FORCE_TTY, "true");
        assertNull(Progress.start(true, new PrintWriter(new StringWriter()), ReadStats::new, () -> "x", 0));
        System.setProperty(Progress.FORCE_TTY, "false");
        assertNull(Progress.start(false, new PrintWriter(new StringWriter()), ReadStats::new, () -> "x", 0));
    }

    @Test
    void theLineSaysMegabytesAndEventsPerSecond() {
        assertEquals("lockscope: reading t: 2.0 MB, 1.50 M lock events/s", Progress.line("t", 2_000_000, 3_000_000, 2_000_000_000L));
    }
}
