package dev.lockscope.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lock semantics the scenarios rely on, each shown by exploring a two- or three-task program. */
class MachineRulesTest {
    static final String LOCKS = "lock mmap_lock rwsem \"&mm->mmap_lock\" per mm\n"
            + "lock r rwsem \"r\" global\nlock m mutex \"m\" global\nlock s spinlock \"s\" global\n"
            + "lock g glock 2 per file\nlock pc pagecache \"pc\" per file\n"
            + "fs f fault flt\nproc flt(x)\n  lock pc(x) add\n  unlock pc(x)\nend\n"
            + "file A f 9\nmm M\nmap b M A\n";

    static Explorer.Report explore(String tasks) {
        return Explorer.explore(Compiler.compile(ScenarioParser.parse("t.scn", LOCKS + tasks), null), 2, 1_000_000);
    }

    static List<String> cycle(Explorer.Report r) {
        return FindWaitCycle.describe(r.firstDeadlock(), r.taskNames());
    }

    @Test
    void queuedWriterBlocksNewReadersEvenOfAReaderThatHoldsTheLock() {
        Explorer.Report r = explore("task a mm M\n  lock r read\n  lock r read\n  unlock r\n  unlock r\nend\n"
                + "task w mm M\n  lock r write\n  unlock r\nend\n");
        assertTrue(r.exhausted());
        assertTrue(r.deadlocks() > 0);
        assertEquals(List.of("wait-for cycle:",
                "  a-100 wants r (read), which the queued writer w-101 blocks for new readers",
                "  w-101 wants r (write), held by a-100 (read)"), cycle(r));
    }

    @Test
    void readersShareWithoutAWriter() {
        Explorer.Report r = explore("task a mm M\n  lock r read\n  lock r read\n  unlock r\n  unlock r\nend\n"
                + "task c mm M\n  lock r read\n  unlock r\nend\n");
        assertTrue(r.exhausted());
        assertEquals(0, r.deadlocks());
    }

    @Test
    void abbaMutexesDeadlockOnlyInSomeSchedules() {
        Explorer.Report r = explore("task a mm M\n  lock m\n  lock s\n  unlock s\n  unlock m\nend\n"
                + "task c mm M\n  lock s\n  lock m\n  unlock m\n  unlock s\nend\n");
        assertTrue(r.deadlocks() > 0 && r.deadlocks() < r.schedules(), r.toString());
    }

    @Test
    void pendingRemoteDemoteBlocksNewLocalHolders() {
        Explorer.Report r = explore("task a mm M\n  lock g(A) SH\n  lock g(A) SH\n  unlock g(A)\n  unlock g(A)\nend\n"
                + "remote n\n  demote g(A)\n  release g(A)\nend\n");
        assertTrue(r.deadlocks() > 0);
        assertEquals(List.of("wait-for cycle:",
                "  a-100 wants g(A) (SH), which the pending remote demote by n-101 blocks",
                "  n-101 demotes g(A) and waits for a-100 to release it (SH)"), cycle(r));
    }

    @Test
    void unlessMineTakesNoSecondHolderOfAGlockTheTaskHolds() {
        // the same program without the test waits for itself (EX held, SH wanted); with it, the
        // inner lock and its unlock are skipped, also while a remote demote is pending
        String remote = "remote n\n  demote g(A)\n  release g(A)\nend\n";
        Explorer.Report plain = explore("task a mm M\n  lock g(A) EX\n  lock g(A) SH\n  unlock g(A)\n  unlock g(A)\nend\n" + remote);
        assertEquals(List.of("wait-for cycle:", "  a-100 wants g(A) (SH), held by a-100 (EX)"), cycle(plain));
        String mine = "task a mm M\n  lock g(A) EX\n  lock g(A) SH unless mine\n  unlock g(A) unless mine\n  unlock g(A)\nend\n";
        Explorer.Report r = explore(mine + remote);
        assertTrue(r.exhausted());
        assertEquals(0, r.deadlocks());
        String t = trace(Compiler.compile(ScenarioParser.parse("t.scn", LOCKS + mine), null), 1);
        assertEquals(List.of("queue EX", "promote EX", "dequeue EX"),
                t.lines().filter(l -> l.contains("glock 2:9 ") && !l.contains("state_change"))
                        .map(l -> l.substring(l.indexOf("glock 2:9 ") + 10)).toList(), t);
    }

    @Test
    void unlessMineTakesTheGlockWhenTheTaskDoesNotHoldIt() {
        // another task's holder does not count: c queues its own holder and waits behind the pending demote
        String c = "task c mm M\n  lock g(A) SH unless mine\n  unlock g(A) unless mine\nend\n";
        String t = trace(Compiler.compile(ScenarioParser.parse("t.scn", LOCKS + c), null), 1);
        assertTrue(t.contains("gfs2_glock_queue: 253,2 glock 2:9 queue PR") && t.contains("dequeue PR"), t);
        Explorer.Report r = explore("task a mm M\n  lock g(A) SH\n  loop 2\n    lock g(A) SH unless mine\n"
                + "    unlock g(A) unless mine\n  end\n  unlock g(A)\nend\n" + c
                + "remote n\n  demote g(A)\n  release g(A)\nend\n");
        assertEquals(0, r.deadlocks(), "each round of a's loop skips its inner holder");
        assertTrue(r.schedules() > 1);
    }

    @Test
    void sharedGlockHoldersDoNotBlockEachOtherWithoutADemote() {
        assertEquals(0, explore("task a mm M\n  lock g(A) SH\n  lock g(A) SH\n  unlock g(A)\n  unlock g(A)\nend\n").deadlocks());
    }

    @Test
    void pagecacheAddAndBlockExcludeEachOtherButNotThemselves() {
        assertEquals(0, explore("task a mm M\n  lock pc(A) add\n  lock pc(A) add\n  unlock pc(A)\n  unlock pc(A)\nend\n"
                + "task c mm M\n  lock pc(A) add\n  unlock pc(A)\nend\n").deadlocks());
        Explorer.Report r = explore("task a mm M\n  lock pc(A) block\n  touch b\n  unlock pc(A)\nend\n");
        assertEquals(List.of("wait-for cycle:", "  a-100 wants pc(A) (add), held by a-100 (block)"), cycle(r));
    }

    @Test
    void touchWithPageFaultsDisabledFailsInsteadOfFaulting() {
        Explorer.Report r = explore("task a mm M\n  retry 2\n    lock pc(A) block\n    pagefault_disabled\n      touch b\n"
                + "    end\n    unlock pc(A)\n    if failed\n      touch b\n    end\n  end\nend\n");
        assertEquals(0, r.deadlocks());
        assertEquals(1, r.schedules());
    }

    @Test
    void sameSeedSameBytesAndTheTraceNamesEveryEvent() {
        String sc = LOCKS + "task a mm M\n  loop 3\n    lock m\n    lock s\n    unlock s\n    unlock m\n  end\nend\n"
                + "task c mm M\n  loop 3\n    lock s\n    unlock s\n    touch b\n  end\nend\n";
        Program p = Compiler.compile(ScenarioParser.parse("t.scn", sc), null);
        String one = trace(p, 42);
        assertEquals(one, trace(p, 42));
        assertTrue(!one.equals(trace(p, 43)), "another seed, another interleaving");
        assertTrue(one.contains("               a-100     [000] ...1. "), "preempt depth counts held spinlocks:\n" + one);
        assertTrue(one.contains(": lock_acquire: ffffffff82a40390 m\n"), one);
    }

    static String trace(Program p, long seed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FtraceText t = new FtraceText(p, out);
        Simulator.run(p, seed, t);
        t.flush();
        return out.toString(StandardCharsets.UTF_8);
    }
}
