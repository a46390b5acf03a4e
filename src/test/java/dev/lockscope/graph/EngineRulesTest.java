package dev.lockscope.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockscope.TraceRun;
import dev.lockscope.analysis.Finding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** lockdep's rules, one hand-built trace each (src/test/resources/traces). */
class EngineRulesTest {

    @Test
    void abbaMakesTwoEdgesAndOneDeadlock() throws Exception {
        TraceRun r = TraceRun.resource("abba.trace");
        assertEquals(Map.of("&dev->lock_a -> &dev->lock_b", "EN", "&dev->lock_b -> &dev->lock_a", "EN"), r.edges());
        assertEquals(1, r.analysis.cycles().size());
        Finding.CircularDependency c = r.analysis.cycles().get(0);
        assertEquals("deadlock", c.verdict());
        // closed by worker-b acquiring lock_a while holding lock_b: lockdep's "trying to acquire lock_a"
        assertEquals(List.of("&dev->lock_a", "&dev->lock_b"), c.classes());
        assertEquals("worker-b", c.edges().get(1).witness().comm());
        assertEquals(20, c.edges().get(1).witness().line());
        assertEquals(1, r.engine.stats().contended);
    }

    @Test
    void threeTasksMakeOneThreeClassCycle() throws Exception {
        TraceRun r = TraceRun.resource("three-way.trace");
        assertEquals(1, r.analysis.cycles().size());
        // closed by t3 taking lock_x while holding lock_z: next = lock_x, then x -> y -> z -> x
        assertEquals(List.of("lock_x", "lock_y", "lock_z"), r.analysis.cycles().get(0).classes());
    }

    @Test
    void trylockAddsNoEdgeOfItsOwnButOrdersWhatFollows() throws Exception {
        TraceRun r = TraceRun.resource("trylock.trace");
        // rev: holds lock_b, trylocks lock_a (no lock_b -> lock_a), then takes lock_c: edges from the
        // trylock on top and from the first non-trylock below it
        assertEquals(Map.of("lock_a -> lock_b", "EN", "lock_a -> lock_c", "EN", "lock_b -> lock_c", "EN"), r.edges());
        assertEquals(0, r.analysis.cycles().size());
        assertEquals(1, r.engine.stats().trylocks);
    }

    @Test
    void readersAreNonRecursiveByDefaultSoTheCycleIsADeadlock() throws Exception {
        TraceRun r = TraceRun.resource("readers.trace");
        assertEquals(Map.of("mutex_y -> rw_x", "EN", "rw_x -> mutex_y", "SN"), r.edges());
        assertEquals("deadlock", r.analysis.cycles().get(0).verdict());
    }

    @Test
    void recursiveReadersBreakTheCycleByTheStrongPathRule() throws Exception {
        ClassRules rules = ClassRules.defaults();
        rules.add("recursive-read", "rw_*", "test");
        TraceRun r = TraceRun.resource("readers.trace", rules);
        assertEquals(Map.of("mutex_y -> rw_x", "ER", "rw_x -> mutex_y", "SN"), r.edges());
        assertEquals(1, r.analysis.cycles().size());
        assertEquals("shared", r.analysis.cycles().get(0).verdict());
        assertEquals(0, r.analysis.deadlocks());
    }

    @Test
    void recursionNestingAndBadUnlock() throws Exception {
        TraceRun r = TraceRun.resource("recursion.trace");
        List<Finding.Recursion> rec = r.analysis.recursions();
        assertEquals(2, rec.size());
        assertTrue(rec.get(0).sameInstance());
        assertEquals("&inode->i_lock", rec.get(0).cls());
        assertFalse(rec.get(1).sameInstance());
        assertEquals("&ei->i_data_sem", rec.get(1).cls());
        assertEquals(1, r.analysis.unbalanced().size());
        Finding.BadUnlock u = r.analysis.unbalanced().get(0);
        assertEquals("&q->queue_lock", u.cls());
        assertEquals(List.of(21L, 22L, 23L), List.of(u.acquireLine(), u.earlierReleaseLine(), u.witness().line()));
        // a release whose acquire lies before the window is counted, not reported
        assertEquals(1, r.engine.stats().releasesBeforeWindow);
    }

    @Test
    void noEdgesAcrossIrqContextsAndEndedIrqsAreDiscarded() throws Exception {
        TraceRun r = TraceRun.resource("irq.trace");
        assertEquals(Map.of("&irq->lock -> &p->other", "EN", "&p->proc_lock -> &p->other", "EN"), r.edges());
        assertEquals(1, r.engine.stats().irqLeftovers);
        // hardirq-safe (taken in hardirq) and taken with irqs enabled in softirq: '?', lockdep's inconsistent state
        assertEquals("?.-.", Usage.string(r.engine.usage(r.engine.classes().find("&irq->lock"))));
        assertEquals("+.+.", Usage.string(r.engine.usage(r.engine.classes().find("&p->proc_lock"))));
    }

    @Test
    void outOfOrderReleaseReacquiresTheLocksAbove() throws Exception {
        TraceRun r = TraceRun.resource("out-of-order.trace");
        assertEquals(Map.of("lock_a -> lock_b", "EN", "lock_a -> lock_c", "EN", "lock_b -> lock_c", "EN"), r.edges());
        assertEquals(1, r.engine.stats().outOfOrderReleases);
        assertEquals(1, r.engine.stats().reacquired);
        DependencyGraph g = r.engine.graph();
        int ac = g.find(r.engine.classes().find("lock_a"), r.engine.classes().find("lock_c"));
        assertTrue(g.witness(ac).reacquired());
        assertEquals(16, g.witness(ac).line());
    }

    @Test
    void lostEventsDiscardTheHeldStackOfThatCpu() throws Exception {
        TraceRun r = TraceRun.resource("lost.trace");
        assertEquals(Map.of(), r.edges());
        assertEquals(1, r.engine.stats().lostMarkers);
        assertEquals(42, r.engine.stats().lostEvents);
        assertEquals(1, r.engine.stats().lostDiscarded);
        assertEquals(1, r.engine.stats().releasesOfDiscarded);
    }

    @Test
    void aCycleThroughAliasedNamesIsTaggedNotADeadlock() throws Exception {
        TraceRun r = TraceRun.resource("aliased.trace");
        assertEquals(1, r.analysis.cycles().size());
        Finding.CircularDependency c = r.analysis.cycles().get(0);
        assertEquals("name-aliased", c.verdict());
        assertEquals(List.of("name-aliased"), c.tags());
        assertEquals(2, c.notes().size());
    }

    @Test
    void theChainCacheValidatesEachChainOnceAndCountsEveryExercise() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            sb.append(String.format("  t-1 [000] ..... 1.%06d: lock_acquire: ffff000000000001 lock_a%n", i * 4));
            sb.append(String.format("  t-1 [000] ..... 1.%06d: lock_acquire: ffff000000000002 lock_b%n", i * 4 + 1));
            sb.append(String.format("  t-1 [000] ..... 1.%06d: lock_release: ffff000000000002 lock_b%n", i * 4 + 2));
            sb.append(String.format("  t-1 [000] ..... 1.%06d: lock_release: ffff000000000001 lock_a%n", i * 4 + 3));
        }
        TraceRun r = TraceRun.text(sb.toString());
        assertEquals(2, r.engine.stats().chainMisses);
        assertEquals(198, r.engine.stats().chainHits);
        assertEquals(100, r.count("lock_a -> lock_b"));
    }

    @Test
    void anEdgeKeepsTheFirstWitnessOfEachOfUpToEightTasks() throws Exception {
        // tasks 1..10 each take lock_a then lock_b twice; from task 2 on every chain is a cache hit
        StringBuilder sb = new StringBuilder();
        int t = 0;
        for (int task = 1; task <= 10; task++) {
            for (int round = 0; round < 2; round++) {
                for (String ev : new String[] {"acquire: ffff000000000001 lock_a", "acquire: ffff000000000002 lock_b",
                    "release: ffff000000000002 lock_b", "release: ffff000000000001 lock_a"}) {
                    sb.append(String.format("  w%d-%d [000] ..... 1.%06d: lock_%s%n", task, task, ++t, ev));
                }
            }
        }
        TraceRun r = TraceRun.text(sb.toString());
        assertEquals(2, r.engine.stats().chainMisses);
        DependencyGraph g = r.engine.graph();
        int e = g.find(r.engine.classes().find("lock_a"), r.engine.classes().find("lock_b"));
        List<dev.lockscope.model.Witness> ws = g.witnesses(e);
        assertEquals(DependencyGraph.MAX_WITNESSES, ws.size());
        assertEquals(List.of("w1-1", "w2-2", "w3-3", "w4-4", "w5-5", "w6-6", "w7-7", "w8-8"),
                ws.stream().map(dev.lockscope.model.Witness::task).toList());
        // each is the task's first exercise: its acquire of lock_b in round 0, holding lock_a
        assertEquals(List.of(2L, 10L, 18L), ws.stream().limit(3).map(dev.lockscope.model.Witness::line).toList());
        assertEquals("lock_a", ws.get(1).held().get(0).cls());
        assertEquals(g.witness(e), ws.get(0));
        assertEquals(20, r.count("lock_a -> lock_b"));
    }

    @Test
    void rcuReadLockIsHeldButNeverAnEdgeEnd() throws Exception {
        TraceRun r = TraceRun.text("""
                  t-1 [000] ..... 1.000001: lock_acquire: ffff000000000001 lock_a
                  t-1 [000] ..... 1.000002: lock_acquire: ffffffff00000001 read rcu_read_lock
                  t-1 [000] ..... 1.000003: lock_acquire: ffff000000000002 lock_b
                """);
        assertEquals(Map.of("lock_a -> lock_b", "EN"), r.edges());
        assertEquals(2, r.engine.graph().distance(0));
    }

    @Test
    void maxLockDepthOverflowIsReportedNotACrash() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sb.append(String.format("  t-1 [000] ..... 1.%06d: lock_acquire: %016x lock_%02d%n", i, 0x1000 + i, i));
        }
        TraceRun r = TraceRun.text(sb.toString());
        assertEquals(2, r.engine.stats().depthOverflows);
        assertEquals(48, r.engine.stats().maxDepth);
        assertEquals(1, r.analysis.overflows().size());
    }

    @Test
    void readAfterRecursiveReadOfOneClassIsNotRecursion() throws Exception {
        TraceRun r = TraceRun.text("""
                  t-1 [000] ..... 1.000001: lock_acquire: ffff000000000001 read jiffies_seq.seqcount
                  t-1 [000] ..... 1.000002: lock_acquire: ffff000000000001 read jiffies_seq.seqcount
                  t-2 [000] ..... 1.000003: lock_acquire: ffff000000000009 read &sem->rwsem
                  t-2 [000] ..... 1.000004: lock_acquire: ffff000000000009 read &sem->rwsem
                """);
        // seqcount readers are recursive (read=2); an rwsem reader is not: a queued writer would block the second
        assertEquals(1, r.analysis.recursions().size());
        assertEquals("&sem->rwsem", r.analysis.recursions().get(0).cls());
    }
}
