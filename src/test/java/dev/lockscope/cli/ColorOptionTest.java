package dev.lockscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/** --color and NO_COLOR, with the terminal forced on or off. */
class ColorOptionTest {
    @Test
    void autoNeedsATerminalAndNoNoColor() {
        assertTrue(ColorOption.decide(ColorOption.Mode.auto, null, true).on());
        assertTrue(ColorOption.decide(ColorOption.Mode.auto, "", true).on());
        assertFalse(ColorOption.decide(ColorOption.Mode.auto, "1", true).on());
        assertFalse(ColorOption.decide(ColorOption.Mode.auto, null, false).on());
        assertTrue(ColorOption.decide(ColorOption.Mode.always, "1", false).on());
        assertFalse(ColorOption.decide(ColorOption.Mode.never, null, true).on());
    }

    @Test
    void alwaysColoursTheVerdictAndNeverDoesNot() {
        String[] r = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "check", "--color=always",
                "src/test/resources/traces/abba.trace");
        assertEquals("4", r[0]);
        assertTrue(r[1].contains("\u001b[1;31mNEW  \u001b[0m cycle:&dev->lock_a &dev->lock_b"), r[1]);
        assertTrue(r[1].contains("\u001b[1;31mFAILED\u001b[0m: 1 new finding"), r[1]);
        r = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "check", "--color=never",
                "src/test/resources/traces/abba.trace");
        assertFalse(r[1].contains("\u001b["), r[1]);
    }

    @Test
    void analyzeColoursWarningsNotesAndDeadlocksOnly() {
        String[] plain = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "analyze", "--color=never",
                "src/test/resources/traces/aliased.trace", "src/test/resources/traces/abba.trace");
        String[] r = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "analyze", "--color=always",
                "src/test/resources/traces/aliased.trace", "src/test/resources/traces/abba.trace");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("\n\u001b[1;31mWARNING: possible circular locking dependency detected\u001b[0m\n"), r[1]);
        assertTrue(r[1].contains("\n\u001b[1;31m *** DEADLOCK ***\u001b[0m\n"), r[1]);
        assertTrue(r[1].contains("\n\u001b[33mNOTE: circular dependency between lock names"), r[1]);
        assertEquals(plain[1], r[1].replaceAll("\u001b\\[[0-9;]*m", ""), "only colour is added");
        assertFalse(plain[1].contains("\u001b["));
    }
}
