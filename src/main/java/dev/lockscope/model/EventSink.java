package dev.lockscope.model;

/**
 * The stream of lock events every reader produces and the engine consumes. Parameters are
 * primitives and interned ids so that one event costs no allocation: {@code task} indexes
 * {@link Tasks}, {@code cls} indexes the lock-class names, {@code ctx} is packed as in
 * {@link Ctx}, {@code line} is the 1-based input line the event came from.
 */
public interface EventSink {

    /** {@code lock_acquire}: fired before the task waits, so it makes dependencies even if it then blocks. */
    void acquire(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls, boolean trylock, boolean read);

    /** {@code lock_release}. */
    void release(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls);

    /** {@code lock_contended}: the acquisition had to wait. */
    void contended(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls);

    /** {@code lock_acquired}: the lock was granted. */
    void acquired(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls);

    /** {@code CPU:N [LOST n EVENTS]}: what we believed about tasks on that CPU is unreliable. */
    void lostEvents(int cpu, long count, long line);

    /**
     * {@code lock:contention_begin} (5.19+, no lockdep needed): the task waits for the lock object
     * at {@code addr}; {@code flags} are the LCB_F_* bits (see {@link ContentionFlags}).
     * {@code nameHint} is a class the reader already knows the lock by, or -1.
     */
    default void contentionBegin(int task, int cpu, int ctx, long timeNs, long line, long addr, int flags,
                                 int nameHint) {
    }

    /** {@code lock:contention_end}: the wait that began on {@code addr} is over. */
    default void contentionEnd(int task, int cpu, int ctx, long timeNs, long line, long addr) {
    }

    /**
     * {@code gfs2_demote_rq ... remote}: another cluster node asks for the glock {@code addr};
     * a local holder delays it, and new local holders queue behind it.
     */
    default void remoteDemote(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls) {
    }
}
