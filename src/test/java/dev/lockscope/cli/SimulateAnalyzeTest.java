package dev.lockscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prediction: {@code simulate --seed N | analyze -} on runs that did NOT deadlock. For each seed
 * scenario, analyze must report the cycle (or recursion) of the buggy variant, which
 * {@code --explore} confirms as a real deadlock (golden sim-*-explore), and must not report it
 * for the fixed variant, except where the class-level cycle really remains (bcachefs).
 * The seeds are ones whose run ends without a deadlock; the test checks that too.
 */
class SimulateAnalyzeTest {

    /** Runs simulate, checks it ended as expected, then analyzes its trace; returns the report. */
    static String analyzeRun(String scenario, String variant, long seed, int simulateExit) {
        String[] sim = variant == null
                ? GoldenTest.run(new ByteArrayInputStream(new byte[0]), "simulate", scenario, "--seed", String.valueOf(seed))
                : GoldenTest.run(new ByteArrayInputStream(new byte[0]), "simulate", scenario, "--seed", String.valueOf(seed),
                        "--variant", variant);
        assertEquals(String.valueOf(simulateExit), sim[0], scenario + " seed " + seed + ": " + sim[2]);
        String[] an = GoldenTest.run(new ByteArrayInputStream(sim[1].getBytes(StandardCharsets.UTF_8)), "analyze", "-");
        assertEquals("0", an[0], an[2]);
        assertEquals("", an[2], "the simulator's trace has no malformed line");
        return an[1];
    }

    static String summary(String report) {
        return report.lines().skip(2).findFirst().orElse("");
    }

    @Test
    void bcachefsSelfCycleIsPredictedFromARunThatDidNotDeadlock() {
        String r = analyzeRun("samples/scenarios/bcachefs-dio-self.scn", null, 1, 0);
        assertEquals("1 circular dependency (1 deadlock), 0 recursive locking, 0 nested class acquisitions, 0 bad unlocks", summary(r));
        assertTrue(r.contains("&inode->ei_pagecache_lock -> &mm->mmap_lock: EN"), r);
        assertTrue(r.contains("&mm->mmap_lock -> &inode->ei_pagecache_lock: "), r);
    }

    @Test
    void bcachefsFixKeepsTheClassLevelCycleThatTheCrossScenarioTurnsIntoADeadlock() {
        // faults_disabled_mapping removes the self-deadlock (explore: none), but gup still takes
        // mmap_lock under the block-mode lock and faults still take add mode under mmap_lock:
        // lockdep's classes cannot tell inode A from inode B, and bcachefs-dio-cross shows why it is right.
        String r = analyzeRun("samples/scenarios/bcachefs-dio-self.scn", "fixed", 1, 0);
        assertEquals("1 circular dependency (1 deadlock), 0 recursive locking, 0 nested class acquisitions, 0 bad unlocks", summary(r));
    }

    @Test
    void bcachefsCrossCycleStaysUnderTheFix() {
        for (String v : new String[] {null, "fixed"}) {
            String r = analyzeRun("samples/scenarios/bcachefs-dio-cross.scn", v, 3, 0);
            assertTrue(summary(r).startsWith("1 circular dependency (1 deadlock)"), v + ": " + r);
            assertTrue(r.contains("&mm->mmap_lock -> &inode->ei_pagecache_lock"), r);
        }
    }

    @Test
    void stackedReclaimCycleThroughFsReclaimAndTheIoCompletionIsPredictedAndGoneUnderNofs() {
        String r = analyzeRun("samples/scenarios/stacked-reclaim.scn", null, 28, 0);
        assertEquals("1 circular dependency (1 deadlock), 0 recursive locking, 0 nested class acquisitions, 0 bad unlocks", summary(r));
        assertTrue(r.contains("&sb->s_type->i_mutex_key -> fs_reclaim: EN"), r);
        assertTrue(r.contains("&xfs_nondir_ilock_class -> (completion)&bp->b_iowait: EN"), r);
        String f = analyzeRun("samples/scenarios/stacked-reclaim.scn", "fixed", 28, 0);
        assertEquals("0 circular dependencies (0 deadlocks), 0 recursive locking, 0 nested class acquisitions, 0 bad unlocks", summary(f));
    }

    @Test
    void daxRecursionIsReportedFromTheTraceThatEndsAtTheDeadlockAndGoneWhenFixed() {
        // every run that takes the buffer_new branch deadlocks at once: there is no quiet run to
        // predict from, but lock_acquire is traced before the task waits, so the truncated trace shows it
        String r = analyzeRun("samples/scenarios/dax-pmd-fault.scn", null, 1, ExitCode.DEADLOCK);
        assertEquals("0 circular dependencies (0 deadlocks), 1 recursive locking, 0 nested class acquisitions, 0 bad unlocks", summary(r));
        assertTrue(r.contains("WARNING: possible recursive locking detected"), r);
        for (long seed = 1; seed <= 4; seed++) {
            String f = analyzeRun("samples/scenarios/dax-pmd-fault.scn", "fixed", seed, 0);
            assertEquals("0 circular dependencies (0 deadlocks), 0 recursive locking, 0 nested class acquisitions, 0 bad unlocks", summary(f));
        }
    }

    /** The lines of one task in a trace, without their prefix up to the event name. */
    static List<String> eventsOf(String trace, String task) {
        return trace.lines().filter(l -> l.strip().startsWith(task + " "))
                .map(l -> l.replaceFirst("^.*? \\d+\\.\\d{6}: ", "")).toList();
    }

    @Test
    void gfs2RunEmitsTheKernelsGlockEventText() {
        String[] sim = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "simulate", "samples/scenarios/gfs2-mmap-read.scn", "--seed", "2");
        assertEquals("0", sim[0], sim[2]);
        String t = sim[1];
        assertTrue(t.contains("          reader-100     [000] .....     0.000003: gfs2_glock_queue: 253,2 glock 2:4394 queue PR\n"), t);
        assertTrue(t.contains(": gfs2_glock_state_change: 253,2 glock 2:4394 state NL to PR tgt:PR dmt:EX flags:l\n"), t);
        assertTrue(t.contains("          reader-100     [000] .....     0.000009: gfs2_promote: 253,2 glock 2:4394 promote PR\n"), t);
        assertTrue(t.contains("          reader-100     [000] .....     0.000020: gfs2_glock_queue: 253,2 glock 2:4394 dequeue PR\n"), t);
        // node2 got the glock while this node held nothing: no demote callback in this run
        assertTrue(!t.contains("gfs2_demote_rq"), t);
        String[] d = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "simulate", "samples/scenarios/gfs2-mmap-read.scn", "--seed", "33");
        assertEquals(String.valueOf(ExitCode.DEADLOCK), d[0]);
        assertTrue(d[1].contains("           node2-102     [000] .....     0.000002: gfs2_demote_rq: 253,2 glock 2:4394 demote PR to NL flags:L remote\n"), d[1]);
    }

    @Test
    void theOwnFaultUnderTheGlockTakesMmapLockButNoSecondGlockHolder() {
        // gfs2_fault's "locked by me" test: while reader (SH) or writer (EX) holds the glock, its own
        // fault on the mapping of the same file emits mmap_lock's events and no glock event
        String[][] runs = {{"gfs2-mmap-read.scn", "reader-100", "PR"}, {"gfs2-mmap-write.scn", "writer-100", "EX"}};
        for (String[] run : runs) {
            String[] sim = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "simulate", "samples/scenarios/" + run[0], "--seed", "2");
            assertEquals("0", sim[0], sim[2]);
            List<String> ev = eventsOf(sim[1], run[1]);
            int queued = ev.indexOf("gfs2_glock_queue: 253,2 glock 2:4394 queue " + run[2]);
            int dequeued = ev.indexOf("gfs2_glock_queue: 253,2 glock 2:4394 dequeue " + run[2]);
            assertTrue(queued >= 0 && dequeued > queued, sim[1]);
            assertTrue(ev.subList(queued, dequeued).stream().anyMatch(e -> e.startsWith("lock_acquired: ") && e.endsWith(" &mm->mmap_lock")),
                    run[0] + ": in this run " + run[1] + " faults while it holds the glock\n" + sim[1]);
            assertEquals(4, ev.stream().filter(e -> e.startsWith("gfs2_")).count(),
                    run[0] + ": queue, state change, promote, dequeue and nothing else\n" + sim[1]);
        }
    }

    @Test
    void gfs2GlockMmapLockCycleIsPredictedFromAQuietRunAndGoneWhenFixed() {
        for (String sc : new String[] {"gfs2-mmap-read.scn", "gfs2-mmap-write.scn"}) {
            String r = analyzeRun("samples/scenarios/" + sc, null, 2, 0);
            // no recursive locking: the own fault under the glock queues no second holder
            assertEquals("1 circular dependency (1 deadlock), 0 recursive locking, 0 nested class acquisitions, 0 bad unlocks",
                    summary(r), sc + ": " + r);
            assertTrue(r.contains("-> #1 (glock:inode)") && r.contains("-> #0 (&mm->mmap_lock)"), r);
            // the fault's order, and the copy's (SN under read()'s SH holder, EN under write()'s EX)
            assertTrue(r.contains("&mm->mmap_lock -> glock:inode: SN, ") && r.contains("glock:inode -> &mm->mmap_lock: "
                    + (sc.contains("write") ? "EN, " : "SN, ")), r);
            for (long seed = 1; seed <= 3; seed++) {
                String f = analyzeRun("samples/scenarios/" + sc, "fixed", seed, 0);
                assertEquals("0 circular dependencies (0 deadlocks), 0 recursive locking, 0 nested class acquisitions, 0 bad unlocks",
                        summary(f), sc + " fixed, seed " + seed);
            }
        }
    }

    @Test
    void exploreWritesTheFirstDeadlockingScheduleAsATraceThatEndsAtTheDeadlock(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path out = dir.resolve("dead.trace");
        String[] x = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "simulate", "samples/scenarios/stacked-reclaim.scn",
                "--explore", "-o", out.toString());
        assertEquals(String.valueOf(ExitCode.DEADLOCK), x[0], x[2]);
        assertTrue(x[1].endsWith("the first deadlocking schedule's trace: " + out + "\n"), x[1]);
        String trace = java.nio.file.Files.readString(out);
        // the trace stops where tcmu-runner waits for its own IO: its last event is the wait's annotation
        String last = trace.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("tcmu-runner-101") && last.endsWith("lock_release: ffffffff82b00040 (completion)&bp->b_iowait"), last);
        String[] an = GoldenTest.run(new ByteArrayInputStream(trace.getBytes(StandardCharsets.UTF_8)), "analyze", "-");
        assertTrue(summary(an[1]).contains("1 recursive locking"), an[1]);
        String[] again = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "simulate", "samples/scenarios/stacked-reclaim.scn",
                "--explore", "-o", out.toString());
        assertEquals("2", again[0]);
        assertEquals("lockscope: " + out + ": exists; use --force to replace it\n", again[2]);
    }
}
