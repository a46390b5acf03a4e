package dev.lockscope.trace;

import java.util.Arrays;

/**
 * The {@code mmap_lock:*} tracepoints (5.11+, no lockdep needed) turned into lock events of
 * class {@code &mm->mmap_lock}, instance = the {@code mm=} pointer.
 *
 * <p>mmap_read_lock() traces start_locking, then down_read() (which is where a lockdep kernel
 * fires lock_acquire), then acquire_returned; the trylock variants trace only acquire_returned;
 * unlock traces released before up_read(). So the acquisition is "attempted" at start_locking,
 * granted at acquire_returned with success=true, abandoned with success=false.
 *
 * <p>On a lockdep kernel the same acquisition also appears as lock_acquire of
 * {@code &mm->mmap_lock}; it must never count twice. The kernel has lockdep exactly when the
 * trace has lock_* events, which are then everywhere. Until the first lock_* event or the first
 * flush of the reader's batch, events made from mmap_lock_* lines are provisional: a lock_* event
 * turns them into nothing (duplicates), a flush makes them real (a production kernel).
 */
final class MmapLockEvents {
    static final int START = 0;
    static final int RETURNED = 1;
    static final int RELEASED = 2;

    private enum Mode { UNDECIDED, LOCKDEP, PRODUCTION }

    private final FtraceReader reader;
    private final ReadStats stats;
    private Mode mode = Mode.UNDECIDED;

    // per-task start_locking not yet returned
    private long[] pendingMm = new long[64];
    private boolean[] pendingWrite = new boolean[64];
    private long[] pendingLine = new long[64];
    private long[] pendingTs = new long[64];
    private boolean[] pending = new boolean[64];

    MmapLockEvents(FtraceReader reader, ReadStats stats) {
        this.reader = reader;
        this.stats = stats;
    }

    /** A lock_* event was read: the kernel has lockdep. */
    void lockdepSeen() {
        if (mode == Mode.UNDECIDED) {
            mode = Mode.LOCKDEP;
            stats.mmapDuplicates += reader.dropProvisional();
            for (int t = 0; t < pending.length; t++) {
                if (pending[t]) {
                    stats.mmapDuplicates++;
                    pending[t] = false;
                }
            }
        }
    }

    /** The reader hands its batch to the engine: provisional mmap_lock events are real. */
    boolean provisional() {
        return mode == Mode.UNDECIDED;
    }

    void decideProduction() {
        if (mode == Mode.UNDECIDED) {
            mode = Mode.PRODUCTION;
        }
    }

    void event(int kind, int task, long mm, boolean write, boolean success, long line, long ts) {
        if (mode == Mode.LOCKDEP) {
            stats.mmapDuplicates++;
            return;
        }
        apply(kind, task, mm, write, success, line, ts);
    }

    private void apply(int kind, int task, long mm, boolean write, boolean success, long line, long ts) {
        ensure(task);
        switch (kind) {
            case START -> {
                pending[task] = true;
                pendingMm[task] = mm;
                pendingWrite[task] = write;
                pendingLine[task] = line;
                pendingTs[task] = ts;
            }
            case RETURNED -> {
                if (pending[task] && pendingMm[task] == mm) {
                    pending[task] = false;
                    reader.mmapAcquire(task, mm, !pendingWrite[task], false, pendingLine[task], pendingTs[task]);
                    if (success) {
                        reader.mmapAcquired(task, mm, line, ts);
                    } else {
                        reader.mmapRelease(task, mm, line, ts);
                    }
                } else if (success) {
                    // mmap_*_trylock: no start_locking
                    reader.mmapAcquire(task, mm, !write, true, line, ts);
                }
            }
            default -> reader.mmapRelease(task, mm, line, ts);
        }
    }

    private void ensure(int task) {
        if (task >= pending.length) {
            int n = Math.max(task + 1, pending.length * 2);
            pendingMm = Arrays.copyOf(pendingMm, n);
            pendingWrite = Arrays.copyOf(pendingWrite, n);
            pendingLine = Arrays.copyOf(pendingLine, n);
            pendingTs = Arrays.copyOf(pendingTs, n);
            pending = Arrays.copyOf(pending, n);
        }
    }

    /** Whether the task is between start_locking and acquire_returned (for naming its contention). */
    boolean pending(int task) {
        return mode != Mode.LOCKDEP && task < pending.length && pending[task];
    }
}
