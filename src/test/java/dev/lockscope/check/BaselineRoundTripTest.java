package dev.lockscope.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockscope.cli.GoldenTest;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check's baseline through the CLI: created, accepted, kept with its reasons, pruned, never written unasked. */
class BaselineRoundTripTest {
    static final String ABBA = "src/test/resources/traces/abba.trace";
    static final String REC = "src/test/resources/traces/recursion.trace";

    static String[] check(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "check";
        System.arraycopy(args, 0, all, 1, args.length);
        return GoldenTest.run(new ByteArrayInputStream(new byte[0]), all);
    }

    @Test
    void roundTrip(@TempDir Path dir) throws Exception {
        Path b = dir.resolve("baseline.txt");
        // first run: every finding is new, and the file is not created without --update-baseline
        String[] r = check("--baseline", b.toString(), ABBA, REC);
        assertEquals("3", r[0], r[2]);
        assertFalse(Files.exists(b));
        assertEquals("4", check(ABBA, REC)[0]);

        r = check("--baseline", b.toString(), "--update-baseline", ABBA, REC);
        assertEquals("0", r[0], r[2]);
        assertEquals("lockscope: " + b + ": 4 added, 0 stale removed\n", r[2]);
        List<String> ids = Files.readAllLines(b).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(List.of("cycle:&dev->lock_a &dev->lock_b", "recursion:&inode->i_lock W->W",
                "nested:&ei->i_data_sem W->W", "unbalanced:&q->queue_lock"), ids);

        // the same run again passes and leaves the file as it was
        String before = Files.readString(b);
        r = check("--baseline", b.toString(), ABBA, REC);
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("4 findings (0 new, 4 in baseline), 0 stale baseline entries"), r[1]);
        assertEquals(before, Files.readString(b));

        // a user's reasons survive an update; findings that are gone are reported stale, then pruned
        Files.writeString(b, before.replace("cycle:&dev->lock_a &dev->lock_b", "# ticket 42\ncycle:&dev->lock_a &dev->lock_b  # fix queued"));
        r = check("--baseline", b.toString(), ABBA);
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("3 stale baseline entries"), r[1]);
        assertTrue(r[1].contains("stale unbalanced:&q->queue_lock"), r[1]);
        r = check("--baseline", b.toString(), "--update-baseline", ABBA);
        assertEquals("0", r[0], r[2]);
        assertEquals(Baseline.HEADER + "# ticket 42\ncycle:&dev->lock_a &dev->lock_b  # fix queued\n", Files.readString(b));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
        // and the pruned findings are new again
        assertEquals("4", check("--baseline", b.toString(), ABBA, REC)[0]);
    }

    @Test
    void identityIgnoresReasonsAndBlankLines() {
        Baseline b = new Baseline(List.of("", "  # why", "cycle:a b  # because", "cycle:a b", "\tnested:x W->W\t#t"));
        assertEquals(List.of("cycle:a b", "nested:x W->W"), List.copyOf(b.entries().keySet()));
        assertEquals(3, b.entries().get("cycle:a b"));
    }
}
