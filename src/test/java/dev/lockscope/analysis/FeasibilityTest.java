package dev.lockscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockscope.Shared;
import dev.lockscope.TraceRun;
import dev.lockscope.graph.ClassRules;
import dev.lockscope.trace.TraceFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The feasibility tags of cycles, each from the witnesses that make it or rule it out. */
class FeasibilityTest {

    private static Map<String, List<String>> tags(String csv) throws Exception {
        return TraceRun.text(TraceFormat.CSV, "task,op,lock,class\n" + csv).cycleTags();
    }

    @Test
    void twoTasksInOppositeOrderAreFeasible() throws Exception {
        assertEquals(Map.of("A B", List.of("feasible")), tags("""
                t-1,acquire,0xa,A
                t-1,acquire,0xb,B
                t-1,release,0xb,B
                t-1,release,0xa,A
                u-2,acquire,0xb,B
                u-2,acquire,0xa,A
                """));
    }

    @Test
    void oneTaskInBothOrdersIsSingleTask() throws Exception {
        String oneTask = """
                t-1,acquire,0xa,A
                t-1,acquire,0xb,B
                t-1,release,0xb,B
                t-1,release,0xa,A
                t-1,acquire,0xb,B
                t-1,acquire,0xa,A
                t-1,release,0xa,A
                t-1,release,0xb,B
                """;
        assertEquals(Map.of("A B", List.of("single-task")), tags(oneTask));
        // another task re-using one of the edges (a chain-cache hit) makes it feasible
        assertEquals(Map.of("A B", List.of("feasible")), tags(oneTask + """
                u-2,acquire,0xa,A
                u-2,acquire,0xb,B
                """));
    }

    @Test
    void aLockHeldAtEveryWitnessGatesTheCycle() throws Exception {
        String gated = """
                t-1,acquire,0x9,G
                t-1,acquire,0xa,A
                t-1,acquire,0xb,B
                t-1,release,0xb,B
                t-1,release,0xa,A
                t-1,release,0x9,G
                u-2,acquire,0x9,G
                u-2,acquire,0xb,B
                u-2,acquire,0xa,A
                u-2,release,0xa,A
                u-2,release,0xb,B
                u-2,release,0x9,G
                """;
        assertEquals(Map.of("A B", List.of("gate-locked")), tags(gated));
        // one making of A -> B without G (the same chain of classes, another instance of G would
        // count too) breaks the gate
        assertEquals(Map.of("A B", List.of("feasible")), tags(gated + """
                v-3,acquire,0xa,A
                v-3,acquire,0xb,B
                """));
        assertEquals(Map.of("A B", List.of("feasible")), tags(gated + """
                v-3,acquire,0x99,G
                v-3,acquire,0xa,A
                v-3,acquire,0xb,B
                """));
    }

    @Test
    void aReadHeldLockIsNoGate() throws Exception {
        assertEquals(Map.of("A B", List.of("feasible")), TraceRun.text(TraceFormat.CSV, """
                task,op,lock,class,mode
                t-1,acquire,0x9,S,read
                t-1,acquire,0xa,A,write
                t-1,acquire,0xb,B,write
                u-2,acquire,0x9,S,read
                u-2,acquire,0xb,B,write
                u-2,acquire,0xa,A,write
                """).cycleTags());
    }

    @Test
    void anEdgeOnlyThroughATrylockIsTrylockClosed() throws Exception {
        // A -> C is only made with B, taken by trylock, between them
        assertEquals(Map.of("A C", List.of("trylock-closed")), tags("""
                t-1,acquire,0xa,A
                t-1,try,0xb,B
                t-1,acquire,0xc,C
                t-1,release,0xc,C
                t-1,release,0xb,B
                t-1,release,0xa,A
                u-2,acquire,0xc,C
                u-2,acquire,0xa,A
                """));
    }

    @Test
    void forkAndJoinOrderTasksAndLendTheParentsLocks() throws Exception {
        // T1 joined before T0 forks T2: their opposite orders never overlap
        assertEquals(Map.of("a b", List.of("ordered")), TraceRun.text(TraceFormat.STD, """
                T0|fork(T1)|1
                T1|acq(a)|2
                T1|acq(b)|3
                T1|rel(b)|4
                T1|rel(a)|5
                T0|join(T1)|6
                T0|fork(T2)|7
                T2|acq(b)|8
                T2|acq(a)|9
                """).cycleTags());
        // the parent holds g from before the fork until after the join: g gates the child
        String lent = """
                T0|acq(g)|1
                T0|fork(T1)|2
                T1|acq(a)|3
                T1|acq(b)|4
                T1|rel(b)|5
                T1|rel(a)|6
                T0|join(T1)|7
                T0|rel(g)|8
                T2|acq(g)|9
                T2|acq(b)|10
                T2|acq(a)|11
                """;
        assertEquals(Map.of("a b", List.of("gate-locked")), TraceRun.text(TraceFormat.STD, lent).cycleTags());
        // released before the join: no gate
        assertEquals(Map.of("a b", List.of("feasible")), TraceRun.text(TraceFormat.STD,
                lent.replace("T0|join(T1)|7\nT0|rel(g)|8", "T0|rel(g)|8\nT0|join(T1)|7")).cycleTags());
        // never joined: no gate
        assertEquals(Map.of("a b", List.of("feasible")), TraceRun.text(TraceFormat.STD,
                lent.replace("T0|join(T1)|7\n", "")).cycleTags());
    }

    @Test
    void recursiveReadersAreShared() throws Exception {
        ClassRules rules = ClassRules.defaults();
        rules.add("recursive-read", "rw_*", "test");
        TraceRun r = TraceRun.resource("readers.trace", rules);
        List<Finding.CircularDependency> shared = r.analysis.cycles().stream().filter(c -> c.verdict().equals("shared"))
                .toList();
        assertEquals(1, shared.size());
        assertEquals(List.of("shared"), shared.get(0).tags());
    }

    // ------------------------------------------------------------------ deaddetector corpus

    /**
     * The STD traces of DeadDetector (../shared/corpus/peer/deaddetector, no licence: read in
     * place, never copied). Lockdep's rule makes an edge only from the lock directly below
     * (the README's lock-graph columns count every held lock), so cycle counts may be lower
     * there; the verdicts are the README's hand-checked ones.
     */
    @Test
    void deaddetectorCyclesAndHandCheckedVerdicts() throws Exception {
        Path dir = Shared.root().resolve("corpus/peer/deaddetector/test");
        Assumptions.assumeTrue(Files.isDirectory(dir), "no ../shared deaddetector corpus");
        Map<String, String> got = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".std")).sorted().toList()) {
                TraceRun r = TraceRun.file(f);
                assertEquals(List.of(), r.problems, f.toString());
                got.put(f.getFileName().toString().replace(".std", ""), r.cycleTags().toString());
            }
        }
        String feasible2 = "[feasible]";
        // hand-checked: AB/BA in two threads, one class-level cycle, a true deadlock
        for (String t : List.of("f1_2", "f4_1", "f4_2", "newlocks", "newlocks2", "newlocks3", "newlocks4")) {
            assertEquals("{1 2=" + feasible2 + "}", got.get(t), t);
        }
        // f4_3: lock 1 is no guard (T2 released it first); f4_4: held sets {1,5} / {4,6} are disjoint
        assertEquals("{2 3=[feasible]}", got.get("f4_3"));
        assertEquals("{5 6=[feasible]}", got.get("f4_4"));
        // nested: {1,3} is guarded by 2 in both threads; lockdep's edges never make it a cycle at all
        assertEquals("{1 2=[feasible], 2 3=[feasible]}", got.get("nested"));
        assertEquals("{1 2=[feasible]}", got.get("indeterminism"));
        assertEquals("{}", got.get("lock_w"));
        // FalseDeadlock: T13 holds fc across T15's whole life (fork..join): not a deadlock
        assertEquals("{L2a7644f2a0 L2a7644f2a2=[gate-locked]}", got.get("FalseDeadlock"));
        // TrueDeadlock: a deadlock only cross-thread critical sections show; the per-thread graph has no cycle
        assertEquals("{}", got.get("TrueDeadlock"));
        assertEquals("{L2a5e3a3002 L2a5e3a305e=[feasible]}", got.get("LongDeadlock"));
        // no lock events, or no cycle
        for (String t : List.of("fop", "jython", "pool6", "sleepingBarber", "boundedBuffer", "clean", "groovy", "piper")) {
            assertEquals("{}", got.get(t), t);
        }
        assertEquals(28, got.size());
    }
}
