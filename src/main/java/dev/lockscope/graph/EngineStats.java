package dev.lockscope.graph;

/**
 * Counters in the spirit of {@code /proc/lockdep_stats}, kept by the engine as it runs.
 * Plain fields: the engine increments them on the hot path.
 */
public final class EngineStats {
    public long acquires;
    public long trylocks;
    public long releases;
    public long contended;
    public long acquired;
    public long chainHits;
    public long chainMisses;
    public int maxDepth;
    /** Acquisitions dropped because a task already held MAX_LOCK_DEPTH (48) locks. */
    public long depthOverflows;
    /** Events in NMI context: lockdep does not track locks there. */
    public long nmiEvents;
    /** Releases of locks whose acquire is not in the trace (taken before the window began). */
    public long releasesBeforeWindow;
    /** Releases by a task other than the one holding the lock (percpu-rwsem, AIO, workqueue hand-offs). */
    public long crossTaskReleases;
    /** Releases of locks whose hold had been discarded after lost events or a left-over irq segment. */
    public long releasesOfDiscarded;
    /** Releases of locks that were not on top of the stack (lockdep re-acquires the ones above). */
    public long outOfOrderReleases;
    /** Locks re-acquired by those out-of-order releases. */
    public long reacquired;
    /** Held locks of an irq context that had ended without releasing them. */
    public long irqLeftovers;
    public long lostMarkers;
    public long lostEvents;
    /** Held locks discarded because the CPU lost events. */
    public long lostDiscarded;
    /** Tasks whose stacks were reset because their CPU lost events. */
    public long lostTaskResets;

    /** gfs2_demote_rq ... remote lines, and those for glocks no local task held. */
    public long remoteDemotes;
    public long remoteDemotesUnheld;

    public long events() {
        return acquires + releases + contended + acquired;
    }
}
