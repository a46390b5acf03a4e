package dev.lockscope.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockscope.TraceRun;
import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.Finding;
import dev.lockscope.model.Witness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Events beyond lockdep's lock_*: gfs2 glock holders, mmap_lock tracepoints, contention
 * tracepoints, kernel stack traces and might_lock annotations; and the irq-safety checks.
 */
class KernelEventsTest {

    @Test
    void glockHoldersAreQueuedPromotedAndDequeuedByTheTaskThatQueued() throws Exception {
        TraceRun r = TraceRun.resource("glock.trace");
        // the glock's own spinlock is dropped before the holder waits: no gl_lockref.lock -> glock edge
        assertEquals(Map.of("&mm->mmap_lock -> glock:inode", "SN", "glock:inode -> &mm->mmap_lock", "SN"), r.edges());
        // the promote ran in a kworker, yet the holder is the reader: the kworker holds nothing
        assertEquals(4, r.engine.stats().acquired);
        Finding.CircularDependency c = r.analysis.cycles().get(0);
        assertEquals(List.of("glock:inode", "&mm->mmap_lock"), c.classes());
        assertEquals("deadlock", c.verdict());
        assertEquals("reader", c.edges().get(0).witness().comm());
        assertEquals("faulter", c.edges().get(1).witness().comm());
        assertEquals(0x607001200000112aL, c.edges().get(0).fromAddr());
        // iopen holders belong to the inode, not the task
        assertEquals(1, r.stats.glockObjectHolds);
    }

    @Test
    void aRemoteDemoteAgainstALocalHolderIsReportedWithTheHoldersStack() throws Exception {
        Analysis a = TraceRun.resource("glock.trace").analysis;
        assertEquals(1, a.remoteDemotes().size());
        Finding.RemoteDemote d = a.remoteDemotes().get(0);
        assertEquals("glock:inode", d.cls());
        assertEquals("reader", d.witness().comm());
        assertEquals(List.of("glock:inode", "&mm->mmap_lock"), d.witness().held().stream().map(h -> h.cls()).toList());
        assertEquals(9, d.witness().line());
    }

    @Test
    void aProductionKernelTraceWithoutLockdepStillShowsTheGlockMmapLockCycle() throws Exception {
        TraceRun r = TraceRun.resource("production.trace");
        assertEquals(Map.of("&mm->mmap_lock -> glock:inode", "SN", "glock:inode -> &mm->mmap_lock", "SN"), r.edges());
        assertEquals(1, r.analysis.deadlocks());
        // start_locking .. acquire_returned(success=true) is one acquisition; a trylock has no
        // start_locking; success=false gives up (an acquire and a release, never granted)
        assertEquals(5, r.engine.stats().acquires);
        assertEquals(1, r.engine.stats().trylocks);
        assertEquals(0, r.engine.heldAtEnd());
    }

    @Test
    void contentionAddressesAreNamedByTheTraceBySymbolsOrMarkedUnnamed() throws Exception {
        TraceRun r = TraceRun.resource("production.trace");
        List<Analysis.ContentionRow> rows = r.analysis.contention();
        assertEquals(List.of("&mm->mmap_lock", "(unnamed mutex ffffffff82a0c6c0)", "(unnamed rwsem:R ffff888100c00000)"),
                rows.stream().map(Analysis.ContentionRow::cls).sorted().toList());
        assertEquals(10_000, rows.stream().filter(x -> x.cls().equals("&mm->mmap_lock")).findFirst().orElseThrow().totalNs());
        assertTrue(rows.stream().filter(x -> x.cls().startsWith("(unnamed")).allMatch(Analysis.ContentionRow::unnamed));

        TraceRun named = TraceRun.resource("production.trace", ClassRules.defaults(),
                dev.lockscope.trace.SymbolsFile.read(java.nio.file.Path.of("src/test/resources/traces/symbols.txt")));
        assertTrue(named.analysis.contention().stream().anyMatch(x -> x.cls().equals("rtnl_mutex") && !x.unnamed()));
        assertEquals(1, named.analysis.contentionTotals().namedBySymbol);
    }

    @Test
    void mmapLockTracepointsOfALockdepKernelNeverCountTwice() throws Exception {
        TraceRun r = TraceRun.resource("mmap-lockdep.trace");
        assertEquals(2, r.engine.stats().acquires);
        assertEquals(Map.of("&mm->mmap_lock -> &mapping->i_mmap_rwsem", "SN"), r.edges());
        assertEquals(3, r.stats.mmapDuplicates);
        assertEquals(0, r.engine.heldAtEnd());
    }

    @Test
    void stackTracesAttachToTheirEventAndAZeroLengthMmapLockHoldIsAMightFault() throws Exception {
        TraceRun r = TraceRun.resource("stacks.trace");
        DependencyGraph g = r.engine.graph();
        int e = g.find(r.engine.classes().find("&sb->s_type->i_mutex_key"), r.engine.classes().find("&mm->mmap_lock"));
        Witness w = g.witness(e);
        assertEquals(List.of("lock_acquire+0x1f3/0x2a0", "__might_fault+0x6f/0xa0", "_copy_to_user+0x27/0x90",
                "filldir64+0x4a/0x1c0", "iterate_dir+0x150/0x1b0"), w.stack());
        assertTrue(g.might(e));
        int real = g.find(r.engine.classes().find("&sb->s_type->i_mutex_key"), r.engine.classes().find("&ei->i_data_sem"));
        assertFalse(g.might(real));
        assertEquals(List.of("lock_acquire+0x1f3/0x2a0", "down_read+0x3e/0x140"), g.witness(real).stack());
        assertEquals(0, r.stats.malformedTotal);
    }

    @Test
    void stacksSurviveTheBatchBoundary() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append(String.format("  t-%d [000] ..... 1.%06d: lock_acquire: ffff000000000001 lock_a%n", i, i * 3));
            sb.append(String.format("  t-%d [000] ..... 1.%06d: lock_acquire: ffff000000000002 lock_%s%n", i, i * 3 + 1,
                    i == 2047 ? "z" : "b"));
            sb.append(String.format("  t-%d [000] ..... 1.%06d: <stack trace>%n => frame_%d_0%n => frame_%d_1%n",
                    i, i * 3 + 2, i, i));
        }
        TraceRun r = TraceRun.text(sb.toString());
        DependencyGraph g = r.engine.graph();
        int e = g.find(r.engine.classes().find("lock_a"), r.engine.classes().find("lock_z"));
        assertEquals(List.of("frame_2047_0", "frame_2047_1"), g.witness(e).stack());
    }

    @Test
    void irqSafetyFindings() throws Exception {
        Analysis a = TraceRun.resource("irq.trace").analysis;
        assertTrue(a.irqStateKnown());
        assertEquals(List.of("irq-inconsistent:&irq->lock IN-HARDIRQ-W->HARDIRQ-ON-W",
                        "irq-inconsistent:&p->other SOFTIRQ-ON-W->IN-SOFTIRQ-W"),
                a.irqInconsistent().stream().map(Finding::identity).toList());
        assertEquals(List.of("irq-order:HARDIRQ &irq->lock -> &p->other", "irq-order:SOFTIRQ &irq->lock -> &p->other"),
                a.irqOrders().stream().map(Finding::identity).toList());
        Finding.IrqInconsistent f = a.irqInconsistent().get(0);
        assertEquals(14, f.fromWitness().line());
        assertEquals(19, f.toWitness().line());
    }

    @Test
    void withoutAFlagsColumnIrqChecksDoNotRun() throws Exception {
        TraceRun r = TraceRun.text("""
                  t-1 [000]  1.000001: lock_acquire: ffff000000000001 lock_a
                  t-1 [000]  1.000002: lock_acquire: ffff000000000002 lock_b
                """);
        assertFalse(r.analysis.irqStateKnown());
        assertEquals(Map.of("lock_a -> lock_b", "EN"), r.edges());
    }
}
