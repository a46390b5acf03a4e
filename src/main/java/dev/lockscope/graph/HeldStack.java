package dev.lockscope.graph;

/**
 * One task's held-lock stack ({@code task_struct.held_locks[]}), as parallel primitive arrays so
 * pushing and popping allocate nothing. Entry i remembers the chain key before it
 * ({@code prev_chain_key}) so a release can rewind the key.
 */
final class HeldStack {
    int depth;
    long chainKey = ChainKey.INITIAL;
    int lastCpu = -1;
    /** The class of the last non-try lock_acquire not yet followed by lock_acquired, or -1. */
    int awaitCls = -1;
    /** The class of the last lock_contended not yet followed by its lock_acquired, or -1. */
    int contendedCls = -1;
    long contendedAddr;
    /** The contention_begin this task waits in: address, class, start time (addr 0 = none). */
    long contAddr;
    int contCls;
    long contStart;
    /** Edges [mightFrom, mightTo) made by the acquisition of mightAddr just now (a zero-length hold marks them). */
    long mightAddr;
    int mightFrom;
    int mightTo;
    final int[] cls = new int[GraphBuilder.MAX_LOCK_DEPTH];
    final int[] hlock = new int[GraphBuilder.MAX_LOCK_DEPTH];
    final long[] addr = new long[GraphBuilder.MAX_LOCK_DEPTH];
    final byte[] read = new byte[GraphBuilder.MAX_LOCK_DEPTH];
    final boolean[] trylock = new boolean[GraphBuilder.MAX_LOCK_DEPTH];
    final byte[] irq = new byte[GraphBuilder.MAX_LOCK_DEPTH];
    final long[] prevKey = new long[GraphBuilder.MAX_LOCK_DEPTH];
    final long[] line = new long[GraphBuilder.MAX_LOCK_DEPTH];
    /** When the hold began (lock_acquired, else lock_acquire), and a pending lock_contended's time or 0. */
    final long[] holdStart = new long[GraphBuilder.MAX_LOCK_DEPTH];
    final long[] contendTs = new long[GraphBuilder.MAX_LOCK_DEPTH];

    void reset() {
        depth = 0;
        chainKey = ChainKey.INITIAL;
    }

    /** Index of the entry holding {@code addr} in any irq segment, or -1. */
    int findAnywhere(long address) {
        for (int i = depth - 1; i >= 0; i--) {
            if (addr[i] == address) {
                return i;
            }
        }
        return -1;
    }
}
