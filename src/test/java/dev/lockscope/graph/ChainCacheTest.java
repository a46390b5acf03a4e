package dev.lockscope.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chain cache's own bookkeeping: lookups across growth, per-chain rows, the tasks remembered per chain. */
class ChainCacheTest {

    private static HeldStack stackOf(int... classes) {
        HeldStack s = new HeldStack();
        for (int i = 0; i < classes.length; i++) {
            s.set(i, 0, classes[i], 0, false, 0, 0x1000 + i, 0, i + 1, 0);
        }
        s.depth = classes.length;
        return s;
    }

    @Test
    void everyChainIsFoundByItsKeyAfterTheTableGrows() {
        ChainCache cc = new ChainCache();
        HeldStack s = stackOf(7, 9);
        List<Long> keys = new ArrayList<>();
        long key = ChainKey.INITIAL;
        for (int c = 0; c < 10_000; c++) {
            key = ChainKey.iterate(key, c);
            keys.add(key);
            assertEquals(c, cc.add(key, 0, s, 0, 2));
            cc.addEdge(c, c * 3);
            if (c % 2 == 0) {
                cc.addEdge(c, c * 3 + 1);
            }
        }
        assertEquals(10_000, cc.size());
        for (int c = 0; c < keys.size(); c++) {
            assertEquals(c, cc.find(keys.get(c)));
            assertEquals(keys.get(c), cc.key(c));
            assertEquals(c % 2 == 0 ? 2 : 1, cc.edgeCount(c));
            assertEquals(c * 3, cc.edge(c, 0));
        }
        assertEquals(-1, cc.find(ChainKey.iterate(key, 1)));
        assertEquals(2, cc.depth(9_999));
        assertEquals(ChainKey.hlockId(9, 0), cc.hlock(9_999, 1));
    }

    @Test
    void aTaskAmongTheLastFourToHitAChainHasNothingLeftToDo() {
        ChainCache cc = new ChainCache();
        int c = cc.add(42L, 0, stackOf(1, 2), 0, 2);
        cc.addEdge(c, 5);
        // tasks 1 and 2 alternating: each one's first hit has per-task work, later ones none
        assertTrue(cc.hitBy(c, 1));
        assertTrue(cc.hitBy(c, 2));
        assertFalse(cc.hitBy(c, 1));
        assertFalse(cc.hitBy(c, 2));
        assertTrue(cc.hitBy(c, 3));
        assertTrue(cc.hitBy(c, 4));
        assertFalse(cc.hitBy(c, 1));
        // a fifth task takes the slot of the oldest (task 1), which then counts as new again
        assertTrue(cc.hitBy(c, 5));
        assertTrue(cc.hitBy(c, 1));
        assertFalse(cc.hitBy(c, 5));
        assertEquals(10, cc.hits(c));
        assertEquals(10, cc.takeUnfolded(c));
        assertEquals(0, cc.takeUnfolded(c));
    }

    @Test
    void flagsAndEdgeCountsShareARowWithoutDisturbingEachOther() {
        ChainCache cc = new ChainCache();
        int c = cc.add(7L, 2, stackOf(3), 0, 1);
        cc.flag(c, ChainCache.HAS_RECURSION);
        cc.addEdge(c, 11);
        cc.addEdge(c, 12);
        for (int t = 0; t < 9; t++) {
            cc.hitBy(c, t);
        }
        cc.flag(c, ChainCache.UNGATED);
        assertEquals(ChainCache.HAS_RECURSION | ChainCache.UNGATED, cc.flags(c));
        assertEquals(2, cc.edgeCount(c));
        assertEquals(12, cc.edge(c, 1));
        assertEquals(2, cc.irq(c));
    }
}
