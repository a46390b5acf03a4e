package dev.lockscope.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockscope.TraceRun;
import dev.lockscope.analysis.LockStatTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** lock_stat arithmetic on a hand-built trace, to the nanosecond. */
class LockStatsTest {

    @Test
    void waitAndHoldTimes() throws Exception {
        TraceRun r = TraceRun.resource("lockstat.trace");
        LockStats st = r.engine.lockStats();
        int a = r.engine.classes().find("lock_a");
        // t1: uncontended, held from lock_acquired 1.000010 to 1.000110; t2: contended 1.000030,
        // granted 1.000120 (waited 90 us), held until 1.000320
        assertEquals(2, st.acquisitions(a, false));
        assertEquals(1, st.contentions(a, false));
        assertEquals(List.of(90_000L, 90_000L, 90_000L), List.of(st.waitMin(a, false), st.waitMax(a, false),
                st.waitTotal(a, false)));
        assertEquals(2, st.holds(a, false));
        assertEquals(List.of(100_000L, 200_000L, 300_000L), List.of(st.holdMin(a, false), st.holdMax(a, false),
                st.holdTotal(a, false)));
        assertEquals(List.of("t2-12:1"), st.topContenders(a));
        // lock_b: a read without lock_acquired, held from lock_acquire
        int b = r.engine.classes().find("lock_b");
        assertEquals(1, st.acquisitions(b, true));
        assertEquals(50_000L, st.holdTotal(b, true));
        assertEquals(500_000L, st.spanNs());

        LockStatTable.Table t = LockStatTable.build(r.engine, LockStatTable.Sort.name, 0);
        assertEquals(List.of("lock_a", "lock_b-R", "lock_c", "lock_d"), t.rows().stream().map(LockStatTable.Row::name).toList());
        LockStatTable.Row c = t.rows().get(2);
        assertEquals(1, c.holdsBeforeWindow());
        LockStatTable.Row d = t.rows().get(3);
        assertEquals(1, d.holdsOpenAtEnd());
        assertEquals(4000.0, t.rows().get(0).acquisitionsPerSecond(), 1e-9);
    }
}
