package dev.lockscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --svg renders through Graphviz when it is installed, and says what is missing when it is not. */
class SvgTest {
    static final String TRACE = "src/test/resources/traces/abba.trace";

    @Test
    void rendersWithGraphviz(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(SvgRenderer.available(), "Graphviz dot is not installed: rendering not tested");
        Path svg = dir.resolve("g.svg");
        String[] r = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "analyze", "--svg", svg.toString(), TRACE);
        assertEquals("0", r[0], r[2]);
        String s = Files.readString(svg);
        assertTrue(s.contains("<svg") && s.contains("&amp;dev&#45;&gt;lock_a"), s);
    }

    @Test
    void withoutGraphvizExitsThreeBeforeReading(@TempDir Path dir) {
        Assumptions.assumeFalse(SvgRenderer.available(), "Graphviz dot is installed");
        Path svg = dir.resolve("g.svg");
        String[] r = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "analyze", "--svg", svg.toString(), TRACE);
        assertEquals("3", r[0]);
        assertEquals("lockscope: --svg needs Graphviz's dot on PATH (e.g. apt-get install graphviz); --format dot "
                + "writes the DOT text without it\n", r[2]);
        assertFalse(Files.exists(svg));
    }
}
