package dev.lockscope.sim;

import dev.lockscope.sim.Scenario.Kind;
import dev.lockscope.sim.Scenario.Src;
import java.util.List;

/**
 * A scenario compiled for one variant: each task's path as flat code (procedure calls inlined,
 * blocks turned into jumps), and the tables of lock instances, mappings and completions the
 * code refers to by index. Instructions are four ints: opcode and three operands.
 */
public record Program(
        List<TaskCode> tasks,
        List<Instance> instances,
        int[] mapFile,
        int[] mapMm,
        boolean[] mapResident,
        String[] mapNames,
        String[] completionNames,
        int[] completionMap,
        int[][] signallers,
        Scenario.Memory memory,
        int cpus,
        int fsReclaim) {

    /** One task: name, pid, code, the source line of each instruction, register count. */
    public record TaskCode(String name, int pid, boolean service, boolean remote, int[] code, Src[] src, int regs) {
        public int length() {
            return code.length / 4;
        }
    }

    /**
     * A lock instance: {@code name} is what lockdep prints (or {@code glock 2:N} for glocks),
     * {@code kind} null for a pure lockdep map (fs_reclaim, completion maps) that never blocks.
     */
    public record Instance(String name, Kind kind, long addr, int glockType, long glockNumber, int file, String display) {
    }

    // opcodes
    static final int END = 0;
    static final int ACQ = 1;        // inst, mode
    static final int REL = 2;        // inst
    static final int MAP_ACQ = 3;    // inst (lockdep map: acquire event only, never blocks)
    static final int MAP_REL = 4;    // inst
    static final int TOUCH = 5;      // map, skip-to, mmap_lock instance (might_fault annotation)
    static final int GUP = 6;        // map, skip-to
    static final int RESIDE = 7;     // map
    static final int ALLOC = 8;      // skip-to (taken under nofs)
    static final int RECLAIM = 9;    // skip-to (taken when memory does not run short): a choice under memory maybe
    static final int WAIT = 10;      // completion
    static final int SIGNAL = 11;    // completion
    static final int PF_OFF = 12;
    static final int PF_ON = 13;
    static final int NOFS_ON = 14;
    static final int NOFS_OFF = 15;
    static final int FDM_SET = 16;   // file
    static final int FDM_CLEAR = 17;
    static final int LOOP_INIT = 18; // reg
    static final int LOOP_END = 19;  // reg, count, target
    static final int RETRY_INIT = 20; // reg
    static final int RETRY_END = 21; // reg, count, target
    static final int IF_FAILED = 22; // skip-to (taken when the failed flag is clear)
    static final int MAYBE = 23;     // skip-to: a choice
    static final int DEMOTE = 24;    // inst
    static final int RREL = 25;      // inst
    static final int MINE = 26;      // inst, reg, skip-to: gfs2_glock_is_locked_by_me(); the ACQ follows
    static final int SKIP_IF = 27;   // reg, skip-to (taken when the register is set): unlock ... unless mine

    // modes
    static final int EXCL = 0;       // mutex, spinlock, rwsem write, glock EX, pagecache block
    static final int SHARED = 1;     // rwsem read, glock SH, pagecache add
    static final int DEFERRED = 2;   // glock DF

    /** Whether the instruction is a choice point (two successors chosen by the scheduler). */
    boolean isChoice(int op) {
        return op == MAYBE || (op == RECLAIM && memory == Scenario.Memory.maybe);
    }
}
